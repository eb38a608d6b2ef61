package io.lockdep4j.analyzers.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Version;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.RecordingSummary;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.RuleContext;
import io.lockdep4j.analyzers.rules.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine-readable report. Field order is fixed and fields are only ever added (bump
 * {@code schemaVersion} on an incompatible change).
 *
 * <pre>
 * {
 *   "tool": "lockdep4j",
 *   "version": "0.1.0",                       // analyzers version
 *   "schemaVersion": 1,
 *   "recordings": [ {                         // in command-line order; "recording" fields index this
 *       "index": 0, "path": "app.jfr", "events": 123456, "lockdepEvents": 42,
 *       "agentVersion": "0.1.0" | null, "agentOptions": "..." | null,
 *       "incomplete": false, "incompleteReasons": ["droppedEdges=3"],
 *       "summaryEdges": 40, "summaryOnlyEdges": 2,  // edges in lockdep4j.LockGraphSummary; of them without an edge event
 *       "lockGraphRestoredFromSummary": false,     // JFR lost data, the agent's summary restored every edge
 *       "statistics": {"edges": 12, "droppedEdges": 0, ...},   // max of each AgentStatistics counter
 *       "agentErrors": ["kind: message"] } ],
 *   "warnings": ["..."],                      // problems with the input, one line each
 *   "summary": {
 *       "findings": 1, "bySeverity": {"error": 1, "warning": 0, "info": 0},
 *       "lockClasses": 5, "edges": 7, "chains": 9, "events": 123456, "lockdepEvents": 42,
 *       "incomplete": false,
 *       "bounded": false,                     // some rule's search stopped at a limit: findings may be missing
 *       "bounds": [ {"rule": "lock-order-cycle", "message": "the cycle search stopped at its work budget ..."} ],
 *       "rules": {"lock-order-cycle": {"cyclesFound": 1, "cyclesReported": 1, "cyclesDroppedByGate": 0,
 *                 "cyclesDroppedReadOnly": 0, "cyclesMergedSameLocks": 0, "maxCycleLength": 6, "maxCycles": 1000,
 *                 "lengthBoundHit": false, "countBoundHit": false, "maxCyclesPerComponent": 100,
 *                 "cycleBudget": 200000000, "cycleTimeoutSeconds": 30, "components": 1, "searchSteps": 12,
 *                 "searchStoppedBy": "none" | "budget" | "timeout" | "max-cycles", "searchCompleteUpToLength": 6,
 *                 "componentsCapped": 0, "componentsUnexplored": 0, "lockClassesUnexplored": 0, "edgesUnexplored": 0,
 *                 "notes": ["..."], "bounds": ["..."]}} },
 *   "findings": [ {                           // most severe first, then by rule and key
 *       "rule": "lock-order-cycle", "severity": "error" | "warning" | "info",
 *       "key": "lock-order-cycle:A+B",        // stable identity: rule + sorted lock classes
 *       "title": "...", "locks": ["A", "B"],  // cycle order; the last lock's edge returns to the first
 *       // rule-specific fields; for lock-order-cycle:
 *       "singleThread": false,
 *       "edges": [ {"from": "A", "fromMode": "write", "fromKind": "monitor",
 *                   "to": "B", "toMode": "write", "toKind": "ReentrantLock",
 *                   "thread": {"name": "worker-1", "id": 23, "recording": 0},
 *                   "anotherThread": false,
 *                   "acquireStack": ["com.acme.Foo.bar(Foo.java:12)", ...],  // where "to" was acquired
 *                   "heldStack": [...],                                    // where "from" was taken
 *                   "heldStackRecorded": true,                             // false: "heldStackNote" says why
 *                   "otherHeld": ["G(write)#1234"],
 *                   "summaryEvidence": true } ],   // only when JFR lost this edge's event: known from lockdep4j.LockGraphSummary, no stack
 *       "summaryEvidenceEdges": 1,                 // only when some edge rests on summary evidence
 *       "writers": [ {"lock": "B", "thread": {...}, "stack": [...]} ],   // only for read-read locks
 *       "scenario": ["Thread 1: lock(A)", ...],
 *       "explanation": "the text report's body" } ]
 * }
 * </pre>
 * Stack frames are {@code pkg.Class.method(File.java:line)}, innermost first, with lockdep4j,
 * {@code java.util.concurrent.locks} and JFR frames removed.
 */
