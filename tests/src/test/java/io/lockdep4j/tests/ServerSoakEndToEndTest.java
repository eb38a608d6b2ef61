package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Nothing lost", point 4, behind a flag (ten minutes of a busy machine): the sample NFS
 * server under the agent ({@code lockdep4j run}) and its load driver at full speed for
 * {@code -Dlockdep4j.serverSoakSeconds} (600), sampled every {@code -Dlockdep4j.serverSoakSampleSeconds}
 * (60): the heap after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}) and the agent's tables
 * (lock classes, chains, edges, registry entries: the last {@code lockdep4j.AgentStatistics} of a
 * {@code jcmd JFR.dump}) must stay flat after the first sample. Run:
 * <pre>mvn -B verify -pl tests -am -Dtest=ServerSoakEndToEndTest -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Dlockdep4j.serverSoak=true</pre>
 */
@EnabledIfSystemProperty(named = "lockdep4j.serverSoak", matches = "true")
class ServerSoakEndToEndTest {
    static final long SECONDS = Long.getLong("lockdep4j.serverSoakSeconds", 600);
    static final long SAMPLE_SECONDS = Long.getLong("lockdep4j.serverSoakSampleSeconds", 60);
    static final String JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();

    @TempDir
    Path dir;

    record Sample(long second, long heapUsedKb, long lockClasses, long chains, long edges, long registry) {}

    @Test
    void heapAndAgentTablesStayFlatUnderTenMinutesOfLoad() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", Launcher.ROOT.resolve("lockdep4j").toString(), "run", "-o",
                dir.resolve("soak.jfr").toString(), "--", Launcher.JAVA, "-Xmx512m", "-cp", NfsUnderLoad.classPath()));
        cmd.addAll(NfsUnderLoad.SERVER_ARGS);
        List<Sample> samples = new ArrayList<>();
        try (NfsUnderLoad nfs = new NfsUnderLoad(cmd)) {
            long jvm = nfs.server.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                    .mapToLong(ProcessHandle::pid).findFirst().orElseThrow();
            nfs.startLoad(4);
            long start = System.nanoTime();
            for (long t = SAMPLE_SECONDS; t <= SECONDS; t += SAMPLE_SECONDS) {
                long wait = t * 1000 - (System.nanoTime() - start) / 1_000_000;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                samples.add(sample(jvm, t, dir.resolve("snap-" + t + ".jfr")));
                System.out.println("server soak: " + samples.get(samples.size() - 1) + " " + nfs.loadSummary());
            }
            nfs.stopLoad();
            assertEquals(0, nfs.errors.get() + nfs.verifyErrors.get() + nfs.verifierChanges.get(), nfs.loadSummary());
        }
        Sample first = samples.get(0);
        for (Sample s : samples.subList(1, samples.size())) {
            assertTrue(s.heapUsedKb() <= first.heapUsedKb() * 3 / 2 + 32 * 1024, "heap grew: " + samples);
            assertTrue(s.lockClasses() <= first.lockClasses() + 16, "lock classes grew: " + samples);
            assertTrue(s.chains() <= first.chains() * 11 / 10 + 64, "chains grew: " + samples);
            assertTrue(s.edges() <= first.edges() * 11 / 10 + 64, "edges grew: " + samples);
            // the registry is weak: it follows the live lock instances (GC-dependent), so only a trend fails it
            assertTrue(s.registry() <= first.registry() * 2 + 4096, "registry grew: " + samples);
        }
        System.out.printf(Locale.ROOT, "server soak on JDK %d, %d s: %s%n", Launcher.javaFeatureVersion(), SECONDS, samples);
    }

    static Sample sample(long pid, long second, Path snapshot) throws Exception {
        Launcher.Result gc = Launcher.exec(List.of(JCMD, String.valueOf(pid), "GC.run"), 120);
        assertEquals(0, gc.exitCode(), gc.stderr());
        Launcher.Result heap = Launcher.exec(List.of(JCMD, String.valueOf(pid), "GC.heap_info"), 120);
        Matcher m = Pattern.compile("used (\\d+)K").matcher(heap.stdout());
        assertTrue(m.find(), heap.stdout());
        long used = Long.parseLong(m.group(1));
        Launcher.Result dump = Launcher.exec(List.of(JCMD, String.valueOf(pid), "JFR.dump", "filename=" + snapshot), 120);
        assertEquals(0, dump.exitCode(), dump.stdout() + dump.stderr());
        RecordedEvent last = null;
        try (RecordingFile f = new RecordingFile(snapshot)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (e.getEventType().getName().equals("lockdep4j.AgentStatistics")
                        && (last == null || !e.getStartTime().isBefore(last.getStartTime()))) {
                    last = e;
                }
            }
        }
        assertTrue(last != null, "no lockdep4j.AgentStatistics in " + snapshot);
        return new Sample(second, used, last.getLong("lockClasses"), last.getLong("chains"), last.getLong("edges"),
                last.getLong("registryEntries"));
    }
}
