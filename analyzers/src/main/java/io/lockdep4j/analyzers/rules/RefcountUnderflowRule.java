package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A configured reference count went below zero (a double put), grouped by class, put method and calling site. */
public final class RefcountUnderflowRule implements Rule {
    public static final String ID = "refcount-underflow";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a reference count released below zero (double put), by site";
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        List<Finding> out = new ArrayList<>();
        for (ReleasePaths.SiteFact f : model.releasePaths().facts(ID)) {
            String method = String.valueOf(f.fields.get("method"));
            String site = String.valueOf(f.fields.get("site"));
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(" took the reference count of a ").append(f.fields.get("objectClass")).append(" to ")
                    .append(f.fields.get("count")).append(" (").append(f.count()).append(f.count() == 1 ? " time" : " times")
                    .append(") on thread ").append(f.thread.display()).append(": one put too many. The object may already"
                            + " have been freed/closed by the put that reached zero, and used after that.\nstack:\n");
            ReleaseText.stack(sb, "  ", f.stack);
            Map<String, Object> d = new LinkedHashMap<>(f.fields);
            d.put("occurrences", f.count());
            d.put("thread", ReleaseText.thread(f.thread));
            d.put("stack", f.stack);
            out.add(new Finding(ID, Severity.ERROR, "refcount underflow in " + method + " called from " + site, List.of(),
                    ID + ":" + method + ":" + site, sb.toString(), d));
        }
        ctx.stat("findings", out.size());
        return out;
    }
}
