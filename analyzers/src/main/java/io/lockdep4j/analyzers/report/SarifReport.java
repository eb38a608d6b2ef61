package io.lockdep4j.analyzers.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Version;
import io.lockdep4j.analyzers.rules.AppFrames;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.Rules;
import io.lockdep4j.analyzers.rules.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. Each finding is one result,
 * located in the user's code on its first stack (where the lock was acquired, the file was
 * forced...; see {@link #locate}): not in a library whose source the user does not have; the
 * other stacks' frames become {@code relatedLocations}. JFR records class names,
 * not source files, so the path is derived from the class: {@code com/acme/Foo.java}. With
 * source roots (for example {@code src/main/java}), a path that exists under a root is written
 * relative to the current directory, which is what code scanning needs to show the result on the
 * diff; otherwise it stays package-relative with {@code uriBaseId} {@code SRCROOT}.
 *
 * <p>When a rule's search stopped at a limit (a huge lock graph), the run has an invocation with a
 * warning notification per bound and {@code properties.bounded}/{@code properties.bounds}.
 *
 * <p>{@code partialFingerprints."lockdep4j/v1"} is the finding key (rule and lock classes, no
 * line numbers), so a finding keeps its identity across runs and code edits.
 */
public final class SarifReport implements ReportWriter {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private final List<Path> sourceRoots;
    private final Path base;

    /** Paths stay package-relative ({@code uriBaseId SRCROOT}). */
    public SarifReport() {
        this(List.of(), Path.of(""));
    }

    /** Paths found under one of {@code sourceRoots} are written relative to {@code base}. */
    public SarifReport(List<Path> sourceRoots, Path base) {
        this.sourceRoots = List.copyOf(sourceRoots);
        this.base = base.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return "sarif";
    }

    @Override
    public String description() {
        return "SARIF 2.1.0 for code scanning";
    }

    /** Uses the source roots of {@code options}, not those given to the constructor. */
    @Override
    public void write(AnalysisResult result, ReportOptions options, OutputStream out) throws IOException {
        new SarifReport(options.sourceRoots(), options.baseDir()).write(result, out);
    }

    public void write(AnalysisResult result, OutputStream out) throws IOException {
        mapper.writeValue(out, toTree(result));
        out.write('\n');
        out.flush();
    }

    public ObjectNode toTree(AnalysisResult result) {
        ObjectNode root = mapper.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "lockdep4j");
        driver.put("version", Version.get());
        driver.put("semanticVersion", Version.get().replace("-SNAPSHOT", ""));
        driver.put("informationUri", "https://github.com/lockdep4j/lockdep4j");

        Map<String, String> descriptions = new LinkedHashMap<>();
        for (Rule r : Rules.load()) {
            descriptions.put(r.id(), r.description());
        }
        TreeSet<String> ruleIds = new TreeSet<>(result.rules().keySet());
        result.findings().forEach(f -> ruleIds.add(f.rule()));
        List<String> ruleIndex = new ArrayList<>(ruleIds);
        ArrayNode rules = driver.putArray("rules");
        for (String id : ruleIndex) {
            ObjectNode r = rules.addObject();
            r.put("id", id);
            r.put("name", camel(id));
            r.putObject("shortDescription").put("text", descriptions.getOrDefault(id, id));
            r.putObject("defaultConfiguration").put("level", "error");
        }

        ArrayNode results = run.putArray("results");
        for (Finding f : result.findings()) {
            ObjectNode r = results.addObject();
            r.put("ruleId", f.rule());
            r.put("ruleIndex", ruleIndex.indexOf(f.rule()));
            r.put("level", level(f.severity()));
            r.putObject("message").put("text", f.title() + "\n\n" + f.explanation());
            List<ReportData.Location> locs = new ArrayList<>();
            for (List<String> stack : ReportData.stacks(f)) {
                locate(stack, result.options().appFrames()).filter(l -> !locs.contains(l)).ifPresent(locs::add);
            }
            ArrayNode locations = r.putArray("locations");
            if (!locs.isEmpty()) {
                locations.add(location(locs.get(0), "lock acquired here"));
            }
            if (locs.size() > 1) {
                ArrayNode related = r.putArray("relatedLocations");
                for (int i = 1; i < locs.size(); i++) {
                    ObjectNode l = location(locs.get(i), locs.get(i).frame());
                    l.put("id", i);
                    related.add(l);
                }
            }
            r.putObject("partialFingerprints").put("lockdep4j/v1", f.key());
            ObjectNode props = r.putObject("properties");
            props.put("key", f.key());
            props.set("locks", mapper.valueToTree(f.locks()));
        }
        bounds(run, result, ruleIndex);
        ObjectNode srcRoot = run.putObject("originalUriBaseIds").putObject("SRCROOT");
        srcRoot.putObject("description").put("text", "A source root such as src/main/java: paths are derived from class names");
        run.put("columnKind", "utf16CodeUnits");
        return root;
    }

    /**
     * A search that stopped at a limit: a warning notification of the run's invocation (viewers
     * show these as tool messages) and {@code properties.bounds} on the run for scripts.
     */
    private void bounds(ObjectNode run, AnalysisResult result, List<String> ruleIndex) {
        ArrayNode notifications = mapper.createArrayNode();
        ArrayNode bounds = mapper.createArrayNode();
        for (String rule : new TreeSet<>(result.rules().keySet())) {
            for (String b : result.rules().get(rule).bounds()) {
                ObjectNode n = notifications.addObject();
                n.put("level", "warning");
                n.putObject("message").put("text", rule + ": " + b);
                n.putObject("descriptor").put("id", "search-bounded");
                n.putObject("associatedRule").put("id", rule).put("index", ruleIndex.indexOf(rule));
                bounds.addObject().put("rule", rule).put("message", b);
            }
        }
        if (bounds.isEmpty()) {
            return;
        }
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        invocation.set("toolExecutionNotifications", notifications);
        ObjectNode props = run.putObject("properties");
        props.put("bounded", true);
        props.set("bounds", bounds);
    }

    private ObjectNode location(ReportData.Location l, String message) {
        ObjectNode loc = mapper.createObjectNode();
        ObjectNode phys = loc.putObject("physicalLocation");
        ObjectNode art = phys.putObject("artifactLocation");
        Optional<String> resolved = resolve(l.path());
        if (resolved.isPresent()) {
            art.put("uri", resolved.get());
        } else {
            art.put("uri", l.path());
            art.put("uriBaseId", "SRCROOT");
        }
        if (l.line() > 0) {
            phys.putObject("region").put("startLine", l.line());
        }
        loc.putObject("message").put("text", message);
        return loc;
    }

    /**
     * Where code scanning shows a stack: its {@code --include} frame; else its first frame whose source
     * is under {@code --source-roots} (code the user has, even when a framework called it); else
     * the frame a title names ({@link AppFrames#frame}).
     */
    private Optional<ReportData.Location> locate(List<String> stack, AppFrames app) {
        if (app.included(stack).isEmpty()) {
            for (String frame : stack) {
                Optional<ReportData.Location> l = ReportData.parse(frame);
                if (l.isPresent() && resolve(l.get().path()).isPresent()) {
                    return l;
                }
            }
        }
        return ReportData.location(stack, app);
    }

    private Optional<String> resolve(String packagePath) {
        for (Path root : sourceRoots) {
            Path p = root.resolve(packagePath);
            if (Files.isRegularFile(p)) {
                Path abs = p.toAbsolutePath().normalize();
                String rel = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toUri().toString();
                return Optional.of(rel.replace('\\', '/'));
            }
        }
        return Optional.empty();
    }

    static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    /** {@code lock-order-cycle} → {@code LockOrderCycle}: SARIF's rule "name" is a PascalCase identifier. */
    static String camel(String id) {
        StringBuilder sb = new StringBuilder();
        for (String part : id.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.toString();
    }
}
