package io.lockdep4j.analyzers.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * Turns JFR stack traces into trimmed lists of frame strings, {@code pkg.Class.method(File.java:123)},
 * and interns them so that a stack seen by many events is stored once.
 *
 * <p>Frames of lambda glue classes ({@code Foo$$Lambda$12/0x...}), of the agent itself ({@code io.lockdep4j.agent/events/analyzers}), of
 * {@code java.util.concurrent.locks.*} (the inside of {@code lock()}), and of JFR are dropped: they
 * are the same in every report and push the application's frames out of view. JFR does not
 * record source file names, so the file is derived from the outermost class name, which is right
 * for Java sources.
 */
public final class Frames {
    // lockdep4j's own code, listed by package rather than "io.lockdep4j." as a whole, so that
    // lockdep4j's samples, test workloads and benchmarks (application code here) keep their frames.
    // io.lockdep4j.analyzers is listed for the analyzers' own tests, which commit events themselves.
    private static final String[] DROPPED = {"io.lockdep4j.agent.", "io.lockdep4j.events.", "io.lockdep4j.analyzers.",
        "java.util.concurrent.locks.", "jdk.jfr."};
    private static final String[] PLATFORM = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "scala."};

    /** Most parsed stack objects remembered; the cache is dropped when full (a new chunk has new objects anyway). */
    static final int MAX_CACHED_TRACES = 4096;

    private final Map<String, String> frames = new HashMap<>();
    private final Map<List<String>, List<String>> stacks = new HashMap<>();
    // The JDK parser resolves a stack trace constant to one object per chunk, shared by all the
    // events that refer to it: trimming it once per object instead of once per event saves
    // formatting every frame of every event.
    private final Map<RecordedStackTrace, List<String>> trimmed = new IdentityHashMap<>();
    private final Map<List<String>, String> siteMethods = new IdentityHashMap<>();

    /** The trimmed, interned frames of {@code st}; an empty list when there is no stack. */
    public List<String> trim(RecordedStackTrace st) {
        if (st == null) {
            return List.of();
        }
        List<String> known = trimmed.get(st);
        if (known == null) {
            known = trimFrames(st);
            if (trimmed.size() >= MAX_CACHED_TRACES) {
                trimmed.clear();
            }
            trimmed.put(st, known);
        }
        return known;
    }

    /** "pkg.Cls.method(Cls.java:12)" → "pkg.Cls#method": a site without its line number. */
    public static String methodOf(String frame) {
        int paren = frame.indexOf('(');
        String m = paren < 0 ? frame : frame.substring(0, paren);
        int dot = m.lastIndexOf('.');
        return dot < 0 ? m : m.substring(0, dot) + "#" + m.substring(dot + 1);
    }

    /**
     * {@code methodOf(site(stack))} of an interned stack (one returned by this
     * object), computed once per stack.
     */
    String siteMethod(List<String> stack) {
        String m = siteMethods.get(stack);
        if (m == null) {
            m = methodOf(site(stack));
            if (siteMethods.size() >= MAX_CACHED_TRACES) {
                siteMethods.clear(); // only if callers pass stacks that are not interned
            }
            siteMethods.put(stack, m);
        }
        return m;
    }

    private List<String> trimFrames(RecordedStackTrace st) {
        List<String> out = new ArrayList<>();
        for (RecordedFrame f : st.getFrames()) {
            RecordedMethod m = f.getMethod();
            if (m == null || m.getType() == null) {
                continue;
            }
            String type = m.getType().getName();
            if (isDropped(type) || type.contains("$$Lambda")) { // lambda glue: no source, no information
                continue;
            }
            out.add(frames.computeIfAbsent(format(type, m.getName(), f.getLineNumber(), f.getType()), k -> k));
        }
        return stacks.computeIfAbsent(Collections.unmodifiableList(out), k -> k);
    }

    /**
     * The trimmed, interned frames of a stack the agent wrote as text ({@code Class.method:line}
     * per line, innermost first), for a waiter whose event another thread committed.
     */
    public List<String> parse(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            int colon = line.lastIndexOf(':');
            int dot = colon < 0 ? -1 : line.lastIndexOf('.', colon);
            if (dot <= 0) {
                continue;
            }
            String type = line.substring(0, dot);
            if (isDropped(type) || type.contains("$$Lambda")) {
                continue;
            }
            int lineNumber;
            try {
                lineNumber = Integer.parseInt(line.substring(colon + 1));
            } catch (NumberFormatException e) {
                lineNumber = -1;
            }
            String frameType = lineNumber == -2 ? "Native" : "Interpreted";
            out.add(frames.computeIfAbsent(format(type, line.substring(dot + 1, colon), lineNumber, frameType), k -> k));
        }
        return stacks.computeIfAbsent(Collections.unmodifiableList(out), k -> k);
    }

    static boolean isDropped(String type) {
        for (String d : DROPPED) {
            if (type.startsWith(d)) {
                return true;
            }
        }
        return false;
    }

    static String format(String type, String method, int line, String frameType) {
        StringBuilder sb = new StringBuilder(type.length() + method.length() + 24);
        sb.append(type).append('.').append(method).append('(');
        if ("Native".equals(frameType)) {
            return sb.append("Native Method)").toString();
        }
        sb.append(sourceFile(type));
        if (line > 0) {
            sb.append(':').append(line);
        }
        return sb.append(')').toString();
    }

    private static String sourceFile(String type) {
        String simple = type.substring(type.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        if (nested > 0) {
            simple = simple.substring(0, nested);
        }
        return simple + ".java";
    }

    /** True for frames of the JDK and language runtimes: not where an application bug lives. */
    public static boolean isPlatformFrame(String frame) {
        for (String p : PLATFORM) {
            if (frame.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The first application frame of a stack (or its first frame, or "?"), for one-line summaries. */
    public static String site(List<String> stack) {
        for (String f : stack) {
            if (!isPlatformFrame(f)) {
                return f;
            }
        }
        return stack.isEmpty() ? "?" : stack.get(0);
    }
}
