/**
 * The hazard rules. A rule declares its own options ({@link io.lockdep4j.analyzers.rules.RuleOption}, returned by
 * {@link io.lockdep4j.analyzers.rules.Rule#options()}). A new rule is one class here implementing {@link io.lockdep4j.analyzers.rules.Rule} plus one line in
 * {@code src/main/resources/META-INF/services/io.lockdep4j.analyzers.rules.Rule}; see {@link io.lockdep4j.analyzers.rules.LockOrderCycleRule} for an example.
 */
package io.lockdep4j.analyzers.rules;
