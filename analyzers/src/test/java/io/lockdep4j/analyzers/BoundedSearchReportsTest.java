package io.lockdep4j.analyzers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockdep4j.analyzers.graph.GraphShapes;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.report.HtmlReport;
import io.lockdep4j.analyzers.report.JsonReport;
import io.lockdep4j.analyzers.report.SarifReport;
import io.lockdep4j.analyzers.report.TextReport;
import io.lockdep4j.analyzers.rules.RuleOptions;
import io.lockdep4j.analyzers.rules.Rules;
import io.lockdep4j.analyzers.testing.Jfr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cycle search stopped by a bound is said in every report format, and a search that ran to the
 * end says nothing more than before. The model is a ring of 3,000 lock classes, each taken while
 * holding the 10 before it, plus one edge back that closes short cycles.
 */
class BoundedSearchReportsTest {
    static final String BUDGET_LINE = "BOUNDED (lock-order-cycle): the cycle search stopped at its work budget of 500 steps (edges looked at):";

    static LockModel model;

    @BeforeAll
    static void build() {
        model = GraphShapes.ringWithChords(3_000, 10).add(1_503, 1_500).model();
    }

    static AnalysisResult analyze(long budget) {
        RuleOptions options = RuleOptions.defaults().withCycleSearch(RuleOptions.DEFAULT_MAX_CYCLES_PER_COMPONENT, budget,
                RuleOptions.DEFAULT_CYCLE_TIMEOUT_MILLIS);
        return new Analyzer(Rules.load(), options, null).analyze(model);
    }

    static String text(AnalysisResult r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TextReport().write(r, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void budgetBoundIsInTextJsonSarifAndHtml() throws Exception {
        AnalysisResult r = analyze(500);
        String text = text(r);
        assertTrue(text.contains(BUDGET_LINE), text);
        assertTrue(text.contains("1 of 1 strongly connected components (3,000 lock classes, 30,001 edges) was left partly unexplored;"
                + " raise --cycle-budget (or lower --max-cycle-length) to search further"), text);
        assertTrue(text.strip().endsWith("; BOUNDED: the lock-order-cycle search stopped at a limit, findings may be missing"), text);

        JsonNode json = new JsonReport().toTree(r);
        assertTrue(json.at("/summary/bounded").asBoolean());
        assertEquals("lock-order-cycle", json.at("/summary/bounds/0/rule").asText());
        assertTrue(json.at("/summary/bounds/0/message").asText().startsWith("the cycle search stopped at its work budget of 500 steps"));
        assertEquals(json.at("/summary/bounds/0/message"), json.at("/summary/rules/lock-order-cycle/bounds/0"));
        assertEquals("budget", json.at("/summary/rules/lock-order-cycle/searchStoppedBy").asText());
        assertEquals(3_000, json.at("/summary/rules/lock-order-cycle/lockClassesUnexplored").asInt());

        JsonNode sarif = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(new SarifReport().toTree(r)));
        JsonNode n = sarif.at("/runs/0/invocations/0/toolExecutionNotifications/0");
        assertEquals("warning", n.get("level").asText());
        assertTrue(n.at("/message/text").asText().startsWith("lock-order-cycle: the cycle search stopped at its work budget"));
        assertTrue(sarif.at("/runs/0/invocations/0/executionSuccessful").asBoolean());
        assertTrue(sarif.at("/runs/0/properties/bounded").asBoolean());

        ByteArrayOutputStream html = new ByteArrayOutputStream();
        new HtmlReport().write(r, new PrintStream(html, true, StandardCharsets.UTF_8));
        String page = html.toString(StandardCharsets.UTF_8);
        assertTrue(page.contains("<b>SEARCH BOUNDED</b> (lock-order-cycle): the cycle search stopped at its work budget"), "banner");
        assertTrue(page.contains("The graph has 3,000 lock classes and 30,001 edges, too many to draw"), "not all drawn");
        assertFalse(page.contains("No lock-order edges between different lock classes were recorded"));
    }

    @Test
    void aCompleteSearchFindsThePlantedCyclesAndSaysNoBound() throws Exception {
        AnalysisResult r = analyze(RuleOptions.DEFAULT_CYCLE_BUDGET);
        assertEquals("lock-order-cycle:com.acme.L0001500+com.acme.L0001503", r.findings().stream()
                .filter(f -> f.locks().size() == 2).findFirst().orElseThrow().key());
        String text = text(r);
        assertFalse(text.contains("BOUNDED"), text);
        JsonNode json = new JsonReport().toTree(r);
        assertFalse(json.at("/summary/bounded").asBoolean());
        assertEquals(0, json.at("/summary/bounds").size());
        assertTrue(new SarifReport().toTree(r).at("/runs/0/invocations").isMissingNode());

        ByteArrayOutputStream html = new ByteArrayOutputStream();
        new HtmlReport().write(r, new PrintStream(html, true, StandardCharsets.UTF_8));
        String page = html.toString(StandardCharsets.UTF_8);
        assertFalse(page.contains("SEARCH BOUNDED"));
        // Drawn: the 4 lock classes of the findings (1500..1503), not 3,000.
        assertEquals(4, page.split("<g class=\"node", -1).length - 1, "lock classes drawn");
    }

    @Test
    void cycleSearchOptionsAreCheckedLikeTheOthers() {
        for (String[] bad : new String[][] {{"--cycle-budget", "0"}, {"--cycle-timeout", "0"}, {"--max-cycles-per-component", "0"}}) {
            Jfr.Run run = Jfr.cli("analyze", bad[0], bad[1], "missing.jfr");
            assertEquals(2, run.code(), run.err());
            assertEquals(1, run.errLines().size(), run.err());
            assertTrue(run.err().startsWith("lockdep4j: " + bad[0] + " must be at least 1"), run.err());
        }
    }
}
