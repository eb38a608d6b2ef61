/**
 * The aggregated lock model built in one pass over all recordings ({@link io.lockdep4j.analyzers.model.ModelBuilder}
 * → {@link io.lockdep4j.analyzers.model.LockModel}), from the typed event records of {@code read}; rules read only this.
 * The lock graph is aggregated by {@code ModelBuilder}, the release paths by {@code ReleasePathBuilder} and
 * {@code SiteFacts}; repeated values (threads, stacks, strings, held-lock lists) are resolved once by {@code ValueCache}.
 */
package io.lockdep4j.analyzers.model;
