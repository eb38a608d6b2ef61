package io.lockdep4j.analyzers.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What a report writer may need besides the analysis, the same for every format so that the CLI
 * dispatches without knowing any format.
 *
 * @param sourceRoots directories holding the sources (SARIF writes a location found under one
 *     relative to {@code baseDir})
 * @param baseDir the directory locations are written relative to (the current directory in the CLI)
 * @param verbose include the rules' statistics and internal notes (text report)
 */
public record ReportOptions(List<Path> sourceRoots, Path baseDir, boolean verbose) {
    public ReportOptions {
        sourceRoots = List.copyOf(sourceRoots);
    }

    /** No source roots, the current directory, not verbose. */
    public static ReportOptions defaults() {
        return new ReportOptions(List.of(), Path.of(""), false);
    }
}
