package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** File handles still open at JVM exit, one finding per open site (with the first open's stack). */
public final class ResourceLeakRule implements Rule {
    public static final String ID = "resource-leak";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "file handles opened by application code and still open at JVM exit, by open site";
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        Map<String, List<ReleasePaths.SiteFact>> bySite = new LinkedHashMap<>();
        for (ReleasePaths.SiteFact f : model.releasePaths().facts("resource-leak")) {
            String site = String.valueOf(f.fields.get("openSite"));
            int colon = site.lastIndexOf(':');
            bySite.computeIfAbsent(colon > 0 ? site.substring(0, colon) : site, k -> new ArrayList<>()).add(f);
        }
        List<Finding> out = new ArrayList<>();
        for (var e : bySite.entrySet()) {
            ReleasePaths.SiteFact first = e.getValue().get(0);
            long count = e.getValue().stream().mapToLong(ReleasePaths.SiteFact::count).sum();
            int rec = ((Number) first.fields.getOrDefault("recording", 0)).intValue();
            long siteId = ((Number) first.fields.getOrDefault("openSiteId", 0L)).longValue();
            List<String> stack = model.releasePaths().openStack(rec, siteId).orElse(List.of());
            StringBuilder sb = new StringBuilder();
            sb.append(count).append(" file handle").append(count == 1 ? " was" : "s were").append(" still open at exit, opened at ")
                    .append(first.fields.get("openSite")).append(" (").append(first.fields.get("resourceClass")).append(")")
                    .append(" by thread \"").append(first.fields.get("openThread")).append("\", e.g. ")
                    .append(first.fields.get("path")).append(".\nstack of the first open at this site:\n");
            ReleaseText.stack(sb, "  ", stack);
            sb.append("Fix: close it on every path (try-with-resources), or hand it to an owner that does.\n");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("openSite", first.fields.get("openSite"));
            d.put("resourceClass", first.fields.get("resourceClass"));
            d.put("handles", count);
            d.put("examplePath", first.fields.get("path"));
            d.put("openThread", first.fields.get("openThread"));
            d.put("openForNanos", first.fields.get("openFor"));
            d.put("openStack", stack);
            out.add(new Finding(ID, Severity.WARNING, count + " file handle" + (count == 1 ? "" : "s") + " leaked from "
                    + e.getKey(), List.of(), ID + ":" + e.getKey() + ":" + first.fields.get("resourceClass"), sb.toString(), d));
        }
        ctx.stat("findings", out.size());
        return out;
    }
}
