package io.lockdep4j.analyzers.rules;

import java.util.Locale;

/** How bad a finding is; reports list the most severe first. */
public enum Severity {
    /** A hazard that can happen between two threads as observed: a real deadlock waiting for its timing. */
    ERROR,
    /** A hazard whose conditions were not all seen at once (for example, one thread took both orders). */
    WARNING,
    /** Worth knowing, not a bug by itself. */
    INFO;

    /** The lower-case name used in reports: error, warning, info. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
