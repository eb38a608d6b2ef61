package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the agent keeps the instrumented bytes of the JDK's and the application's classes in a
 * per-user transform cache, so that a JVM after the first starts (and runs) without Byte Buddy. Each test gives its JVMs a private java.io.tmpdir
 * (where the cache lives): the first run is a first start, the next ones start from what it left.
 * What a start from the cache records must be what a first start records.
 */
class TransformCacheEndToEndTest {
    static final String AGENT = Launcher.ROOT.resolve("agent/target/lockdep4j-agent.jar").toString();
    static final String JFC = Launcher.ROOT.resolve("agent/src/main/resources/lockdep4j.jfc").toString();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern SUMMARY = Pattern.compile(
            "transformer saw (\\d+) classes, passed (\\d+) to Byte Buddy, took (\\d+) from the transform cache, instrumented (\\d+)");

    @TempDir
    Path dir;

    record Run(Launcher.Result result, int toByteBuddy, int fromCache, int instrumented, boolean byteBuddyLoaded) {}

    /** JVM flags every JVM of the test gets (after the agent). */
    final List<String> jvmFlags = new ArrayList<>();

    Run java(Path tmp, String agentOptions, Path recording, String... mainAndArgs) throws Exception {
        return javaOn(Launcher.TEST_CLASSES, tmp, agentOptions, recording, mainAndArgs);
    }

