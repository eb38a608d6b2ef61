package io.lockdep4j.analyzers.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Loads the report formats listed in
 * {@code META-INF/services/io.lockdep4j.analyzers.report.ReportWriter}, the way
 * {@link io.lockdep4j.analyzers.rules.Rules} loads rules.
 */
public final class ReportWriters {
    private ReportWriters() {}

    /** Every listed format, in the order of the services file (the first is the default). */
    public static List<ReportWriter> load() {
        List<ReportWriter> writers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ReportWriter w : ServiceLoader.load(ReportWriter.class, ReportWriters.class.getClassLoader())) {
            if (!names.add(w.name())) {
                throw new IllegalStateException("two report formats share the name " + w.name());
            }
            writers.add(w);
        }
        return writers;
    }

    /** The format called {@code name} (case-insensitive), if one is listed. */
    public static Optional<ReportWriter> byName(String name) {
        return load().stream().filter(w -> w.name().equalsIgnoreCase(name)).findFirst();
    }
}
