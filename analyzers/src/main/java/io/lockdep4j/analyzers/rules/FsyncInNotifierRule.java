package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import io.lockdep4j.events.EventNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fsync (force, or a close that forced) inside a notifier context: a listener callback runs on
 * the notifying thread, usually under the notifier's locks, so its disk wait is every caller's
 * wait. One finding per listener method and set of held lock classes.
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
    public List<Finding> check(LockModel model, RuleContext ctx) {
        Map<String, List<ReleasePaths.Op>> groups = new LinkedHashMap<>();
        Map<String, ReleasePaths.Context> listener = new LinkedHashMap<>();
        for (ReleasePaths.Op op : model.releasePaths().operations()) {
            if (!(op.kind.equals("force") || op.forced)) {
                continue;
            }
            var notifier = op.context(EventNames.CONTEXT_NOTIFIER);
            if (notifier.isEmpty()) {
                continue;
            }
            String m = notifier.get().method();
            int note = m.indexOf(" ("); // "Iface#method (lambda in Owner)": the key keeps the method only
            String key = ReleaseText.key(ID, note > 0 ? m.substring(0, note) : m, ReleaseText.lockClasses(op.held));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
            listener.putIfAbsent(key, notifier.get());
        }
        List<Finding> out = new ArrayList<>();
        for (var g : groups.entrySet()) {
            List<ReleasePaths.Op> ops = g.getValue();
            ReleasePaths.Op first = ops.stream().filter(o -> o.kind.equals("force")).findFirst().orElse(ops.get(0));
            String method = listener.get(g.getKey()).method();
            List<String> locks = ReleaseText.lockClasses(first.held);
            long worst = ops.stream().mapToLong(ReleasePaths.Op::worstNanos).max().orElse(0);
            long count = ops.stream().filter(o -> o.kind.equals("force")).mapToLong(ReleasePaths.Op::count).sum();
            StringBuilder sb = new StringBuilder();
            sb.append("The listener ").append(method).append(" forced a file to disk (fsync) inside its callback, on thread ")
                    .append(first.thread.display()).append(",\nholding ").append(ReleaseText.held(first.held))
                    .append(". Every thread that notifies, or waits for those locks, waits for the disk too (worst ")
                    .append(ReleaseText.ms(worst)).append(").\n");
            sb.append("file: ").append(first.path).append(first.releaseMethod() == null ? "" : "  (release " + first.releaseMethod() + ")")
                    .append('\n');
            sb.append("stack:\n");
            ReleaseText.stack(sb, "  ", first.stack);
            sb.append("Fix: do not close/force in the callback; hand the final close to a release executor (like the kernel's"
                    + " delayed fput), or record the work and do it after the notifier's locks are dropped.\n");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("listener", method);
            d.put("path", first.path);
            d.put("heldLocks", ReleaseText.strings(first.held));
            d.put("forces", count);
            d.put("maxBlockingNanos", worst);
            d.put("operations", ops.stream().map(ReleaseText::op).toList());
            out.add(new Finding(ID, first.held.isEmpty() ? Severity.WARNING : Severity.ERROR,
                    "fsync in notifier " + method + (locks.isEmpty() ? "" : " holding " + String.join(", ", locks)),
                    locks, g.getKey(), sb.toString(), d));
        }
        ctx.stat("findings", out.size());
        return out;
    }
}