public final class JsonReport implements ReportWriter {
    public static final int SCHEMA_VERSION = 1;

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String description() {
        return "machine-readable, schemaVersion " + SCHEMA_VERSION;
    }

    @Override
    public void write(AnalysisResult result, ReportOptions options, OutputStream out) throws IOException {
        write(result, out);
    }

    public void write(AnalysisResult result, OutputStream out) throws IOException {
        mapper.writeValue(new NonClosing(out), toTree(result));
        out.write('\n');
        out.flush();
    }

    public ObjectNode toTree(AnalysisResult result) {
        LockModel m = result.model();
        ObjectNode root = mapper.createObjectNode();
        root.put("tool", "lockdep4j");
        root.put("version", Version.get());
        root.put("schemaVersion", SCHEMA_VERSION);
        ArrayNode recs = root.putArray("recordings");
        for (RecordingSummary r : m.recordings()) {
            ObjectNode o = recs.addObject();
            o.put("index", r.index());
            o.put("path", r.path());
            o.put("events", r.events());
            o.put("lockdepEvents", r.lockdepEvents());
            o.put("agentVersion", r.agentVersion());
            o.put("agentOptions", r.agentOptions());
            o.put("incomplete", r.incomplete());
            o.set("incompleteReasons", mapper.valueToTree(r.incompleteReasons()));
            o.put("summaryEdges", r.summaryEdges());
            o.put("summaryOnlyEdges", r.summaryOnlyEdges());
            o.put("lockGraphRestoredFromSummary", r.lockGraphRestoredFromSummary());
            o.set("statistics", mapper.valueToTree(r.statistics()));
            o.set("agentErrors", mapper.valueToTree(r.agentErrors()));
        }
        root.set("warnings", mapper.valueToTree(result.warnings()));

        ObjectNode summary = root.putObject("summary");
        summary.put("findings", result.findings().size());
        ObjectNode sev = summary.putObject("bySeverity");
        for (Severity s : Severity.values()) {
            sev.put(s.label(), result.count(s));
        }
        summary.put("lockClasses", m.lockClasses().size());
        summary.put("edges", m.edgeCount());
        summary.put("chains", m.chainCount());
        summary.put("events", m.totalEvents());
        summary.put("lockdepEvents", m.totalLockdepEvents());
        summary.put("incomplete", m.incomplete());
        ArrayNode bounds = mapper.createArrayNode();
        ObjectNode rules = mapper.createObjectNode();
        for (Map.Entry<String, RuleContext> e : new TreeMap<>(result.rules()).entrySet()) {
            ObjectNode r = mapper.valueToTree(e.getValue().stats());
            r.set("notes", mapper.valueToTree(e.getValue().notes()));
            r.set("bounds", mapper.valueToTree(e.getValue().bounds()));
            rules.set(e.getKey(), r);
            for (String b : e.getValue().bounds()) {
                bounds.addObject().put("rule", e.getKey()).put("message", b);
            }
        }
        summary.put("bounded", !bounds.isEmpty());
        summary.set("bounds", bounds);
        summary.set("rules", rules);

        ArrayNode findings = root.putArray("findings");
        for (Finding f : result.findings()) {
            ObjectNode o = findings.addObject();
            o.put("rule", f.rule());
            o.put("severity", f.severity().label());
            o.put("key", f.key());
            o.put("title", f.title());
            o.set("locks", mapper.valueToTree(f.locks()));
            for (Map.Entry<String, Object> d : f.details().entrySet()) {
                o.set(d.getKey(), mapper.valueToTree(d.getValue()));
            }
            o.put("explanation", f.explanation());
        }
        return root;
    }

    /** Jackson closes the stream it writes to; System.out must stay open. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
