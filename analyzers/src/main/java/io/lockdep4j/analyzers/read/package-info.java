/** Reading .jfr files: {@link io.lockdep4j.analyzers.read.RecordingReader} streams lockdep4j events and turns every kind of bad file into a one-line {@link io.lockdep4j.analyzers.read.BadRecordingException}. */
package io.lockdep4j.analyzers.read;
