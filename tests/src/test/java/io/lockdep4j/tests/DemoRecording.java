package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's demo ({@code ./lockdep4j demo}: the sample NFS server with every hazard on), recorded
 * once per test JVM and shared by the tests that need a real recording of real size: the JMC jars
 * and the HTML graph are judged on what a new user sees first.
 */
final class DemoRecording {
    static final Path DIR = Path.of(System.getProperty("user.dir"), "target", "demo-recording");
    private static Path recording;

    private DemoRecording() {}

    static synchronized Path get() throws Exception {
        if (recording == null) {
            Launcher.Result r = Launcher.lockdep4j("demo", "--seconds", "5", "--out", DIR.toString());
            Path rec = DIR.resolve("demo.jfr");
            assertTrue(Files.size(rec) > 0, "the demo wrote no recording (exit " + r.exitCode() + "): " + r.stderr());
            recording = rec;
        }
        return recording;
    }
}
