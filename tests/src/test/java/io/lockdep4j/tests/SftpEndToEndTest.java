package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Reliability": the agent on a real third-party server. Apache MINA SSHD 2.20.0's SFTP
 * server and client run in one JVM ({@link io.lockdep4j.tests.sftp.SftpDriver}), plain and under
 * the agent via the launcher. The host must compute the same bytes, the recording must name SSHD's
 * real close path ({@code SftpSubsystem.doClose → FileHandle.close →
 * SftpFileSystemAccessor.closeFile}, which forces writable handles), and the analysis must not
 * invent lock-order cycles (it once merged every TreeMap SSHD locks into one lock class).
 */
class SftpEndToEndTest {
    static final String DRIVER = "io.lockdep4j.tests.sftp.SftpDriver";

    @TempDir
    Path dir;

    /** Surefire puts the whole test classpath, test-scoped SSHD jars included, in java.class.path. */
    static List<String> driver() {
        return List.of(Launcher.JAVA, "-cp", System.getProperty("java.class.path"), DRIVER, "20");
    }

    static List<String> sftpLines(String stdout) {
        return stdout.lines().filter(l -> l.startsWith("sftp ")).toList();
    }

    static boolean hasSshdFrame(RecordedEvent e, String method) {
        if (e.getStackTrace() == null) {
            return false;
        }
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String where = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            if (where.startsWith("org.apache.sshd.") && where.endsWith(method)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void sftpServerRunsUnchangedAndItsClosePathIsRecorded() throws Exception {
        Launcher.Result plain = Launcher.exec(driver(), 120);
        assertEquals(0, plain.exitCode(), plain.stdout() + plain.stderr());
        assertTrue(plain.stdout().contains("sftp mismatches 0") && plain.stdout().contains("sftp done"), plain.stdout());

        Path rec = dir.resolve("sftp.jfr");
        List<String> args = new ArrayList<>(List.of("run", "-o", rec.toString(), "--timeout", "120", "--"));
        args.addAll(driver());
        Launcher.Result agent = Launcher.lockdep4j(args.toArray(new String[0]));
        assertEquals(0, agent.exitCode(), agent.stdout() + agent.stderr());
        assertEquals(sftpLines(plain.stdout()), sftpLines(agent.stdout()), "the same files, bytes and digest under the agent");
        assertFalse(agent.stderr().contains("Exception"), agent.stderr());

        int closes = 0;
        int forces = 0;
        long agentErrors = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(rec)) {
            switch (e.getEventType().getName()) {
                case "lockdep4j.FileClose" -> closes += hasSshdFrame(e, "SftpFileSystemAccessor.closeFile") ? 1 : 0;
                case "lockdep4j.FileForce" -> forces += hasSshdFrame(e, "SftpFileSystemAccessor.closeFile")
                        && hasSshdFrame(e, "SftpSubsystem.doClose") ? 1 : 0;
                case "lockdep4j.AgentError" -> agentErrors++;
                default -> { }
            }
        }
        assertTrue(closes >= 20, "one close per uploaded file through SftpFileSystemAccessor.closeFile: " + closes);
        assertTrue(forces >= 20, "one force per uploaded file from SftpSubsystem.doClose: " + forces);
        assertEquals(0, agentErrors);

        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertTrue(analyze.exitCode() == 0 || analyze.exitCode() == 1, analyze.stderr());
        JsonNode report = new ObjectMapper().readTree(analyze.stdout());
        // Apache SSHD locks TreeMaps it keeps in other maps (SecurityUtils, AbstractSecurityProviderRegistrar):
        // named by the JDK class alone they merged into one lock class and made two false cycles.
        for (JsonNode f : report.path("findings")) {
            assertFalse("lock-order-cycle".equals(f.path("rule").asText()), "a false lock-order cycle in SSHD: " + f.toPrettyString());
        }
    }
}
