package io.lockdep4j.analyzers.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * One model-side copy of each value that events repeat: threads, trimmed stacks, strings, parsed
 * held-lock and context lists. The JDK parser hands out one {@link RecordedThread} and one
 * {@link RecordedStackTrace} object per constant of a chunk, and the agent writes the same few
 * held-lock strings again and again, so each is resolved once and then found by identity or
 * equality. Every cache is bounded: dropped when full, never grown without limit. Model thread only.
 */
final class ValueCache {
    static final int MAX_CACHED_THREADS = 4096;
    static final int MAX_CACHED_STRINGS = 4096;

    private final Frames frames;
    private final Map<String, String> strings;
    /** ThreadRef per parsed thread constant, for the current recording (a ThreadRef carries its index). */
    private final Map<RecordedThread, ThreadRef> threads = new IdentityHashMap<>();
    private final Map<String, List<HeldLock>> parsedHeld = new HashMap<>();
    private final Map<String, List<ReleasePaths.Context>> parsedContexts = new HashMap<>();

    ValueCache() {
        this(new Frames(), new HashMap<>());
    }

    ValueCache(Frames frames, Map<String, String> strings) {
        this.frames = frames;
        this.strings = strings;
    }

    Frames frames() {
        return frames;
    }

    /** Called when a recording starts: thread constants are per recording. */
    void newRecording() {
        threads.clear();
    }

    String intern(String s) {
        return s == null ? null : strings.computeIfAbsent(s, k -> k);
    }

    /** The trimmed, interned frames of {@code st}; empty when there is none. */
    List<String> stack(RecordedStackTrace st) {
        return frames.trim(st);
    }

    /** {@link Frames#methodOf} of the first application frame of an interned stack, computed once per stack. */
    String siteMethod(List<String> stack) {
        return frames.siteMethod(stack);
    }

    ThreadRef thread(int recording, RecordedThread t) {
        if (t == null) {
            return new ThreadRef(recording, -1, "");
        }
        ThreadRef ref = threads.get(t);
        if (ref == null) {
            String name = t.getJavaName();
            if (name == null || name.isEmpty()) {
                name = t.getOSName() == null ? "" : t.getOSName();
            }
            ref = new ThreadRef(recording, t.getJavaThreadId(), intern(name));
            if (threads.size() >= MAX_CACHED_THREADS) {
                threads.clear();
            }
            threads.put(t, ref);
        }
        return ref;
    }

    /** Held-lock text ({@link HeldLock}) as an immutable list with interned class names. */
    List<HeldLock> held(String s) {
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        List<HeldLock> known = parsedHeld.get(s);
        if (known == null) {
            List<HeldLock> out = new ArrayList<>();
            for (HeldLock h : HeldLock.parseAll(s)) {
                out.add(h.withLockClass(intern(h.lockClass())));
            }
            known = List.copyOf(out);
            if (parsedHeld.size() >= MAX_CACHED_STRINGS) {
                parsedHeld.clear();
            }
            parsedHeld.put(s, known);
        }
        return known;
    }

    /** Context text, {@code name:Class#method} joined with {@code ;}, as an immutable list. */
    List<ReleasePaths.Context> contexts(String s) {
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        List<ReleasePaths.Context> known = parsedContexts.get(s);
        if (known == null) {
            List<ReleasePaths.Context> out = new ArrayList<>();
            for (String part : s.split(";")) {
                int colon = part.indexOf(':');
                if (colon > 0) {
                    out.add(new ReleasePaths.Context(intern(part.substring(0, colon)), intern(part.substring(colon + 1))));
                }
            }
            known = List.copyOf(out);
            if (parsedContexts.size() >= MAX_CACHED_STRINGS) {
                parsedContexts.clear();
            }
            parsedContexts.put(s, known);
        }
        return known;
    }
}
