package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.events.EventNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fsync (force, or a close that forced) inside a notifier context: a listener callback runs on
 * the notifying thread, usually under the notifier's locks, so its disk wait is every caller's
 * wait. One finding per blocking call site, listing every listener and lock set that reached it
 * ({@link BlockingSites}); the same operations are not reported again by blocking-release or
 * blocking-under-lock.
 */
public final class FsyncInNotifierRule implements Rule {
    public static final String ID = "fsync-in-notifier";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "fsync/force (or a forcing close) inside a notifier (listener) callback";
    }

    @Override
    public List<RuleOption> options() {
        return List.of(BlockingReleaseRule.SLOW_CLOSE_MILLIS);
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        List<Finding> out = new ArrayList<>();
        long slow = ctx.option(BlockingReleaseRule.SLOW_CLOSE_MILLIS) * 1_000_000L;
        for (BlockingSites.Site s : BlockingSites.of(model, slow, BlockingSites.Hazard.NOTIFIER)) {
            Set<String> listeners = new LinkedHashSet<>();
            long forces = 0;
            boolean held = false;
            for (BlockingSites.Path p : s.paths) {
                p.context(EventNames.CONTEXT_NOTIFIER).ifPresent(c -> listeners.add(c.method()));
                forces += p.forces > 0 ? p.forces : (p.forced ? p.closes : 0); // a forcing close reports the force it follows
                held |= !p.held.isEmpty();
            }
            List<String> locks = s.lockClasses();
            String listenerList = String.join(", ", listeners);
            StringBuilder sb = new StringBuilder();
            sb.append(s.method).append(" forced a file to disk (fsync) inside the notifier callback")
                    .append(listeners.size() == 1 ? " " : "s ").append(listenerList).append(" (").append(forces)
                    .append(forces == 1 ? " time" : " times").append(", worst ").append(ReleaseText.ms(s.worstNanos())).append(")")
                    .append(locks.isEmpty() ? "" : ", holding " + String.join(", ", locks))
                    .append(".\nThe callback runs on the notifying thread: every thread that notifies, or waits for those locks,")
                    .append(" waits for the disk too.\n");
            BlockingSites.describe(sb, model, s);
            sb.append("Fix: do not close/force in the callback; hand the final close to a release executor (like the kernel's"
                    + " delayed fput), or record the work and do it after the notifier's locks are dropped.\n");
            BlockingSites.Path first = s.paths.get(0);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("site", s.method);
            d.put("applicationSite", s.applicationMethod(ctx.appFrames()));
            d.put("listener", listeners.iterator().next());
            d.put("listeners", new ArrayList<>(listeners));
            d.put("path", first.file);
            d.put("heldLocks", s.heldLocks());
            d.put("forces", forces);
            d.put("maxBlockingNanos", s.worstNanos());
            d.put("paths", BlockingSites.json(s));
            d.put("operations", s.ops().stream().map(ReleaseText::op).toList());
            String key = ReleaseText.key(ID, s.method, List.of());
            out.add(new Finding(ID, held ? Severity.ERROR : Severity.WARNING,
                    "fsync in notifier " + (listeners.size() == 1 ? listenerList : listeners.size() + " listeners")
                            + " at " + s.shown(ctx.appFrames()) + (locks.isEmpty() ? "" : " holding " + String.join(", ", locks)),
                    locks, key, sb.toString(), d));
        }
        ctx.stat("findings", out.size());
        return out;
    }
}
