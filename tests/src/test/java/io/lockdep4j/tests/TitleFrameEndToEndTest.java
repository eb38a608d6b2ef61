package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.5, end to end (TitleFrameWorkload): a force that a storage engine's {@code LogFile}
 * makes under the application's lock is titled by the application's method, not the engine's;
 * {@code --include} moves the title (and the SARIF location) to the first frame it matches; the key
 * stays the engine's call site, so a baseline written without {@code --include} still holds with it;
 * the twin that forces after dropping the lock has no finding.
 */
class TitleFrameEndToEndTest {
    static final String W = "io.lockdep4j.tests.workloads.TitleFrameWorkload$";
    static final String KEY = "blocking-under-lock:org.example.storage.LogFile#sync";
    static final String INCLUDE = "--include=org.example.unused.," + W + "Teller";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path underLock;

    static Path record(String scenario) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        Launcher.Result run = Launcher.lockdep4j("run", "-o", rec.toString(), "--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES,
                "io.lockdep4j.tests.workloads.TitleFrameWorkload", scenario, dir.resolve(scenario).toString());
        assertEquals(0, run.exitCode(), "run failed: " + run.stderr());
        assertTrue(run.stdout().contains("scenario " + scenario + " done"), run.stdout());
        return rec;
    }

    @BeforeAll
    static void recordTheHazard() throws Exception {
        underLock = record("under-lock");
    }

    static JsonNode onlyFinding(Launcher.Result analyze) throws Exception {
        assertEquals(1, analyze.exitCode(), analyze.stderr() + analyze.stdout());
        JsonNode findings = JSON.readTree(analyze.stdout()).path("findings");
        assertEquals(1, findings.size(), findings.toPrettyString());
        return findings.get(0);
    }

    @Test
    void theTitleNamesTheApplicationsMethodAndIncludeMovesItButNotTheKey() throws Exception {
        JsonNode plain = onlyFinding(Launcher.lockdep4j("analyze", underLock.toString(), "--format", "json"));
        assertEquals("blocking-under-lock", plain.path("rule").asText());
        assertEquals(KEY, plain.path("key").asText());
        assertTrue(plain.path("title").asText().startsWith("fsync in " + W + "Ledger#commit (via org.example.storage.LogFile#sync) holding "
                + W + "Ledger.lock"), plain.path("title").asText());
        assertEquals(W + "Ledger#commit", plain.path("applicationSite").asText());

        Path text = dir.resolve("included.txt");
        Path sarif = dir.resolve("included.sarif");
        Path html = dir.resolve("included.html");
        JsonNode included = onlyFinding(Launcher.lockdep4j("analyze", underLock.toString(), "--format", "json", INCLUDE,
                "--also", "text=" + text, "--also", "sarif=" + sarif, "--also", "html=" + html, "--source-roots", "src/test/java"));
        String title = "fsync in " + W + "Teller#pay (via org.example.storage.LogFile#sync) holding " + W + "Ledger.lock";
        assertTrue(included.path("title").asText().startsWith(title), included.path("title").asText());
        assertEquals(KEY, included.path("key").asText(), "the key is the blocking call site, whatever --include says");
        assertTrue(Files.readString(text).contains("[WARNING] " + title), Files.readString(text));
        assertTrue(Files.readString(html).contains(title), "the HTML page shows the same title");

        // code scanning points at the user's line (the included frame), not at the engine's source the user does not have
        JsonNode result = JSON.readTree(sarif.toFile()).path("runs").get(0).path("results").get(0);
        assertTrue(result.path("message").path("text").asText().startsWith(title), result.toPrettyString());
        JsonNode phys = result.path("locations").get(0).path("physicalLocation");
        String uri = phys.path("artifactLocation").path("uri").asText();
        assertTrue(uri.endsWith("io/lockdep4j/tests/workloads/TitleFrameWorkload.java"), result.toPrettyString());
        List<String> source = Files.readAllLines(Path.of(System.getProperty("user.dir")).resolve(uri));
        String line = source.get(phys.path("region").path("startLine").asInt() - 1);
        assertTrue(line.contains("ledger.commit("), "the Teller's call: " + line);
    }

    @Test
    void aBaselineWrittenWithoutIncludeStillHoldsWithIt() throws Exception {
        Path baseline = dir.resolve("baseline.json");
        Launcher.Result write = Launcher.lockdep4j("check", underLock.toString(), "--write-baseline", "--baseline", baseline.toString());
        assertEquals(0, write.exitCode(), write.stderr());
        assertTrue(Files.readString(baseline).contains(KEY), Files.readString(baseline));
        Launcher.Result check = Launcher.lockdep4j("check", underLock.toString(), "--baseline", baseline.toString(), INCLUDE);
        assertEquals(0, check.exitCode(), "no new finding: " + check.stderr() + check.stdout());
    }

    @Test
    void theTwinThatForcesAfterDroppingTheLockIsClean() throws Exception {
        Launcher.Result analyze = Launcher.lockdep4j("analyze", record("after-unlock").toString(), "--format", "json");
        assertEquals(0, analyze.exitCode(), analyze.stderr() + analyze.stdout());
        assertEquals(0, JSON.readTree(analyze.stdout()).path("findings").size(), analyze.stdout());
    }
}
