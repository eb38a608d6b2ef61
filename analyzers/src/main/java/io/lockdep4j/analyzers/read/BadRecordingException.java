package io.lockdep4j.analyzers.read;

/**
 * A recording that cannot be analyzed: missing, empty, truncated, not JFR, or corrupt. The
 * message is one human-readable line that names the file; the CLI prints it as is (prefixed with
 * {@code lockdep4j: }) and exits with 2, so never put a stack trace or a newline in it.
 */
public class BadRecordingException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadRecordingException(String message) {
        super(oneLine(message));
    }

    public BadRecordingException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
