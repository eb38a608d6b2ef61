package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockdep4j attach PID}: the agent loads into a running JVM, retransforms, and detaches. */
class AttachTest {
    @TempDir
    Path dir;

    @Test
    void attachToARunningJvmFindsTheInversionAndDetaches() throws Exception {
        Path stop = dir.resolve("stop");
        Process app = new ProcessBuilder(Launcher.JAVA, "-cp", Launcher.TEST_CLASSES,
                "io.lockdep4j.tests.workloads.Scenarios", "until-stopped", stop.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream()));
            assertEquals("ready", out.readLine());
            Path rec = dir.resolve("attached.jfr");
            Launcher.Result attach = Launcher.lockdep4j("attach", String.valueOf(app.pid()), "-o", rec.toString());
            assertEquals(0, attach.exitCode(), attach.stderr());
            assertTrue(attach.stderr().contains("agent loaded into process " + app.pid()), attach.stderr());
            Thread.sleep(2000);
            Launcher.Result detach = Launcher.lockdep4j("detach", String.valueOf(app.pid()));
            assertEquals(0, detach.exitCode(), detach.stderr());
            assertTrue(Files.size(rec) > 0);
            Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString());
            assertEquals(1, analyze.exitCode(), analyze.stdout() + analyze.stderr());
            assertTrue(analyze.stdout().contains("possible circular locking dependency"), analyze.stdout());
            assertTrue(app.isAlive(), "the host runs on after detach");
            Files.createFile(stop);
            assertTrue(app.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, app.exitValue());
        } finally {
            app.destroyForcibly();
        }
    }
}
