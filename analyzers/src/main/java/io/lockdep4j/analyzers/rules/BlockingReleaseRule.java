package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.Frames;
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
 * count.
 */
public final class BlockingReleaseRule implements Rule {
    public static final String ID = "blocking-release";

    /** Shared with {@link BlockingUnderLockRule}, which counts the same closes as blocking work. */
    public static final RuleOption SLOW_CLOSE_MILLIS = RuleOption.of("slow-close-millis", "MILLIS", 10,
            "A close (or fsync) that blocked at least MILLIS counts as blocking work for blocking-release and "
                    + "blocking-under-lock, even when it did not force");

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

    static boolean blocking(ReleasePaths.Op op, RuleContext ctx) {
        return op.forced || op.worstNanos() >= ctx.option(SLOW_CLOSE_MILLIS) * 1_000_000L;
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        Map<String, List<ReleasePaths.Op>> groups = new LinkedHashMap<>();
        for (ReleasePaths.Op op : model.releasePaths().operations()) {
            if (!op.kind.equals("close") || op.deferred || !blocking(op, ctx)) {
                continue;
            }
            boolean mustNotBlock = op.context(EventNames.CONTEXT_MUST_NOT_BLOCK).isPresent();
            if (op.held.isEmpty() && !mustNotBlock) {
                continue;
            }
            String path = op.releaseMethod() != null ? op.releaseMethod()
                    : Frames.methodOf(Frames.site(op.stack));
            groups.computeIfAbsent(ReleaseText.key(ID, path, ReleaseText.lockClasses(op.held)), k -> new ArrayList<>()).add(op);
        }
        List<Finding> out = new ArrayList<>();
        for (var g : groups.entrySet()) {
            List<ReleasePaths.Op> ops = g.getValue();
            ReleasePaths.Op first = ops.get(0);
            var mnb = ops.stream().flatMap(o -> o.context(EventNames.CONTEXT_MUST_NOT_BLOCK).stream()).findFirst();
            List<String> locks = ReleaseText.lockClasses(first.held);
            long worst = ops.stream().mapToLong(ReleasePaths.Op::worstNanos).max().orElse(0);
            long count = ops.stream().mapToLong(ReleasePaths.Op::count).sum();
            String where = first.releaseMethod() != null ? "release " + first.releaseMethod() : "close outside any release method";
            StringBuilder sb = new StringBuilder();
            sb.append("The ").append(where).append(" closed a file synchronously").append(first.forced ? " after forcing it to disk" : "")
                    .append(" (").append(count).append(count == 1 ? " time" : " times").append(", worst ").append(ReleaseText.ms(worst))
                    .append(") on thread ").append(first.thread.display()).append(",\nholding ").append(ReleaseText.held(first.held));
            mnb.ifPresent(c -> sb.append(", inside the must-not-block context ").append(c.method()));
            sb.append(". Everything waiting for those locks waits for the disk.\n");
            sb.append("file: ").append(first.path).append('\n').append("stack:\n");
            ReleaseText.stack(sb, "  ", first.stack);
            sb.append("Fix: defer the final close: drop the locks and hand the close (and its fsync) to a release executor,"
                    + " as Linux defers the last fput to task work / a workqueue.\n");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("releaseMethod", first.releaseMethod());
            d.put("heldLocks", ReleaseText.strings(first.held));
            d.put("mustNotBlockContext", mnb.map(ReleasePaths.Context::method).orElse(null));
            d.put("closes", count);
            d.put("maxBlockingNanos", worst);
            d.put("recommendation", "defer");
            d.put("operations", ops.stream().map(ReleaseText::op).toList());
            out.add(new Finding(ID, mnb.isPresent() ? Severity.ERROR : Severity.WARNING,
                    "blocking " + (first.releaseMethod() != null ? "release " + first.releaseMethod() : "close")
                            + (locks.isEmpty() ? "" : " holding " + String.join(", ", locks))
                            + mnb.map(c -> " in must-not-block " + c.method()).orElse(""),
                    locks, g.getKey(), sb.toString(), d));
        }
        ctx.stat("findings", out.size());
        ctx.stat("slowCloseMillis", ctx.option(SLOW_CLOSE_MILLIS));
        return out;
    }
}
