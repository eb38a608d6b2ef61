package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A use method ran on an object after its shutdown method, grouped by use method, shutdown method and site. */
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
        List<Finding> out = new ArrayList<>();
        for (ReleasePaths.SiteFact f : model.releasePaths().facts(ID)) {
            String method = String.valueOf(f.fields.get("method"));
            String shutdown = String.valueOf(f.fields.get("shutdownMethod"));
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(" ran on a ").append(f.fields.get("objectClass")).append(" after ").append(shutdown)
                    .append(" had shut it down (on thread \"").append(f.fields.get("shutdownThread")).append("\"); used ")
                    .append(f.count()).append(f.count() == 1 ? " time" : " times").append(", first on thread ")
                    .append(f.thread.display()).append(".\nstack of the use:\n");
            ReleaseText.stack(sb, "  ", f.stack);
            sb.append("Fix: take a reference that fails after shutdown (a tryGet), or make shutdown wait for users.\n");
            Map<String, Object> d = new LinkedHashMap<>(f.fields);
            d.put("occurrences", f.count());
            d.put("thread", ReleaseText.thread(f.thread));
            d.put("stack", f.stack);
            out.add(new Finding(ID, Severity.ERROR, method + " used after " + shutdown, List.of(),
                    ID + ":" + method + ":" + shutdown + ":" + f.fields.get("site"),
                    sb.toString(), d));
        }
        ctx.stat("findings", out.size());
        return out;
    }
}
