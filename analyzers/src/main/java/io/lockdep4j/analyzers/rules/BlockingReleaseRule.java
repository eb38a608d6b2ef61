package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import io.lockdep4j.events.EventNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A synchronous release (a close inside a release method on the releasing thread, or a close
 * outside any release) that did blocking work, a force or a close at least
 * {@link #SLOW_CLOSE_MILLIS} long, while the thread held locks or ran inside a
 * mustNotBlock context. Deferred closes (run by the release executor) are the fix, so they never
 * count. One finding per blocking call site, listing every path to it ({@link BlockingSites}); a
 * close inside a notifier that forced is fsync-in-notifier's, not reported again here.
 */
public final class BlockingReleaseRule implements Rule {
    public static final String ID = "blocking-release";

    /** Shared with {@link BlockingUnderLockRule}, which counts the same closes as blocking work. */
    public static final RuleOption SLOW_CLOSE_MILLIS = RuleOption.of("slow-close-millis", "MILLIS", 10,
            "A close that did not force counts as blocking work for blocking-release and blocking-under-lock "
                    + "when the closes of its path typically (median) take at least MILLIS");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a synchronous final close that forced or blocked while holding locks or in a must-not-block context";
    }

    @Override
    public List<RuleOption> options() {
        return List.of(SLOW_CLOSE_MILLIS);
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        List<Finding> out = new ArrayList<>();
        long slow = ctx.option(SLOW_CLOSE_MILLIS) * 1_000_000L;
        for (BlockingSites.Site s : BlockingSites.of(model, slow, BlockingSites.Hazard.RELEASE)) {
            List<String> locks = s.lockClasses();
            var mnb = s.paths.stream().flatMap(p -> p.context(EventNames.CONTEXT_MUST_NOT_BLOCK).stream()).findFirst();
            String release = s.paths.stream().map(p -> p.releaseMethod).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            long closes = s.paths.stream().mapToLong(p -> p.closes).sum();
            long forces = s.paths.stream().mapToLong(p -> p.forces).sum();
            boolean forced = forces > 0 || s.paths.stream().anyMatch(p -> p.forced);
            StringBuilder sb = new StringBuilder();
            // a path may hold only the release's force (its close was quick): say what was recorded
            sb.append(s.method).append(closes > 0 ? " closed a file synchronously" + (forced ? " after forcing it to disk" : "")
                            : " forced a file to disk synchronously, in a release")
                    .append(" (").append(closes > 0 ? closes : forces).append((closes > 0 ? closes : forces) == 1 ? " time" : " times").append(", worst ")
                    .append(ReleaseText.ms(s.worstNanos())).append(") on ").append(s.paths.size())
                    .append(s.paths.size() == 1 ? " path" : " paths").append(", holding locks")
                    .append(mnb.isPresent() ? " or inside a must-not-block context" : "")
                    .append(". Everything waiting for a path's locks waits for the disk.\n");
            BlockingSites.describe(sb, model, s);
            sb.append("Fix: defer the final close: drop the locks and hand the close (and its fsync) to a release executor,"
                    + " as Linux defers the last fput to task work / a workqueue.\n");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("site", s.method);
            d.put("applicationSite", s.applicationMethod(ctx.appFrames()));
            d.put("releaseMethod", release);
            d.put("heldLocks", s.heldLocks());
            d.put("mustNotBlockContext", mnb.map(ReleasePaths.Context::method).orElse(null));
            d.put("closes", closes);
            d.put("forces", forces);
            d.put("maxBlockingNanos", s.worstNanos());
            d.put("recommendation", "defer");
            d.put("paths", BlockingSites.json(s));
            d.put("operations", s.ops().stream().map(ReleaseText::op).toList());
            out.add(new Finding(ID, mnb.isPresent() ? Severity.ERROR : Severity.WARNING,
                    "blocking close in " + s.shown(ctx.appFrames()) + (locks.isEmpty() ? "" : " holding " + String.join(", ", locks))
                            + mnb.map(c -> " in must-not-block " + c.method()).orElse("")
                            + (s.paths.size() > 1 ? " (" + s.paths.size() + " paths)" : ""),
                    locks, ReleaseText.key(ID, s.method, List.of()), sb.toString(), d));
        }
        ctx.stat("findings", out.size());
        ctx.stat("slowCloseMillis", ctx.option(SLOW_CLOSE_MILLIS));
        return out;
    }
}
