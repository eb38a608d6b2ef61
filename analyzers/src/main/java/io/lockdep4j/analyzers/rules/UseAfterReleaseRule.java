package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A use method ran on an object after its shutdown method: one finding per call site, listing every use there. */
public final class UseAfterReleaseRule implements Rule {
    public static final String ID = "use-after-release";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a method called on an object after its shutdown/release method ran";
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        // one bug, one finding: every use after shutdown at one call site is one finding
        Map<String, List<ReleasePaths.SiteFact>> bySite = new LinkedHashMap<>();
        for (ReleasePaths.SiteFact f : model.releasePaths().facts(ID)) {
            bySite.computeIfAbsent(String.valueOf(f.fields.get("site")), k -> new ArrayList<>()).add(f);
        }
        List<Finding> out = new ArrayList<>();
        for (var g : bySite.entrySet()) {
            List<ReleasePaths.SiteFact> facts = new ArrayList<>(g.getValue());
            facts.sort(java.util.Comparator.comparing(f -> f.fields.get("method") + ":" + f.fields.get("shutdownMethod")));
            ReleasePaths.SiteFact first = facts.get(0);
            String method = String.valueOf(first.fields.get("method"));
            String shutdown = String.valueOf(first.fields.get("shutdownMethod"));
            StringBuilder sb = new StringBuilder();
            List<Object> uses = new ArrayList<>();
            for (ReleasePaths.SiteFact f : facts) {
                sb.append(f.fields.get("method")).append(" ran on a ").append(f.fields.get("objectClass")).append(" after ")
                        .append(f.fields.get("shutdownMethod")).append(" had shut it down (on thread \"")
                        .append(f.fields.get("shutdownThread")).append("\"); used ").append(f.count())
                        .append(f.count() == 1 ? " time" : " times").append(", first on thread ").append(f.thread.display())
                        .append(".\nstack of the use:\n");
                ReleaseText.stack(sb, "  ", f.stack);
                Map<String, Object> u = new LinkedHashMap<>(f.fields);
                u.put("occurrences", f.count());
                u.put("thread", ReleaseText.thread(f.thread));
                u.put("stack", f.stack);
                uses.add(u);
            }
            sb.append("Fix: take a reference that fails after shutdown (a tryGet), or make shutdown wait for users.\n");
            Map<String, Object> d = new LinkedHashMap<>(first.fields);
            d.put("occurrences", facts.stream().mapToLong(ReleasePaths.SiteFact::count).sum());
            d.put("thread", ReleaseText.thread(first.thread));
            d.put("stack", first.stack);
            d.put("uses", uses);
            String title = method + " used after " + shutdown + (facts.size() > 1 ? " (and " + (facts.size() - 1)
                    + " more use" + (facts.size() > 2 ? "s" : "") + " at " + g.getKey() + ")" : "");
            // the key of the first use (as before grouping), so a baseline of one use still matches
            out.add(new Finding(ID, Severity.ERROR, title, List.of(), ID + ":" + method + ":" + shutdown + ":" + g.getKey(),
                    sb.toString(), d));
        }
        ctx.stat("findings", out.size());
        return out;
    }
}
