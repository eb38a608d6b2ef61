package io.lockdep4j.analyzers.report;

import io.lockdep4j.analyzers.AnalysisResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One report format. To add a format: write one class implementing this interface (with a public
 * no-argument constructor) in this package and add its class name as one line to
 * {@code src/main/resources/META-INF/services/io.lockdep4j.analyzers.report.ReportWriter}. The CLI
 * finds it by {@link #name()} ({@code --format NAME}) and lists it, with its
 * {@link #description()}, in its help (see {@link ReportWriters}).
 */
public interface ReportWriter {
    /** The {@code --format} value: short, lower case, stable. */
    String name();

    /** What the format is for, a few words for the help. */
    String description();

    /**
     * Writes the report of {@code result} to {@code out} (UTF-8), flushes it and leaves it open.
     * Throws when the stream cannot be written.
     */
    void write(AnalysisResult result, ReportOptions options, OutputStream out) throws IOException;

    /**
     * Whether the report itself prints one {@code BOUNDED} line per search that stopped at a limit,
     * readable where it is written; when it does not (or goes to a file), the CLI repeats those lines
     * on stderr, because a bounded search is what a person must not miss.
     */
    default boolean printsBoundsAsLines() {
        return false;
    }

    /** {@code out} as a UTF-8 print stream, for writers that print text. */
    static PrintStream printStream(OutputStream out) {
        return out instanceof PrintStream p ? p : new PrintStream(out, false, StandardCharsets.UTF_8);
    }

    /** Flushes a print stream and turns its swallowed write error into an exception. */
    static void finish(PrintStream out) throws IOException {
        out.flush();
        if (out.checkError()) {
            throw new IOException("write failed");
        }
    }
}
