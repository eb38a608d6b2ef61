package io.lockdep4j.analyzers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.model.ModelBuilder;
import io.lockdep4j.analyzers.rules.AppFrames;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.RuleOptions;
import io.lockdep4j.analyzers.rules.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16.5: code scanning shows a finding in the user's code, not in the library that blocked. */
class SarifLocationTest {
    static final String FORCE = "sun.nio.ch.FileChannelImpl.force(FileChannelImpl.java:468)";

    @TempDir
    Path tmp;

    /** "uri:line" of the first result's location. */
    static String located(List<String> stack, AppFrames app, List<Path> roots, Path base) {
        Finding f = new Finding("blocking-under-lock", Severity.WARNING, "t", List.of(), "k", "e", Map.of("stack", stack));
        AnalysisResult r = new AnalysisResult(new ModelBuilder().build(), RuleOptions.defaults().with(app), List.of(f), Map.of(), List.of());
        JsonNode phys = new SarifReport(roots, base).toTree(r).path("runs").get(0).path("results").get(0)
                .path("locations").get(0).path("physicalLocation");
        return phys.path("artifactLocation").path("uri").asText() + ":" + phys.path("region").path("startLine").asInt();
    }

    @Test
    void aStorageEnginesForceIsLocatedAtTheApplicationsCall() {
        List<String> engine = List.of(FORCE, "org.example.storage.LogFile.sync(LogFile.java:30)", "com.acme.Ledger.commit(Ledger.java:12)",
                "com.acme.Teller.pay(Teller.java:7)");
        assertEquals("com/acme/Ledger.java:12", located(engine, AppFrames.DEFAULT, List.of(), tmp));
        assertEquals("com/acme/Teller.java:7", located(engine, AppFrames.including(List.of("com.acme.Teller")), List.of(), tmp));
    }

    @Test
    void aFrameWhoseSourceIsUnderTheSourceRootsIsTheUsersEvenWhenAFrameworkCalledIt() throws Exception {
        Path root = tmp.resolve("src/main/java");
        Files.createDirectories(root.resolve("com/acme"));
        Files.writeString(root.resolve("com/acme/Store.java"), "class Store {}\n");
        // the user's Store made the blocking call itself, called by a framework in another package root:
        // the library rule alone would guess the framework
        List<String> own = List.of(FORCE, "com.acme.Store.flush(Store.java:40)", "org.framework.Scheduler.tick(Scheduler.java:7)");
        assertEquals("org/framework/Scheduler.java:7", located(own, AppFrames.DEFAULT, List.of(), tmp));
        assertEquals("src/main/java/com/acme/Store.java:40", located(own, AppFrames.DEFAULT, List.of(root), tmp));
        // an --include frame wins over the source roots
        assertEquals("org/framework/Scheduler.java:7", located(own, AppFrames.including(List.of("org.framework.")), List.of(root), tmp));
    }
}
