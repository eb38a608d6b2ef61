package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Nothing lost", point 3: attach and detach on a live server under load. The sample NFS
 * server runs plain; its load driver runs at full speed from this JVM; twice in a row,
 * {@code lockdep4j attach}, a period of load, {@code lockdep4j detach}: no RPC error, no
 * verification error, no write-verifier change (the server never "rebooted"), each recording valid
 * and holding the server's lock events (the second attach works, so the first detach restored the
 * classes and left the agent re-attachable). The period is {@code -Dlockdep4j.attachLoadSeconds}
 * (default 10; the minute: {@code -Dlockdep4j.attachLoadSeconds=60}).
 */
class AttachUnderLoadEndToEndTest {
    static final long LOAD_SECONDS = Long.getLong("lockdep4j.attachLoadSeconds", 10);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void attachAndDetachTwiceUnderFullLoadLoseNoRpcAndLeaveValidRecordings() throws Exception {
        try (NfsUnderLoad nfs = new NfsUnderLoad(NfsUnderLoad.plainServer())) {
            nfs.startLoad(4);
            nfs.awaitOps(0, 200); // the load is running before the first attach
            for (int round = 1; round <= 2; round++) {
                Path rec = dir.resolve("attach-" + round + ".jfr");
                String pid = String.valueOf(nfs.server.pid());
                Launcher.Result attach = Launcher.lockdep4j("attach", pid, "-o", rec.toString());
                assertEquals(0, attach.exitCode(), "round " + round + ": " + attach.stderr() + nfs.serverStderr());
                assertTrue(attach.stderr().contains("agent loaded into process " + pid), attach.stderr());
                long before = nfs.ops.get();
                long start = System.nanoTime();
                nfs.awaitOps(before, 200); // served under the agent: at least this much, and for the whole period
                long left = TimeUnit.SECONDS.toMillis(LOAD_SECONDS) - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (left > 0) {
                    Thread.sleep(left);
                }
                Launcher.Result detach = Launcher.lockdep4j("detach", pid);
                assertEquals(0, detach.exitCode(), "round " + round + ": " + detach.stderr());
                assertTrue(nfs.server.isAlive(), "the server runs on after detach: " + nfs.serverStderr());
                assertEquals(0, nfs.errors.get() + nfs.verifyErrors.get() + nfs.verifierChanges.get(), nfs.loadSummary());

                assertTrue(Files.size(rec) > 0, "round " + round + ": the recording was written");
                Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
                assertTrue(analyze.exitCode() <= 1, "round " + round + ": a valid recording: " + analyze.stderr());
                JsonNode report = JSON.readTree(analyze.stdout());
                JsonNode r = report.path("recordings").get(0);
                assertTrue(r.path("lockdepEvents").asLong() > 0, r.toString());
                assertTrue(report.path("summary").path("chains").asLong() > 0, "the server's locks were traced: " + report.path("summary"));
                assertTrue(r.path("statistics").path("instrumentedClasses").asLong() > 0, r.toString());
                assertEquals(0, r.path("statistics").path("agentFailures").asLong(), r.toString());
                assertTrue(r.path("agentErrors").isEmpty(), r.toString());
                System.out.printf("attach round %d on JDK %d: %d ops under the agent, %d lockdep4j events%n", round,
                        Launcher.javaFeatureVersion(), nfs.ops.get() - before, r.path("lockdepEvents").asLong());
            }
            nfs.awaitOps(nfs.ops.get(), 200); // and after the last detach
            nfs.stopLoad();
            assertEquals(0, nfs.errors.get(), nfs.loadSummary());
            assertEquals(0, nfs.verifyErrors.get(), nfs.loadSummary());
            assertEquals(0, nfs.verifierChanges.get(), "a verifier change means the server restarted: " + nfs.loadSummary());
        }
    }
}
