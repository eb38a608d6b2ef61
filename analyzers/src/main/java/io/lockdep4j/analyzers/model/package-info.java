/** The aggregated lock model built in one pass over all recordings ({@link io.lockdep4j.analyzers.model.ModelBuilder} → {@link io.lockdep4j.analyzers.model.LockModel}); rules read only this. */
package io.lockdep4j.analyzers.model;
