package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.LockModel;
import java.util.List;

/**
 * A hazard check over the aggregated {@link LockModel}. A rule is a pure function: it reads the
 * model, returns findings and leaves statistics in the context; it never reads files or prints.
 *
 * <p>To add a rule: write one class implementing this interface (with a public no-argument
 * constructor) in this package, and add its class name as one line to
 * {@code src/main/resources/META-INF/services/io.lockdep4j.analyzers.rules.Rule}. The CLI loads
 * every listed rule with {@link java.util.ServiceLoader} (see {@link Rules#load()}).
 *
 * <p>A rule with knobs declares them in {@link #options()} (name, default, one-line doc): the CLI
 * offers each as {@code --name} and lists it in its help, and the rule reads the value with
 * {@link RuleContext#option(RuleOption)}.
 */
public interface Rule {
    /** A short, stable, kebab-case id such as {@code lock-order-cycle}; part of every finding's key. */
    String id();

    /** One line saying what the rule looks for. */
    default String description() {
        return id();
    }

    /** The options this rule reads, each declared once (usually as a constant of the rule). */
    default List<RuleOption> options() {
        return List.of();
    }

    /** The findings in {@code model}; an empty list when there are none. */
    List<Finding> check(LockModel model, RuleContext context);
}
