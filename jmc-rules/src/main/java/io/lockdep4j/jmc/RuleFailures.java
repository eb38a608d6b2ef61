package io.lockdep4j.jmc;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the rule failures JMC's report classes log instead of throwing: {@code JfrHtmlRulesReport}
 * and {@code JfrRulesReport} catch a rule's exception (a {@code NoClassDefFoundError} from a
 * broken jar, a bug in a rule), log it as a warning with the exception, and go on writing the
 * report. While watching, those records are turned into one line per failure (rule and root
 * cause) and kept from JMC's console handler; {@code -Dlockdep4j.debug=true} prints the stack too.
 */
final class RuleFailures extends Handler implements AutoCloseable {
    private final Logger logger;
    private final boolean oldUseParents;
    private final List<String> failures = new ArrayList<>();

    private RuleFailures(Logger logger) {
        this.logger = logger;
        this.oldUseParents = logger.getUseParentHandlers();
    }

    /** Starts collecting what the logger of {@code reportClass} records with an exception. */
    static RuleFailures watch(Class<?> reportClass) {
        RuleFailures w = new RuleFailures(Logger.getLogger(reportClass.getName()));
        w.logger.addHandler(w);
        w.logger.setUseParentHandlers(Boolean.getBoolean("lockdep4j.debug"));
        return w;
    }

    @Override
    public synchronized void publish(LogRecord r) {
        if (r.getThrown() == null || r.getLevel().intValue() < Level.WARNING.intValue()) {
            return;
        }
        Throwable root = r.getThrown();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // JMC's message names the rule: 'Error while evaluating rule "Lock order cycle (possible deadlock)"'
        String what = r.getMessage() == null ? "a rule" : r.getMessage();
        failures.add(what + ": " + root);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(oldUseParents);
    }
}
