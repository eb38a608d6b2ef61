package io.lockdep4j.junit;

import io.lockdep4j.analyzers.rules.Finding;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The message of a {@link LockOrderCheck} failure: which test introduced how many hazards, then each finding as the
 * rule explains it (lock classes, both stacks of every edge, the unsafe scenario). Not the whole text report: its
 * header and rule statistics say nothing about this test. Stacks stop at the test code: the frames below it
 * (JUnit's reflective call of the test method, the test runner, the JVM's reflection) are the same in every failure.
 */
final class FailureMessage {
    /** An indented stack frame as the rules print it: {@code     com.acme.Bank.transfer(Bank.java:15)}. */
    private static final Pattern FRAME = Pattern.compile("^\\s+[\\w$.]+\\.[\\w$<>]+\\(.*\\)$");
    private static final Pattern MORE = Pattern.compile("^\\s+\\.\\.\\. \\d+ more$");
    /** Callers of a test method; everything below the first of them in a stack is the test runner's. */
    private static final Pattern RUNNER = Pattern.compile("^\\s+(org\\.junit\\.|junit\\.|org\\.apache\\.maven\\.surefire\\."
            + "|org\\.gradle\\.|com\\.intellij\\.rt\\.|org\\.eclipse\\.jdt\\.internal\\.junit|jdk\\.internal\\.reflect\\."
            + "|java\\.lang\\.reflect\\.|sun\\.reflect\\.|java\\.lang\\.invoke\\.)");

    private FailureMessage() {
    }

    static String of(String testName, List<Finding> findings) {
        StringBuilder sb = new StringBuilder("lockdep4j: ").append(testName).append(" introduced ").append(findings.size())
                .append(" lock-order hazard").append(findings.size() == 1 ? "" : "s").append(":\n");
        for (Finding f : findings) {
            sb.append("\n[").append(f.severity().name()).append("] ").append(f.title()).append('\n')
                    .append("key: ").append(f.key()).append("\n\n");
            appendWithoutRunnerFrames(sb, f.explanation());
        }
        return sb.toString();
    }

    private static void appendWithoutRunnerFrames(StringBuilder sb, String explanation) {
        int frameInStack = 0;
        boolean runner = false;
        for (String line : explanation.split("\\R", -1)) {
            if (runner && MORE.matcher(line).matches()) {
                continue; // "... 35 more": the rest of the runner's frames
            }
            if (!FRAME.matcher(line).matches()) {
                frameInStack = 0;
                runner = false;
            } else if (frameInStack++ > 0 && !runner) { // the top frame is where the lock was taken: always kept
                runner = RUNNER.matcher(line).lookingAt();
            }
            if (!runner) {
                sb.append(line).append('\n');
            }
        }
        while (sb.length() > 1 && sb.charAt(sb.length() - 1) == '\n' && sb.charAt(sb.length() - 2) == '\n') {
            sb.setLength(sb.length() - 1);
        }
    }
}
