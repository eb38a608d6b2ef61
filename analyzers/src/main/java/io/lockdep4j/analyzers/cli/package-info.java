/** The {@code lockdep4j analyze} command line ({@link io.lockdep4j.analyzers.cli.Main}). */
package io.lockdep4j.analyzers.cli;
