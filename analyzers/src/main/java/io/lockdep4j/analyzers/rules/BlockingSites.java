package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.Frames;
import io.lockdep4j.analyzers.model.HeldLock;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.LockModes;
import io.lockdep4j.analyzers.model.ReleasePaths;
import io.lockdep4j.analyzers.model.ThreadRef;
import io.lockdep4j.events.EventNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One bug, one finding: the blocking closes and forces of the model grouped by the blocking call
 * site (the first application frame of the close/force, without its line) and by hazard. Every
 * path that reached the site (its locks, contexts, release method and stack) is aggregated into
 * one {@link Path} with every operation's count and worst time, and each path has exactly one
 * hazard, the most specific that explains it, so a force and the close that follows it at the
 * same site, or a listener's forcing close, are reported once, not by three rules:
 *
 * <ol>
 *   <li>{@link Hazard#NOTIFIER}: a force, or a close that forced, inside a notifier context;</li>
 *   <li>{@link Hazard#RELEASE}: otherwise a synchronous (not deferred) close that forced or was
 *       slow, or a force inside a synchronous release method, holding locks or inside a
 *       must-not-block context;</li>
 *   <li>{@link Hazard#UNDER_LOCK}: otherwise a force or a slow close holding locks.</li>
 * </ol>
 */
final class BlockingSites {
    private BlockingSites() {}

    enum Hazard { NOTIFIER, RELEASE, UNDER_LOCK }

    /** The text report lists this many paths per site; JSON has them all. */
    static final int TEXT_PATHS = 4;

    /** Every operation of one path to a blocking site, aggregated. */
    static final class Path {
        final String site;
        final List<HeldLock> held;
        final List<ReleasePaths.Context> contexts;
        final String releaseMethod;
        final boolean deferred;
        final List<String> stack;
        final String file;
        final Set<ThreadRef> threads = new LinkedHashSet<>();
        final List<ReleasePaths.Op> ops = new ArrayList<>();
        boolean forced;
        boolean blockingSyncClose;
        /** Some lock held on this path may have been shared: set once every operation is in. */
        boolean sharedHeld;
        long forces;
        long closes;
        long worstNanos;

        Path(String site, ReleasePaths.Op first) {
            this.site = site;
            this.held = first.held;
            this.contexts = first.contexts;
            this.releaseMethod = first.releaseMethod();
            this.deferred = first.deferred;
            this.stack = first.stack;
            this.file = first.path;
        }

        long count() {
            return forces + closes;
        }

        ThreadRef thread() {
            return threads.iterator().next();
        }

        java.util.Optional<ReleasePaths.Context> context(String name) {
            return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        Hazard hazard() {
            if (context(EventNames.CONTEXT_NOTIFIER).isPresent() && (forces > 0 || forced)) {
                return Hazard.NOTIFIER;
            }
            // a synchronous release ran the blocking work in-line: its forcing close, or a force
            // inside the release method when the close after it was quick (then only the force is
            // on this path; how often the close path ran decides that, not the hazard)
            boolean syncRelease = blockingSyncClose || (forces > 0 && releaseMethod != null && !deferred);
            if (syncRelease && (sharedHeld || context(EventNames.CONTEXT_MUST_NOT_BLOCK).isPresent())) {
                return Hazard.RELEASE;
            }
            return sharedHeld ? Hazard.UNDER_LOCK : null;
        }

        /**
         * Every operation of this path held only instances of {@code lock} that no other thread
         * locked, then or later (the agent's heldUnshared and LockInstanceShared): nobody waited for them.
         */
        boolean neverShared(LockModel model, String lock) {
            return held.stream().anyMatch(h -> h.lockClass().equals(lock))
                    && ops.stream().allMatch(op -> model.releasePaths().neverShared(op, lock));
        }
    }

    /** The paths of one blocking call site that have one hazard, in the order first seen. */
    static final class Site {
        final String method;
        final List<Path> paths = new ArrayList<>();

        Site(String method) {
            this.method = method;
        }

        long count() {
            return paths.stream().mapToLong(Path::count).sum();
        }

        long worstNanos() {
            return paths.stream().mapToLong(p -> p.worstNanos).max().orElse(0);
        }

        /** Lock classes held on any path, first path first. */
        List<String> lockClasses() {
            List<String> out = new ArrayList<>();
            for (Path p : paths) {
                for (String c : ReleaseText.lockClasses(p.held)) {
                    if (!out.contains(c)) {
                        out.add(c);
                    }
                }
            }
            return out;
        }

        List<String> heldLocks() {
            List<String> out = new ArrayList<>();
            for (Path p : paths) {
                for (HeldLock h : p.held) {
                    if (!out.contains(h.toString())) {
                        out.add(h.toString());
                    }
                }
            }
            return out;
        }

        List<ReleasePaths.Op> ops() {
            return paths.stream().flatMap(p -> p.ops.stream()).toList();
        }

        /** The method of the user's code on the first path ({@link AppFrames#frame}); often the site itself. */
        String applicationMethod(AppFrames app) {
            return Frames.methodOf(app.frame(paths.get(0).stack));
        }

        /**
         * The site as a title names it: the user's method, and the blocking call site after "via" when
         * that is another (a library's) method, so a wrong guess still shows both.
         */
        String shown(AppFrames app) {
            String user = applicationMethod(app);
            return user.equals(method) ? method : user + " (via " + method + ")";
        }
    }

    /** The blocking sites whose paths have {@code hazard}; a close is slow from {@code slowCloseNanos}. */
    static List<Site> of(LockModel model, long slowCloseNanos, Hazard hazard) {
        Map<List<Object>, Path> paths = new LinkedHashMap<>();
        for (ReleasePaths.Op op : model.releasePaths().operations()) {
            // a plain close is blocking when typically slow: one slow close among fast ones is the machine stalling
            boolean slow = op.typicalNanos() >= slowCloseNanos;
            boolean isForce = op.kind.equals("force");
            if (!isForce && !op.forced && !slow) {
                continue; // a quick plain close blocks nobody
            }
            String siteFrame = Frames.site(op.stack);
            String site = Frames.methodOf(siteFrame);
            // the path is the frames from the site down: the JDK frames above it differ between a force and a close
            int top = Math.max(0, op.stack.indexOf(siteFrame));
            List<String> methods = op.stack.subList(top, op.stack.size()).stream().map(Frames::methodOf).toList();
            // a force and the close after it on the same path are one path: the kind is not in the key
            List<Object> key = List.of(site, op.held, op.contexts, String.valueOf(op.releaseMethod()), op.deferred, methods);
            Path p = paths.computeIfAbsent(key, k -> new Path(site, op));
            p.ops.add(op);
            p.threads.add(op.thread);
            p.worstNanos = Math.max(p.worstNanos, op.worstNanos());
            if (isForce) {
                p.forces += op.count();
            } else {
                p.closes += op.count();
                p.forced |= op.forced;
                p.blockingSyncClose |= !op.deferred;
            }
        }
        Map<String, Site> sites = new LinkedHashMap<>();
        for (Path p : paths.values()) {
            p.sharedHeld = p.held.stream().anyMatch(h -> !p.neverShared(model, h.lockClass()));
            if (p.hazard() == hazard) {
                sites.computeIfAbsent(p.site, Site::new).paths.add(p);
            }
        }
        return new ArrayList<>(sites.values());
    }

    /**
     * The frame through which this path reached the site, as opposed to the site's other paths:
     * the first frame (from the top) where its stack leaves the other paths' frames; with one path,
     * the site's caller.
     */
    static String reachedFrom(Site s, Path p) {
        List<String> mine = p.stack;
        int top = Math.max(0, mine.indexOf(Frames.site(mine)));
        int diverge = mine.size();
        for (Path o : s.paths) {
            if (o == p) {
                continue;
            }
            int i = top;
            while (i < mine.size() && i < o.stack.size() && Frames.methodOf(mine.get(i)).equals(Frames.methodOf(o.stack.get(i)))) {
                i++;
            }
            diverge = Math.min(diverge, i);
        }
        if (s.paths.size() == 1 || diverge >= mine.size()) {
            diverge = Math.min(top + 1, mine.size() - 1);
        }
        return mine.isEmpty() || diverge < 0 ? "?" : mine.get(diverge);
    }

    /** One line per path: how it reached the site, contexts, locks, threads, count and worst; then its stack. */
    static void describe(StringBuilder sb, LockModel model, Site s) {
        int n = 0;
        for (Path p : s.paths) {
            if (++n > TEXT_PATHS) {
                sb.append("... and ").append(s.paths.size() - TEXT_PATHS).append(" more paths (all in the JSON report)\n");
                break;
            }
            sb.append("path ").append(n).append(": via ").append(reachedFrom(s, p));
            if (p.releaseMethod != null) {
                sb.append(", in release ").append(p.releaseMethod).append(p.deferred ? " (deferred)" : "");
            }
            for (ReleasePaths.Context c : p.contexts) {
                sb.append(", in ").append(contextName(c.name())).append(' ').append(c.method());
            }
            sb.append("\n  holding ").append(LockModes.held(model, p.held)).append("; thread ").append(p.thread().display());
            if (p.threads.size() > 1) {
                sb.append(" and ").append(p.threads.size() - 1).append(" more");
            }
            sb.append("; ").append(what(p)).append(", worst ").append(ReleaseText.ms(p.worstNanos)).append('\n');
            sb.append("  file: ").append(p.file).append('\n');
            ReleaseText.stack(sb, "  ", p.stack);
        }
    }

    static String contextName(String name) {
        return switch (name) {
            case EventNames.CONTEXT_NOTIFIER -> "notifier";
            case EventNames.CONTEXT_MUST_NOT_BLOCK -> "must-not-block";
            default -> name;
        };
    }

    private static String what(Path p) {
        List<String> parts = new ArrayList<>();
        if (p.forces > 0) {
            parts.add(p.forces + (p.forces == 1 ? " force" : " forces"));
        }
        if (p.closes > 0) {
            parts.add(p.closes + (p.closes == 1 ? " close" : " closes") + (p.forced ? " that forced" : ""));
        }
        return String.join(" and ", parts);
    }

    /** The JSON shape of the paths. */
    static List<Object> json(Site s) {
        List<Object> out = new ArrayList<>();
        for (Path p : s.paths) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reachedFrom", reachedFrom(s, p));
            m.put("releaseMethod", p.releaseMethod);
            m.put("deferred", p.deferred);
            m.put("contexts", ReleaseText.strings(p.contexts));
            m.put("heldLocks", ReleaseText.strings(p.held));
            m.put("thread", ReleaseText.thread(p.thread()));
            m.put("threads", p.threads.size());
            m.put("forces", p.forces);
            m.put("closes", p.closes);
            m.put("forced", p.forced);
            m.put("maxBlockingNanos", p.worstNanos);
            m.put("path", p.file);
            m.put("stack", p.stack);
            out.add(m);
        }
        return out;
    }
}
