package io.lockdep4j.samples.nfs;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in a child JVM: the ready line, --load, and a clean shutdown on SIGTERM. */
class NfsServerMainTest {
    private static final Pattern READY = Pattern.compile("lockdep4j-nfs listening on port (\\d+) export (.+)");

    @TempDir
    Path tmp;

    private Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NfsServerMain.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(tmp.resolve("stderr.txt").toFile()).start();
    }

    @Test
    void loadRunPrintsReadyLineAndSummary() throws Exception {
        Process p = start("--load", "2", "--load-threads", "2", "--load-files", "4", "--export", tmp.resolve("x").toString());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = Files.readString(tmp.resolve("stderr.txt"));
        assertEquals(0, p.exitValue(), out + err);
        Matcher m = READY.matcher(out);
        assertTrue(m.find(), out);
        assertEquals(tmp.resolve("x").toString(), m.group(2).trim());
        assertTrue(out.contains("nfs-load summary: ops="), out);
        assertTrue(out.contains("p99.9="), out);
        assertTrue(err.contains("nfs-load: t=1s"), "progress on stderr: " + err);
        assertTrue(err.contains("lockdep4j-nfs stats:"), err);
    }

    @Test
    void sigtermShutsDownCleanly() throws Exception {
        Process p = start("--port", "0", "--hazard=leak,lock-inversion");
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertNotNull(line);
        Matcher m = READY.matcher(line);
        assertTrue(m.matches(), line);
        assertTrue(Integer.parseInt(m.group(1)) > 0);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String err = Files.readString(tmp.resolve("stderr.txt"));
        assertTrue(err.contains("lockdep4j-nfs stats:"), "shutdown hook ran: " + err);
        assertTrue(err.contains("hazards=[LOCK_INVERSION, LEAK]"), err);
    }
}
