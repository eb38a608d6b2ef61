package io.lockdep4j.samples.nfs;

/** How the file cache performs the final close of a file (cf. Linux fput vs __fput_sync). */
public enum ReleaseMode {
    /** Final close (force + close) handed to the release executor, like delayed fput. Safe. */
    DEFERRED,
    /** Final close in-line on the caller's thread while still holding the cache lock. Hazard {@code sync-release}. */
    SYNC
}
