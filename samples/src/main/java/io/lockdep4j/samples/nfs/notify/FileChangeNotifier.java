package io.lockdep4j.samples.nfs.notify;

import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-process event bus for namespace changes of the export; delivers synchronously to each listener. */
public final class FileChangeNotifier {
    private final CopyOnWriteArrayList<FileChangeListener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(FileChangeListener l) {
        listeners.add(l);
    }

    public void removeListener(FileChangeListener l) {
        listeners.remove(l);
    }

    public void fireUnlink(long fileId, Path path) {
        for (FileChangeListener l : listeners) {
            l.onUnlink(fileId, path);
        }
    }

    public void fireRename(long fileId, Path from, Path to, long replacedFileId) {
        for (FileChangeListener l : listeners) {
            l.onRename(fileId, from, to, replacedFileId);
        }
    }
}
