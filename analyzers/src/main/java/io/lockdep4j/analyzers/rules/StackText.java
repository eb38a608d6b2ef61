package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.Frames;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A stack as the text report prints it: its first frame (the call that locked, blocked or waited),
 * then every frame of code the user can change, with each run of two or more frames the user does
 * not own (the JDK, reflection, JUnit and its launchers, virtual-thread carriers) as one line that
 * says what it hides; at most {@link #LINES} lines, but never cut before the first application
 * frame. JSON and HTML keep every frame.
 *
 * <pre>{@code
 *            com.acme.Store.flush(Store.java:40)
 *            ... 6 frames: reflection, JUnit
 *            com.acme.StoreTest.flushes(StoreTest.java:12)
 * }</pre>
 */
final class StackText {
    private StackText() {}

    static final int LINES = 12;

    private static final String[][] GROUPS = {
        {"reflection", "java.lang.reflect.", "jdk.internal.reflect.", "sun.reflect.", "java.lang.invoke."},
        {"virtual-thread carrier", "java.lang.VirtualThread", "jdk.internal.vm.", "java.util.concurrent.ForkJoin"},
        {"JUnit", "org.junit.", "junit.", "org.opentest4j.", "org.apache.maven.surefire.", "org.testng.", "org.gradle."},
    };

    /** What kind of frame the user does not own, or null for application (and library) code. */
    static String group(String frame) {
        for (String[] g : GROUPS) {
            for (int i = 1; i < g.length; i++) {
                if (frame.startsWith(g[i])) {
                    return g[0];
                }
            }
        }
        return Frames.isPlatformFrame(frame) ? "JDK" : null;
    }

    /** Appends {@code frames}, one line each as {@code prefix + frame}; collapsed runs and the cut as {@code indent + "... "}. */
    static void append(StringBuilder sb, String indent, String prefix, List<String> frames) {
        if (frames.isEmpty()) {
            sb.append(indent).append("(no stack recorded)\n");
            return;
        }
        int firstApplication = -1;
        for (int i = 0; i < frames.size() && firstApplication < 0; i++) {
            if (group(frames.get(i)) == null) {
                firstApplication = i;
            }
        }
        sb.append(prefix).append(frames.get(0)).append('\n');
        int lines = 1;
        int i = 1;
        while (i < frames.size()) {
            if (lines >= LINES && i > firstApplication) {
                sb.append(indent).append("... ").append(frames.size() - i).append(" more\n");
                return;
            }
            int end = i;
            while (end < frames.size() && group(frames.get(end)) != null) {
                end++;
            }
            if (end - i >= 2) {
                Set<String> kinds = new LinkedHashSet<>();
                for (int j = i; j < end; j++) {
                    kinds.add(group(frames.get(j)));
                }
                sb.append(indent).append("... ").append(end - i).append(" frames: ").append(String.join(", ", kinds)).append('\n');
                i = end;
            } else {
                sb.append(prefix).append(frames.get(i)).append('\n');
                i++;
            }
            lines++;
        }
    }
}
