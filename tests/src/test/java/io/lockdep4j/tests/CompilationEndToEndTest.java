package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instrumented code is compiled as the application's own code is: the hooks must not make C1 or C2
 * refuse a method. The hook before a synchronized block's exceptional MONITOREXIT once sat inside
 * javac's self-covering handler range, and C1 refused every such method ("COMPILE SKIPPED:
 * exception handler covers itself"), so it ran interpreted until C2 took it, thousands of calls
 * later (a short test fork never got there). The program runs as a user runs it, under
 * {@code lockdep4j run}, with the JIT's compilation log.
 */
class CompilationEndToEndTest {
    static final String MAIN = "io.lockdep4j.tests.workloads.CompiledLocking";
    static final List<String> METHODS = List.of("block", "nested", "blockWithCatch", "method", "loopInBlock", "throwsOut", "alone");
    /** PrintCompilation: "  time id flags tier  class::method (size)", then the outcome for a refused one. */
    static final Pattern LINE = Pattern.compile("^\\s*\\d+\\s+\\d+\\s+[%sbn!]*\\s+(\\d)\\s+" + Pattern.quote(MAIN) + "::(\\w+) \\(\\d+ bytes\\)(.*)$",
            Pattern.MULTILINE);

    @TempDir
    Path dir;

    record Compiled(TreeSet<String> byC1, List<String> refused) {}

    static Compiled compiled(String log) {
        TreeSet<String> byC1 = new TreeSet<>();
        List<String> refused = new ArrayList<>();
        Matcher m = LINE.matcher(log);
        while (m.find()) {
            int tier = Integer.parseInt(m.group(1));
            if (m.group(3).contains("COMPILE SKIPPED")) {
                refused.add("tier " + tier + " " + m.group(2) + ":" + m.group(3));
            } else if (tier >= 1 && tier <= 3 && m.group(3).isBlank()) {
                byC1.add(m.group(2));
            }
        }
        return new Compiled(byC1, refused);
    }

    @Test
    void methodsWithSynchronizedBlocksAreCompiledByC1UnderTheAgent() throws Exception {
        Path rec = dir.resolve("compiled.jfr");
        Launcher.Result r = Launcher.lockdep4j("run", "-o", rec.toString(), "--",
                Launcher.JAVA, "-XX:+PrintCompilation", "-cp", Launcher.TEST_CLASSES, MAIN);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("done "), r.stdout());
        Compiled c = compiled(r.stdout());
        assertEquals(List.of(), c.refused(), "a compiler refused instrumented code");
        assertEquals(new TreeSet<>(METHODS), c.byC1(), "not compiled by C1 under the agent");

        // The releases on the exceptional paths, now hooked after the handler's range, are still recorded.
        List<String> edges = TransformCacheEndToEndTest.edges(rec, "CompiledLocking.");
        assertEquals(List.of("io.lockdep4j.tests.workloads.CompiledLocking.a -> io.lockdep4j.tests.workloads.CompiledLocking.b"), edges,
                "a lock released through a handler still counted as held (an edge into .c), or the nested order lost");
    }

    /** The twin: without the agent the same program compiles the same methods, so the check above can see them. */
    @Test
    void withoutTheAgentTheSameMethodsAreCompiledByC1() throws Exception {
        Launcher.Result r = Launcher.exec(List.of(Launcher.JAVA, "-XX:+PrintCompilation", "-cp", Launcher.TEST_CLASSES, MAIN), 120);
        assertEquals(0, r.exitCode(), r.stderr());
        Compiled c = compiled(r.stdout());
        assertEquals(List.of(), c.refused());
        assertEquals(new TreeSet<>(METHODS), c.byC1());
    }
}
