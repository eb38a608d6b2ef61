package io.lockdep4j.analyzers.graph;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Analyzer;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ModelBuilder;
import io.lockdep4j.analyzers.read.RecordingReader;
import io.lockdep4j.analyzers.report.DotReport;
import io.lockdep4j.analyzers.report.HtmlReport;
import io.lockdep4j.analyzers.report.JsonReport;
import io.lockdep4j.analyzers.report.SarifReport;
import io.lockdep4j.analyzers.report.TextReport;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.RuleContext;
import io.lockdep4j.analyzers.rules.RuleOptions;
import io.lockdep4j.analyzers.rules.Rules;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Where time and memory go on huge lock graphs, phase by phase. Not a test: run by hand, e.g.
 * {@code java -Xmx2g -cp ... io.lockdep4j.analyzers.graph.HugeGraphMeasure giant 100000 1000000} (shapes:
 * giant, ring, small, dag; see {@link GraphShapes}), or on a recording:
 * {@code ... HugeGraphMeasure file app.jfr}.
 * A phase that does not finish within the guard is reported as such (its thread keeps running,
 * so later figures of that run are skewed).
 */
public final class HugeGraphMeasure {
    static final long GUARD_SECONDS = Long.getLong("guard", 60);

    public static void main(String[] args) throws Exception {
        String shape = args[0];
        LockModel model;
        String phases;
        if (shape.equals("file")) { // a recording: java ... HugeGraphMeasure file app.jfr [phases]
            phases = args.length > 2 ? args[2] : "graph,rules,reports";
            model = phase("read and build model", () -> {
                ModelBuilder b = new ModelBuilder();
                new RecordingReader(null).read(List.of(Path.of(args[1])), b);
                return b.build();
            });
        } else {
            int n = Integer.parseInt(args[1]);
            int m = Integer.parseInt(args[2]);
            phases = args.length > 3 ? args[3] : "graph,rules,reports";
            GraphShapes.Edges edges = phase("edges " + shape, () -> shape(shape, n, m));
            phase("graph of edge arrays", () -> edges.graph().cycles(LockOrderGraph.CycleLimits.defaults()).steps() + " steps");
            model = phase("model " + shape, edges::model);
        }
        if (phases.contains("graph")) {
            LockOrderGraph g = phase("graph of", () -> LockOrderGraph.of(model, LockEdge::hasBlockingObservation));
            phase("components", () -> g.nonTrivialComponents().size());
            phase("cycles(defaults)", () -> {
                LockOrderGraph.CycleSearch s = g.cycles(LockOrderGraph.CycleLimits.defaults());
                return s.cycles().size() + " cycles, stopped by " + s.stoppedBy() + ", complete up to " + s.completeUpToLength()
                        + ", steps " + s.steps() + ", capped " + s.componentsCapped() + ", unexplored " + s.componentsUnexplored()
                        + "/" + s.components() + " (" + s.lockClassesUnexplored() + " classes, " + s.edgesUnexplored() + " edges)";
            });
        }
        AnalysisResult[] result = new AnalysisResult[1];
        if (phases.contains("rules")) {
            for (Rule r : Rules.load()) {
                phase("rule " + r.id(), () -> r.check(model, new RuleContext(RuleOptions.defaults())).size() + " findings");
            }
            result[0] = phase("analyze", () -> Analyzer.withDefaults().analyze(model));
        }
        if (phases.contains("reports") && result[0] != null) {
            PrintStream nul = new PrintStream(OutputStream.nullOutputStream());
            phase("text", () -> { new TextReport().write(result[0], nul); return ""; });
            phase("json", () -> { new JsonReport().write(result[0], nul); return ""; });
            phase("sarif", () -> { new SarifReport().write(result[0], nul); return ""; });
            phase("dot", () -> { new DotReport().write(result[0], nul); return ""; });
            phase("html", () -> { new HtmlReport().write(result[0], nul); return ""; });
        }
        System.exit(0);
    }

    static GraphShapes.Edges shape(String shape, int n, int m) {
        return switch (shape) {
            case "giant" -> GraphShapes.giantComponent(n, m, 42);
            case "ring" -> GraphShapes.ringWithChords(n, m / n);
            case "small" -> GraphShapes.manySmallComponents(n, m, 42);
            case "dag" -> GraphShapes.dag(n, m, 42);
            default -> throw new IllegalArgumentException(shape);
        };
    }

    @SuppressWarnings("unchecked")
    static <T> T phase(String name, Callable<T> body) throws Exception {
        Object[] out = new Object[1];
        Throwable[] failed = new Throwable[1];
        long before = used();
        long t0 = System.nanoTime();
        Thread t = new Thread(() -> {
            try {
                out[0] = body.call();
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, name);
        t.setDaemon(true);
        t.start();
        t.join(GUARD_SECONDS * 1000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (t.isAlive()) {
            System.out.printf(Locale.ROOT, "%-28s DID NOT FINISH in %d s%n", name, GUARD_SECONDS);
            return null;
        }
        long after = used();
        String what = failed[0] != null ? "FAILED " + failed[0] : String.valueOf(out[0]);
        System.out.printf(Locale.ROOT, "%-28s %7d ms  retained %+6d MB  %s%n", name, ms, (after - before) >> 20,
                what.length() > 160 ? what.substring(0, 160) : what);
        return (T) out[0];
    }

    static long used() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
