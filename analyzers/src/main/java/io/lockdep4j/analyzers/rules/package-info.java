/**
 * The hazard rules. A new rule is one class here implementing {@link io.lockdep4j.analyzers.rules.Rule} plus one line in
 * {@code src/main/resources/META-INF/services/io.lockdep4j.analyzers.rules.Rule}; see {@link io.lockdep4j.analyzers.rules.LockOrderCycleRule} for an example.
 */
package io.lockdep4j.analyzers.rules;
