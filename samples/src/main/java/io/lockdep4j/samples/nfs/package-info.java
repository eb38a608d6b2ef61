/**
 * A JVM-hosted NFSv3 server stack, modelled on Linux knfsd, that shows each lockdep4j hazard next to
 * its safe twin. Entry points: {@link io.lockdep4j.samples.nfs.NfsServerMain} and
 * {@link io.lockdep4j.samples.nfs.load.NfsLoadDriverMain}. See {@code samples/README.md}.
 *
 * <p>Locks (lock-class names as lockdep4j reports them):
 * <ul>
 *   <li>{@code NfsExport.namespaceLock} (ReentrantLock): every namespace change (CREATE, MKDIR,
 *       REMOVE, RMDIR, RENAME), change notifications are delivered while it is held;</li>
 *   <li>{@code NfsFileCache.lruLock} (ReentrantLock): the file cache hash/LRU and entry refcounts;</li>
 *   <li>{@code ServerStateRecovery.stateSeq} (StampedLock, safe) and
 *       {@code ServerStateRecovery.recoveryRwLock} (ReentrantReadWriteLock, hazard);</li>
 * </ul>
 * Safe order: namespaceLock → lruLock.
 */
package io.lockdep4j.samples.nfs;
