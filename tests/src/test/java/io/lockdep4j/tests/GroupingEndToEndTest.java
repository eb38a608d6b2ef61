package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockdep4j.tests.workloads.GroupingScenarios;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 points 2 and 3, end to end (GroupingScenarios): one blocking call site reached from
 * two listener methods is one finding listing both; a force under a lock on three threads and two
 * lock sets is one finding that counts every force; the operations of one bug are not reported
 * again by another rule; the twin that drops the locks first has no finding.
 */
class GroupingEndToEndTest {
    static final String W = "io.lockdep4j.tests.workloads.GroupingScenarios$";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    JsonNode analyze(String scenario, int expectedExit) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        Launcher.Result run = Launcher.lockdep4j("run", "-o", rec.toString(), "--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES,
                "io.lockdep4j.tests.workloads.GroupingScenarios", scenario, dir.resolve(scenario).toString());
        assertEquals(0, run.exitCode(), "run failed: " + run.stderr());
        assertTrue(run.stdout().contains("scenario " + scenario + " done"), run.stdout());
        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertEquals(expectedExit, analyze.exitCode(), analyze.stderr() + analyze.stdout());
        return JSON.readTree(analyze.stdout());
    }

    static List<JsonNode> naming(JsonNode report, String text) {
        List<JsonNode> out = new ArrayList<>();
        report.path("findings").forEach(f -> {
            if (f.path("key").asText().contains(text)) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void oneFindingPerBlockingCallSiteWithEveryPathAndEveryEvent() throws Exception {
        JsonNode report = analyze("many-paths", 1);
        String keys = report.path("findings").findValuesAsText("key").toString();

        // the force+close in syncAndClose, reached from two listener methods: one finding, one rule
        List<JsonNode> notifier = naming(report, W + "Journal#syncAndClose");
        assertEquals(1, notifier.size(), keys);
        JsonNode n = notifier.get(0);
        assertEquals("fsync-in-notifier", n.path("rule").asText(), n.toPrettyString());
        assertEquals("fsync-in-notifier:" + W + "Journal#syncAndClose", n.path("key").asText());
        Set<String> listeners = new TreeSet<>();
        n.path("listeners").forEach(l -> listeners.add(l.asText()));
        assertEquals(2, listeners.size(), n.toPrettyString());
        assertTrue(listeners.stream().anyMatch(l -> l.contains("onRotate")) && listeners.stream().anyMatch(l -> l.contains("onTruncate")),
                listeners.toString());
        assertEquals(2, n.path("paths").size(), n.toPrettyString());
        assertEquals(2, n.path("forces").asLong(), n.toPrettyString());

        // the writers' force under journalLock: one finding counting every force of every thread and lock set
        List<JsonNode> writers = naming(report, W + "Journal#appendAndSync");
        assertEquals(1, writers.size(), keys);
        JsonNode w = writers.get(0);
        assertEquals("blocking-under-lock", w.path("rule").asText());
        assertEquals(GroupingScenarios.WRITERS * GroupingScenarios.FORCES_PER_WRITER, w.path("count").asLong(), w.toPrettyString());
        long worst = 0;
        Set<String> lockSets = new TreeSet<>();
        for (JsonNode p : w.path("paths")) {
            worst = Math.max(worst, p.path("maxBlockingNanos").asLong());
            lockSets.add(p.path("heldLocks").toString());
        }
        assertEquals(worst, w.path("maxBlockingNanos").asLong(), "worst of every path: " + w.toPrettyString());
        assertEquals(2, lockSets.size(), "journalLock alone and with indexLock: " + w.toPrettyString());
        assertEquals(2, report.path("findings").size(), keys);
    }

    @Test
    void twinThatDropsTheLocksFirstIsClean() throws Exception {
        JsonNode report = analyze("many-paths-safe", 0);
        assertEquals(0, report.path("findings").size(), report.path("findings").toPrettyString());
    }
}
