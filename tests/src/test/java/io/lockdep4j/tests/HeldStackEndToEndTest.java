package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 1, end to end: the held lock's stack of a cycle edge is the stack of this thread's
 * acquisition on this path, or plainly unknown; never the stack of the chain's first sighting on
 * another path (HeldStackScenarios).
 */
class HeldStackEndToEndTest {
    static final String W = "io.lockdep4j.tests.workloads.HeldStackScenarios";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path record(String scenario) throws Exception {
        Path rec = dir.resolve(scenario + ".jfr");
        Launcher.Result run = Launcher.lockdep4j("run", "-o", rec.toString(), "--", Launcher.JAVA, "-cp", Launcher.TEST_CLASSES,
                W, scenario);
        assertEquals(0, run.exitCode(), "run failed: " + run.stderr());
        assertTrue(run.stdout().contains("scenario " + scenario + " done"), run.stdout());
        return rec;
    }

    /** The one cycle's edge first -> second. */
    static JsonNode firstToSecond(JsonNode report) {
        JsonNode found = null;
        for (JsonNode f : report.path("findings")) {
            if (!"lock-order-cycle".equals(f.path("rule").asText())) {
                continue;
            }
            assertEquals(null, found, "one cycle: " + report.toPrettyString());
            for (JsonNode e : f.path("edges")) {
                if (e.path("from").asText().endsWith(".first")) {
                    found = e;
                }
            }
        }
        assertTrue(found != null, report.toPrettyString());
        return found;
    }

    @Test
    void heldStackIsThisThreadsPathNotTheChainsFirstSighting() throws Exception {
        Path rec = record("other-thread-first");
        Launcher.Result json = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertEquals(1, json.exitCode(), json.stderr());
        JsonNode edge = firstToSecond(JSON.readTree(json.stdout()));
        assertEquals("late", edge.path("thread").path("name").asText(), edge.toPrettyString());
        assertTrue(edge.path("heldStackRecorded").asBoolean(), edge.toPrettyString());
        List<String> held = JSON.convertValue(edge.path("heldStack"), List.class);
        assertTrue(held.get(0).contains("takesFirstThenSecond"), edge.toPrettyString());
        assertFalse(edge.path("heldStack").toString().contains("takesFirstAlone"), edge.toPrettyString());

        Launcher.Result text = Launcher.lockdep4j("analyze", rec.toString());
        String out = text.stdout();
        int at = out.indexOf(".first was taken at:");
        assertTrue(at > 0, out);
        String after = out.substring(at, out.indexOf("was acquired at", at));
        assertTrue(after.contains("takesFirstThenSecond"), out);
        assertFalse(out.contains("takesFirstAlone"), out);
    }

    /** Twin: the only recorded stack of chain [first] is another path of the same thread: say unknown. */
    @Test
    void heldStackOfAnAcquisitionThroughAKnownChainIsSaidUnknown() throws Exception {
        Path rec = record("same-thread-first");
        Launcher.Result json = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        assertEquals(1, json.exitCode(), json.stderr());
        JsonNode edge = firstToSecond(JSON.readTree(json.stdout()));
        assertFalse(edge.path("heldStackRecorded").asBoolean(), edge.toPrettyString());
        assertEquals(0, edge.path("heldStack").size(), edge.toPrettyString());
        assertTrue(edge.path("heldStackNote").asText().contains("not recorded for this path"), edge.toPrettyString());

        Launcher.Result text = Launcher.lockdep4j("analyze", rec.toString());
        assertTrue(text.stdout().contains("not recorded for this path"), text.stdout());
        assertFalse(text.stdout().contains("takesFirstAlone"), text.stdout());
    }
}