    Run javaOn(String classPath, Path tmp, String agentOptions, Path recording, String... mainAndArgs) throws Exception {
        Files.createDirectories(tmp);
        List<String> cmd = new ArrayList<>(List.of(Launcher.JAVA, "-Djava.io.tmpdir=" + tmp,
                "-javaagent:" + AGENT + "=verbose=true" + (agentOptions.isEmpty() ? "" : "," + agentOptions),
                "-Xlog:class+load=info:file=" + tmp.resolve("classes.log"), "-Xlog:jfr+startup=off"));
        cmd.addAll(jvmFlags);
        if (recording != null) {
            cmd.add("-XX:StartFlightRecording:settings=default,settings=" + JFC + ",filename=" + recording);
        }
        cmd.addAll(List.of("-cp", classPath));
        cmd.addAll(List.of(mainAndArgs));
        Launcher.Result r = Launcher.exec(cmd, 180);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        Matcher m = SUMMARY.matcher(r.stderr());
        assertTrue(m.find(), r.stderr());
        boolean loaded = Files.readString(tmp.resolve("classes.log")).contains("io.lockdep4j.shaded.bytebuddy.agent.builder.AgentBuilder$Default ");
        return new Run(r, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), loaded);
    }

    static List<Path> cacheEntries(Path tmp) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            s.filter(p -> p.getParent().getFileName().toString().startsWith("transforms-") && !p.getFileName().toString().endsWith(".txt"))
                    .forEach(out::add);
        }
        return out;
    }

    @Test
    void aHelloWorldAfterTheFirstStartsWithoutByteBuddy() throws Exception {
        Path tmp = dir.resolve("tmp");
        Path rec = dir.resolve("hello.jfr");
        Run first = java(tmp, "", rec, "io.lockdep4j.tests.workloads.HelloWorld");
        assertTrue(first.byteBuddyLoaded() && first.toByteBuddy() > 0 && first.fromCache() == 0, first.result().stderr());
        assertFalse(cacheEntries(tmp).isEmpty(), "a first start fills the cache");
        Run second = java(tmp, "", rec, "io.lockdep4j.tests.workloads.HelloWorld");
        assertEquals(0, second.toByteBuddy(), second.result().stderr());
        assertFalse(second.byteBuddyLoaded(), "Byte Buddy's AgentBuilder was loaded at a start from the cache");
        // the JDK lock and file classes are instrumented all the same, from the cache
        assertTrue(second.fromCache() >= 10 && second.instrumented() >= 10, second.result().stderr());
        for (String c : List.of("java.util.concurrent.locks.ReentrantLock", "java.io.FileOutputStream", "java.util.Hashtable")) {
            assertTrue(second.result().stderr().contains("instrumented " + c + " (from the transform cache)"), second.result().stderr());
        }
        // the last AgentStatistics event is written before the classes JFR's own shutdown loads
        long hits = statistic(rec, "transformCacheHits");
        assertTrue(hits >= 10 && hits <= second.fromCache(), "the AgentStatistics event counts the hits: " + hits);
        assertTrue(second.result().stdout().contains("hello"));
    }

    @Test
    void findingsFromTheCacheAreTheFindingsOfAFirstStart() throws Exception {
        List<String> cold = new ArrayList<>();
        List<String> warm = new ArrayList<>();
        Path warmTmp = dir.resolve("tmp-warm");
        java(warmTmp, "", null, "io.lockdep4j.tests.workloads.HelloWorld"); // fills the cache
        for (List<String> run : List.of(cold, warm)) {
            String n = run == cold ? "cold" : "warm";
            // a first start each (an empty cache), or both from the cache
            Path locks = dir.resolve(n + "-hashtable.jfr");
            Run r1 = java(run == cold ? dir.resolve("tmp-cold-1") : warmTmp, "", locks, "io.lockdep4j.tests.workloads.Scenarios", "hashtable");
            Path files = dir.resolve(n + "-leak.jfr");
            Run r2 = java(run == cold ? dir.resolve("tmp-cold-2") : warmTmp, "", files,
                    "io.lockdep4j.tests.workloads.ReleaseScenarios", "leak", dir.resolve(n).toString());
            if (run == cold) {
                assertTrue(r1.fromCache() == 0 && r2.fromCache() == 0, r1.result().stderr() + r2.result().stderr());
            } else {
                assertTrue(r1.fromCache() > 0 && r2.fromCache() > 0, r1.result().stderr() + r2.result().stderr());
            }
            run.addAll(findings(locks));
            run.addAll(findings(files));
        }
        assertTrue(cold.stream().anyMatch(f -> f.startsWith("lock-order-cycle ")), cold.toString());
        assertTrue(cold.stream().anyMatch(f -> f.startsWith("resource-leak ")), cold.toString());
        assertEquals(cold, warm);
    }

    @Test
    void aDamagedEntryIsAMissAndTheAgentStillInstruments() throws Exception {
        Path tmp = dir.resolve("tmp");
        java(tmp, "", null, "io.lockdep4j.tests.workloads.HelloWorld");
        List<Path> entries = cacheEntries(tmp);
        assertFalse(entries.isEmpty());
        for (Path e : entries) { // one byte changed in the output part (the last quarter of the file)
            byte[] b = Files.readAllBytes(e);
            b[b.length - b.length / 4] ^= 0x5a;
            Files.write(e, b);
        }
        Path rec = dir.resolve("damaged.jfr");
        Run damaged = java(tmp, "", rec, "io.lockdep4j.tests.workloads.Scenarios", "hashtable");
        assertEquals(0, damaged.fromCache(), damaged.result().stderr());
        assertTrue(damaged.toByteBuddy() > 0 && damaged.byteBuddyLoaded(), damaged.result().stderr());
        assertTrue(findings(rec).stream().anyMatch(f -> f.startsWith("lock-order-cycle ")), "the damaged cache cost the finding");
    }

    @Test
    void transformCacheFalseWritesNoCache() throws Exception {
        Path tmp = dir.resolve("tmp");
        for (int i = 0; i < 2; i++) {
            Run r = java(tmp, "transformCache=false", null, "io.lockdep4j.tests.workloads.HelloWorld");
            assertEquals(0, r.fromCache());
            assertTrue(r.toByteBuddy() > 0 && r.byteBuddyLoaded());
        }
        assertEquals(List.of(), cacheEntries(tmp));
    }

    @Test
    void aStartFromTheCacheDetachesAndRestoresTheClassesItRewrote() throws Exception {
        Path tmp = dir.resolve("tmp");
        java(tmp, "", null, "io.lockdep4j.tests.workloads.HelloWorld"); // fills the cache
        Path stop = dir.resolve("stop");
        Path log = dir.resolve("app.log");
        Process app = new ProcessBuilder(Launcher.JAVA, "-Djava.io.tmpdir=" + tmp, "-javaagent:" + AGENT + "=verbose=true",
                "-Xlog:redefine+class+load=info:file=" + dir.resolve("redefine.log"), "-cp", Launcher.TEST_CLASSES,
                "io.lockdep4j.tests.workloads.Scenarios", "until-stopped", stop.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("ready") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(log).contains("Byte Buddy not built yet"), Files.readString(log));
            Launcher.Result detach = Launcher.lockdep4j("detach", String.valueOf(app.pid()));
            assertEquals(0, detach.exitCode(), detach.stderr());
            deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("agent stopped") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(log).contains("lockdep4j: agent stopped; instrumented classes restored"), Files.readString(log));
            // ReentrantLock: rewritten from the cache at the start, redefined again (as the JDK has it) at the detach
            long redefinitions = Files.readAllLines(dir.resolve("redefine.log")).stream()
                    .filter(l -> l.contains("redefined name=java.util.concurrent.locks.ReentrantLock,"))
                    .count();
            assertTrue(redefinitions >= 2, Files.readString(dir.resolve("redefine.log")));
            Files.createFile(stop);
            assertTrue(app.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, app.exitValue(), Files.readString(log));
        } finally {
            app.destroyForcibly();
        }
    }

    @Test
    void aJdkClassFirstLoadedAfterTheStartIsBuiltOnce() throws Exception {
        Path tmp = dir.resolve("tmp");
        Path rec = dir.resolve("late.jfr");
        java(tmp, "", rec, "io.lockdep4j.tests.workloads.HelloWorld"); // the start-up set: no ThreadPoolExecutor
        Run missing = java(tmp, "", rec, "io.lockdep4j.tests.workloads.LateJdkClasses");
        assertTrue(missing.result().stderr().contains("building Byte Buddy for java.util.concurrent.ThreadPoolExecutor"),
                missing.result().stderr());
        // transformed once the build was done (the program waited for it): its first-load transformation was kept (before the
        // JVM exited), so the next JVM loads it from the cache
        Run next = java(tmp, "", rec, "io.lockdep4j.tests.workloads.LateJdkClasses");
        assertFalse(next.result().stderr().contains("building Byte Buddy for java.util.concurrent.ThreadPoolExecutor"), next.result().stderr());
        assertTrue(next.result().stderr().contains("instrumented java.util.concurrent.ThreadPoolExecutor (from the transform cache)"),
                next.result().stderr());
        // which JDK classes load after the start varies a little from run to run (ForkJoinPool, by timing):
        // each is missed once, then the runs start and end without Byte Buddy
        boolean converged = !next.byteBuddyLoaded();
        for (int i = 0; i < 3 && !converged; i++) {
            Run r = java(tmp, "", rec, "io.lockdep4j.tests.workloads.LateJdkClasses");
            converged = !r.byteBuddyLoaded() && !r.result().stderr().contains("building Byte Buddy");
        }
        assertTrue(converged, "every run after the first still built Byte Buddy");
    }

    /**
     * Without CDS (as {@code lockdep4j run} starts a program) HotSpot reconstitutes a retransformed
     * class's methods in an order that changes from run to run; JFR's file events retransform
     * FileChannelImpl and RandomAccessFile at every start, so every start missed and built Byte Buddy.
     */
    @Test
    void aStartWithoutCdsTakesItsRetransformationsFromTheCache() throws Exception {
        Path tmp = dir.resolve("tmp");
        Path rec = dir.resolve("noshare.jfr");
        jvmFlags.add("-Xshare:off");
        java(tmp, "", rec, "io.lockdep4j.tests.workloads.HelloWorld"); // fills the cache
        for (int i = 0; i < 2; i++) {
            Run warm = java(tmp, "", rec, "io.lockdep4j.tests.workloads.HelloWorld");
            assertEquals(0, warm.toByteBuddy(), warm.result().stderr());
            assertFalse(warm.byteBuddyLoaded(), warm.result().stderr());
            assertTrue(warm.result().stderr().contains("instrumented sun.nio.ch.FileChannelImpl (from the transform cache)"),
                    warm.result().stderr());
        }
    }

    /**
     * A JDK class the cache lacks, first loaded by the program while nothing else misses: the program
     * waits for Byte Buddy's build and runs the class instrumented (it used to run it uninstrumented
     * until a retransformation after the build, and lost the lock-order edge below). Byte Buddy's
     * build must not need Vector itself (the agent's hooks compared with {@code Vector.class}).
     */
    @Test
    void aJdkClassTheCacheLacksIsInstrumentedBeforeTheProgramUsesIt() throws Exception {
        Path tmp = dir.resolve("tmp");
        Path rec = dir.resolve("vector.jfr");
        for (int i = 0; i < 2; i++) {
            java(tmp, "", rec, "io.lockdep4j.tests.workloads.JvmLockScenarios", "vector-addall"); // everything cached
        }
        List<Path> vector = cacheEntries(tmp).stream().filter(p -> p.getFileName().toString().startsWith("java.util.Vector.")).toList();
        assertFalse(vector.isEmpty(), "Vector was cached");
        for (Path p : vector) {
            Files.delete(p);
        }
        Run missing = java(tmp, "", rec, "io.lockdep4j.tests.workloads.JvmLockScenarios", "vector-addall");
        String stderr = missing.result().stderr();
        assertTrue(stderr.contains("building Byte Buddy for java.util.Vector, not in the transform cache"), stderr);
        assertFalse(stderr.contains("loaded uninstrumented"), stderr);
        String inbox = "io.lockdep4j.tests.workloads.JvmLockScenarios$Inbox.messages";
        assertEquals(List.of(inbox + " -> " + inbox), edges(rec, "$Inbox."), stderr);
    }

    @Test
    void applicationClassesFromTheCacheCarryThisJvmsIds() throws Exception {
        Path tmp = dir.resolve("tmp");
        java(tmp, "", dir.resolve("first.jfr"), "io.lockdep4j.tests.workloads.CacheOrderScenarios", "alpha-first"); // fills the cache
        // the other order: this JVM gives Beta's lock classes the ids the first gave Alpha's
        Path warmRec = dir.resolve("warm.jfr");
        Run warm = java(tmp, "", warmRec, "io.lockdep4j.tests.workloads.CacheOrderScenarios", "beta-first");
        assertEquals(0, warm.toByteBuddy(), warm.result().stderr());
        assertFalse(warm.byteBuddyLoaded(), "the application classes came from the cache: Byte Buddy not built");
        Path coldRec = dir.resolve("cold.jfr");
        Run cold = java(dir.resolve("tmp-cold"), "", coldRec, "io.lockdep4j.tests.workloads.CacheOrderScenarios", "beta-first");
        assertTrue(cold.toByteBuddy() > 0, cold.result().stderr());
        String alpha = "io.lockdep4j.tests.workloads.CacheOrderScenarios$Alpha";
        String beta = "io.lockdep4j.tests.workloads.CacheOrderScenarios$Beta";
        List<String> expected = List.of(alpha + ".lock -> " + beta + ".lock", beta + ".monitor -> " + alpha + ".monitor");
        assertEquals(expected, edges(coldRec, "CacheOrderScenarios$"));
        assertEquals(expected, edges(warmRec, "CacheOrderScenarios$"), "cached bytes named the locks by another JVM's ids");
    }

    @Test
    void anApplicationClassWhoseSupertypeChangedIsTransformedAgain() throws Exception {
        // Sub (synchronized, so it goes to Byte Buddy) extends Base; Base comes from one of two directories
        Path common = dir.resolve("common");
        Path v1 = dir.resolve("base-v1");
        Path v2 = dir.resolve("base-v2");
        compile(v1, "cachetest.Base", "package cachetest; public class Base { }", null);
        compile(v2, "cachetest.Base", "package cachetest; public class Base implements java.io.Serializable { int x; }", null);
        compile(common, "cachetest.Sub", "package cachetest; public class Sub extends Base { public synchronized void m() { } "
                + "public static void main(String[] a) { new Sub().m(); System.out.println(\"done\"); } }", v1);
        Path tmp = dir.resolve("tmp");
        Run first = javaOn(common + java.io.File.pathSeparator + v1, tmp, "", null, "cachetest.Sub");
        assertTrue(first.toByteBuddy() > 0, first.result().stderr());
        Run same = javaOn(common + java.io.File.pathSeparator + v1, tmp, "", null, "cachetest.Sub");
        assertEquals(0, same.toByteBuddy(), "the same class files: Sub from the cache; " + same.result().stderr());
        Run changed = javaOn(common + java.io.File.pathSeparator + v2, tmp, "", null, "cachetest.Sub");
        assertTrue(changed.result().stderr().contains("building Byte Buddy for cachetest.Sub, not in the transform cache"),
                "Sub's supertype changed: Sub transformed again; " + changed.result().stderr());
        assertTrue(changed.byteBuddyLoaded());
        Run again = javaOn(common + java.io.File.pathSeparator + v2, tmp, "", null, "cachetest.Sub");
        assertEquals(0, again.toByteBuddy(), "kept for the new supertype; " + again.result().stderr());
    }

    /** Compiles one class into {@code out} (with {@code classPath} to compile against, or none). */
    static void compile(Path out, String className, String source, Path classPath) throws IOException {
        Path src = out.resolveSibling(out.getFileName() + "-src").resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.createDirectories(out);
        Files.writeString(src, source);
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--release", "11"));
        if (classPath != null) {
            args.addAll(List.of("-cp", classPath.toString()));
        }
        args.add(src.toString());
        assertEquals(0, javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0])));
    }

    /** The LockOrderEdge events between locks whose names contain {@code among}, as "held -> acquired", sorted. */
    static List<String> edges(Path recording, String among) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("lockdep4j.LockOrderEdge") && e.getString("heldLock").contains(among)
                    && e.getString("acquiredLock").contains(among)) {
                out.add(e.getString("heldLock") + " -> " + e.getString("acquiredLock"));
            }
        }
        return new ArrayList<>(out);
    }

    /** Every finding as "rule key", sorted: what a user acts on. */
    static List<String> findings(Path recording) throws Exception {
        Launcher.Result a = Launcher.lockdep4j("analyze", recording.toString(), "--format", "json");
        assertTrue(a.exitCode() <= 1, a.stderr());
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode f : JSON.readTree(a.stdout()).path("findings")) {
            out.add(f.path("rule").asText() + " " + f.path("key").asText());
        }
        return new ArrayList<>(out);
    }

    static long statistic(Path recording, String field) throws IOException {
        long last = -1;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("lockdep4j.AgentStatistics")) {
                last = e.getLong(field);
            }
        }
        return last;
    }
}
