package io.lockdep4j.analyzers;

import static io.lockdep4j.analyzers.testing.Emit.edge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.app.App;
import io.lockdep4j.analyzers.report.ReportWriter;
import io.lockdep4j.analyzers.report.ReportWriters;
import io.lockdep4j.analyzers.rules.LockOrderCycleRule;
import io.lockdep4j.analyzers.rules.RuleOption;
import io.lockdep4j.analyzers.rules.RuleOptions;
import io.lockdep4j.analyzers.rules.Rules;
import io.lockdep4j.analyzers.testing.Jfr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI offers exactly what the registries hold: every report writer, every option a rule declares. */
class CliRegistryTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsEveryRegisteredFormatAndEveryDeclaredRuleOption() {
        String help = Jfr.cli("analyze", "--help").out().replaceAll("\\s+", " "); // picocli wraps at 80 columns
        List<ReportWriter> writers = ReportWriters.load();
        assertEquals(List.of("text", "json", "html", "dot", "sarif"), writers.stream().map(ReportWriter::name).toList());
        for (ReportWriter w : writers) {
            assertTrue(help.contains(w.name() + " (" + w.description()), w.name() + " in " + help);
        }
        List<RuleOption> options = RuleOptions.declaredBy(Rules.load());
        assertTrue(options.contains(LockOrderCycleRule.CYCLE_BUDGET), options.toString());
        for (RuleOption o : options) {
            assertTrue(help.contains(o.flag() + "=" + o.paramLabel()), o.flag() + " in " + help);
            assertTrue(help.contains("(default: " + o.defaultValue() + ")"), o.flag() + " default in " + help);
        }
    }

    @Test
    void everyFormatIsWrittenByItsWriterAndARuleOptionReachesItsRule() throws Exception {
        Path rec = Jfr.record(tmp.resolve("cycle.jfr"), () -> {
            Jfr.onThread("t1", () -> App.nested(edge("X", "Y")));
            Jfr.onThread("t2", () -> App.nested(edge("Y", "X")));
        });
        for (ReportWriter w : ReportWriters.load()) {
            Path out = tmp.resolve("report." + w.name());
            Jfr.Run run = Jfr.cli("analyze", rec.toString(), "--format", w.name(), "-o", out.toString(), "-q");
            assertEquals(1, run.code(), w.name() + ": " + run.err());
            assertTrue(Files.size(out) > 0, w.name());
        }
        // the rule's own option, given on the command line, is what the rule used (it records it as a statistic)
        String json = Jfr.cli("analyze", rec.toString(), "--format", "json", "--cycle-budget", "12345", "-q").out();
        assertTrue(json.contains("\"cycleBudget\" : 12345"), json);
        Jfr.Run bad = Jfr.cli("analyze", rec.toString(), "--max-cycle-length", "1");
        assertEquals("lockdep4j: " + LockOrderCycleRule.MAX_CYCLE_LENGTH.flag() + " must be at least 2 (see: lockdep4j analyze --help)",
                bad.err().strip());
    }
}
