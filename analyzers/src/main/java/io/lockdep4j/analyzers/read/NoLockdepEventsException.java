package io.lockdep4j.analyzers.read;

/**
 * The recordings are valid JFR but hold no {@code lockdep4j.*} event at all. Reporting "no
 * findings" would be a lie (nothing was observed), so this is an error of its own: the agent was
 * not attached, or the recording did not use the lockdep4j.jfc settings, which enable the
 * lockdep4j event types (they are disabled by default).
 */
public final class NoLockdepEventsException extends BadRecordingException {
    private static final long serialVersionUID = 1L;

    public static final String HINT = "no lockdep4j events: was the agent attached and the lockdep4j.jfc settings used?";

    public NoLockdepEventsException(String files) {
        super(files + ": " + HINT);
    }
}
