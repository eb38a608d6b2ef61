package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives exit 2 and one readable line; a bad agent option never stops the host. */
class LauncherErrorsTest {
    @TempDir
    Path dir;

    void assertOneLineError(Launcher.Result r) {
        assertEquals(2, r.exitCode(), r.stderr());
        assertEquals(1, r.stderrLines().size(), "exactly one line: " + r.stderr());
        assertTrue(r.stderr().startsWith("lockdep4j: "), r.stderr());
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r.stderr());
    }

    @Test
    void missingFile() throws Exception {
        assertOneLineError(Launcher.lockdep4j("analyze", dir.resolve("nope.jfr").toString()));
    }

    @Test
    void emptyFile() throws Exception {
        Path f = Files.createFile(dir.resolve("empty.jfr"));
        assertOneLineError(Launcher.lockdep4j("analyze", f.toString()));
    }

    @Test
    void textFile() throws Exception {
        Path f = Files.writeString(dir.resolve("notes.jfr"), "this is not a flight recording\n");
        assertOneLineError(Launcher.lockdep4j("analyze", f.toString()));
    }

    @Test
    void truncatedRecording() throws Exception {
        Path rec = dir.resolve("full.jfr");
        assertEquals(0, Launcher.runScenario(rec, "inversion-reentrant").exitCode());
        byte[] all = Files.readAllBytes(rec);
        Path cut = Files.write(dir.resolve("cut.jfr"), Arrays.copyOf(all, all.length / 2));
        assertOneLineError(Launcher.lockdep4j("analyze", cut.toString()));
    }

    @Test
    void badAgentOptionIsOneLineAndTheHostRunsOn() throws Exception {
        Path rec = dir.resolve("opts.jfr");
        Launcher.Result r = Launcher.runScenario(rec, "inversion-reentrant", "--agent-opts", "frobnicate=yes,contendedThresholdMs=soon");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("scenario inversion-reentrant done"));
        assertTrue(r.stderr().contains("lockdep4j: unknown option 'frobnicate'"), r.stderr());
        assertTrue(r.stderr().contains("lockdep4j: option contendedThresholdMs=soon is not a number"), r.stderr());
        // and the agent still worked
        assertEquals(1, Launcher.lockdep4j("analyze", rec.toString()).exitCode());
    }

    @Test
    void detachOfNoProcessIsOneLine() throws Exception {
        Launcher.Result r = Launcher.lockdep4j("detach", "999999");
        assertOneLineError(r);
        assertTrue(r.stderr().contains("no process 999999"), r.stderr());
    }

    @Test
    void runOfAMissingCommandSaysItWasNotFound() throws Exception {
        Launcher.Result r = Launcher.lockdep4j("run", "-o", dir.resolve("x.jfr").toString(), "--", "nosuchjava");
        assertOneLineError(r);
        assertTrue(r.stderr().contains("command not found: nosuchjava"), r.stderr());
    }

    @Test
    void checkSaysWhenTheBaselineIsMissing() throws Exception {
        Path rec = dir.resolve("c.jfr");
        assertEquals(0, Launcher.runScenario(rec, "inversion-reentrant").exitCode());
        Launcher.Result named = Launcher.lockdep4j("check", rec.toString(), "--baseline", dir.resolve("nope.json").toString());
        assertOneLineError(named);
        assertTrue(named.stderr().contains("nope.json does not exist"), named.stderr());
        // without --baseline and without the default file: the check runs, and its line says there was no baseline
        Launcher.Result none = Launcher.exec(List.of("bash", "-c", "cd " + dir + " && exec bash "
                + Launcher.ROOT.resolve("lockdep4j") + " check " + rec), 300);
        assertEquals(1, none.exitCode(), none.stderr());
        assertTrue(none.stderr().contains("no baseline (lockdep4j-baseline.json does not exist"), none.stderr());
    }

    @Test
    void missingCommandIsOneLine() throws Exception {
        assertOneLineError(Launcher.lockdep4j());
    }

    @Test
    void runWithoutProgramIsUsageError() throws Exception {
        Launcher.Result r = Launcher.lockdep4j("run", "-o", dir.resolve("x.jfr").toString());
        assertOneLineError(r);
    }
}
