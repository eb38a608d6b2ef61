/**
 * The {@code lockdep4j analyze} and {@code check} command line ({@link io.lockdep4j.analyzers.cli.Main}).
 * It only parses and dispatches: {@code --format} names a registered
 * {@link io.lockdep4j.analyzers.report.ReportWriter}, and each option a rule declares
 * ({@link io.lockdep4j.analyzers.rules.Rule#options()}) becomes a flag of the same name, with the
 * rule's doc and default in the help ({@link io.lockdep4j.analyzers.cli.ReportCommand}).
 * {@code watch PID} ({@link io.lockdep4j.analyzers.cli.WatchCommand}) is the live view of a running
 * JVM: it follows the JFR repository and prints the findings that one event proves.
 */
package io.lockdep4j.analyzers.cli;
