package io.lockdep4j.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reporting of contained failures stays bounded, and a flood of one kind cannot silence another. */
class AgentCountersTest {
    @Test
    void eachFailureIsReportedOnceAndTransformFailuresCannotUseUpTheReports() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        boolean verbose = AgentCounters.verbose;
        long failures = AgentCounters.agentFailures.get();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            AgentCounters.verbose = true;
            for (int loads = 0; loads < 3; loads++) { // the same classes again, as other loaders define them
                for (int c = 0; c < 1000; c++) {
                    AgentCounters.reportTransform("transform test.Generated" + c, new IllegalStateException("no"));
                }
            }
            for (int i = 0; i < 1000; i++) {
                AgentCounters.failure("testHook", new IllegalStateException("injected"));
            }
        } finally {
            System.setErr(err);
            AgentCounters.verbose = verbose;
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(192, lines.stream().filter(l -> l.contains("transform test.Generated")).count(), "capped, once per class");
        assertEquals(1, lines.stream().filter(l -> l.contains("testHook: java.lang.IllegalStateException: injected")).count(),
                "a hook failure is still reported, once");
        assertTrue(lines.stream().allMatch(l -> l.startsWith("lockdep4j: agent failure (contained")), lines.get(0));
        assertEquals(1000, AgentCounters.agentFailures.get() - failures, "every hook failure is counted");
    }
}
