/**
 * Reading .jfr files: {@link io.lockdep4j.analyzers.read.RecordingReader} streams lockdep4j events and turns every kind of
 * bad file into a one-line {@link io.lockdep4j.analyzers.read.BadRecordingException};
 * {@link io.lockdep4j.analyzers.read.EventDecoders} decodes each event type into its typed record
 * ({@link io.lockdep4j.analyzers.read.LockEvents}, {@link io.lockdep4j.analyzers.read.ReleaseEvents}): the only code that
 * reads event fields by name.
 */
package io.lockdep4j.analyzers.read;
