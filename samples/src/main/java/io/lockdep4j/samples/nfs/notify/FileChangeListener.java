package io.lockdep4j.samples.nfs.notify;

import java.nio.file.Path;
import java.util.EventListener;

/**
 * Change notification callbacks (cf. Linux fsnotify marks). Callbacks run in-line on the thread that
 * changed the namespace, while it holds {@code NfsExport.namespaceLock}: they must not block.
 */
public interface FileChangeListener extends EventListener {
    /** {@code fileId} was unlinked (REMOVE, or replaced by a RENAME). */
    void onUnlink(long fileId, Path path);

    /** {@code fileId} moved from {@code from} to {@code to}; {@code replacedFileId} (or -1) was overwritten. */
    void onRename(long fileId, Path from, Path to, long replacedFileId);
}
