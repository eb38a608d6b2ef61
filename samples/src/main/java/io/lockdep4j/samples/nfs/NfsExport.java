package io.lockdep4j.samples.nfs;

import io.lockdep4j.samples.nfs.notify.FileChangeNotifier;
import io.lockdep4j.samples.nfs.rpc.Nfs3;
import io.lockdep4j.samples.nfs.rpc.NfsStatusException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One exported directory: the file-handle table (opaque handle = magic + file id + boot id) and the
 * namespace operations. Every namespace change (create, mkdir, remove, rmdir, rename) runs under
 * {@link #namespaceLock} (cf. the parent directory's i_rwsem / s_vfs_rename_mutex) and notifies the
 * {@link FileChangeNotifier} in-line while still holding it, as fsnotify does.
 */
public final class NfsExport {
    private static final int FH_MAGIC = 0x4c44344a; // "LD4J"
    public static final long ROOT_ID = 1;

    private final Path root;
    private final String exportPath;
    private final int bootId = ThreadLocalRandom.current().nextInt();
    /** The directory lock: serialises all namespace changes of this export. */
    private final ReentrantLock namespaceLock = new ReentrantLock();
    private final FileChangeNotifier notifier;
    private final AtomicLong nextId = new AtomicLong(ROOT_ID);
    private final ConcurrentHashMap<Long, Path> pathById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Path, Long> idByPath = new ConcurrentHashMap<>();

    public NfsExport(Path root, String exportPath, FileChangeNotifier notifier) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.exportPath = exportPath;
        this.notifier = notifier;
        if (!Files.isDirectory(this.root)) {
            throw new IOException("export is not a directory: " + this.root);
        }
        pathById.put(ROOT_ID, this.root);
        idByPath.put(this.root, ROOT_ID);
    }

    public Path root() {
        return root;
    }

    public String exportPath() {
        return exportPath;
    }

    public FileChangeNotifier notifier() {
        return notifier;
    }

    /** The directory lock ({@code NfsExport.namespaceLock}); the cache reaper needs it too. */
    public ReentrantLock namespaceLock() {
        return namespaceLock;
    }

    // ---- file handles ----

    public byte[] handle(long id) {
        return ByteBuffer.allocate(16).putInt(FH_MAGIC).putLong(id).putInt(bootId).array();
    }

    public byte[] rootHandle() {
        return handle(ROOT_ID);
    }

    public long idOf(byte[] fh) throws NfsStatusException {
        if (fh.length != 16) {
            throw new NfsStatusException(Nfs3.NFS3ERR_BADHANDLE, "bad handle length " + fh.length);
        }
        ByteBuffer b = ByteBuffer.wrap(fh);
        if (b.getInt() != FH_MAGIC) {
            throw new NfsStatusException(Nfs3.NFS3ERR_BADHANDLE, "bad handle magic");
        }
        long id = b.getLong();
        if (b.getInt() != bootId) {
            throw new NfsStatusException(Nfs3.NFS3ERR_STALE, "handle from another server instance");
        }
        return id;
    }

    public Path pathOf(long id) throws NfsStatusException {
        Path p = pathById.get(id);
        if (p == null) {
            throw new NfsStatusException(Nfs3.NFS3ERR_STALE, "stale handle " + id);
        }
        return p;
    }

    public Path pathOf(byte[] fh) throws NfsStatusException {
        return pathOf(idOf(fh));
    }

    /** The id of an existing path, assigning one on first sight. */
    public long idFor(Path path) {
        Long id = idByPath.get(path);
        if (id != null) {
            return id;
        }
        long fresh = nextId.incrementAndGet();
        Long raced = idByPath.putIfAbsent(path, fresh);
        if (raced != null) {
            return raced;
        }
        pathById.put(fresh, path);
        return fresh;
    }

    /** Whether {@code id} still names a linked file; stable only while {@link #namespaceLock} is held. */
    public boolean isLinked(long id) {
        Path p = pathById.get(id);
        return p != null && Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    // ---- lookups (no lock: a racing rename shows up later as NOENT/STALE) ----

    public Path child(long dirId, String name) throws NfsStatusException {
        Path dir = pathOf(dirId);
        if (name.equals(".")) {
            return dir;
        }
        if (name.equals("..")) {
            return dir.equals(root) ? root : dir.getParent();
        }
        checkName(name);
        return dir.resolve(name);
    }

    private static void checkName(String name) throws NfsStatusException {
        if (name.isEmpty() || name.contains("/") || name.contains("\0") || name.equals(".") || name.equals("..")) {
            throw new NfsStatusException(Nfs3.NFS3ERR_INVAL, "bad name '" + name + "'");
        }
        if (name.length() > 255) {
            throw new NfsStatusException(Nfs3.NFS3ERR_NAMETOOLONG, "name too long");
        }
    }

    public long lookup(long dirId, String name) throws IOException {
        Path dir = pathOf(dirId);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NfsStatusException(Nfs3.NFS3ERR_NOTDIR, dir + " is not a directory");
        }
        Path p = child(dirId, name);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new NfsStatusException(Nfs3.NFS3ERR_NOENT, "no such file " + name);
        }
        return idFor(p);
    }

    /** Directory entries, sorted by name (cookie = index + 1). */
    public List<Path> list(long dirId) throws IOException {
        Path dir = pathOf(dirId);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NfsStatusException(Nfs3.NFS3ERR_NOTDIR, dir + " is not a directory");
        }
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.forEach(out::add);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        out.sort(null);
        return out;
    }

    // ---- namespace changes: all under namespaceLock ----

    /** CREATE; returns the id. {@code exclusive}: GUARDED/EXCLUSIVE semantics (fail if it exists). */
    public long create(long dirId, String name, boolean exclusive) throws IOException {
        namespaceLock.lock();
        try {
            Path p = child(dirId, name);
            checkName(name);
            try {
                Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (exclusive) {
                    throw new NfsStatusException(Nfs3.NFS3ERR_EXIST, name + " exists");
                }
                if (Files.isDirectory(p)) {
                    throw new NfsStatusException(Nfs3.NFS3ERR_ISDIR, name + " is a directory");
                }
            }
            return idFor(p);
        } catch (IOException e) {
            throw translate(e);
        } finally {
            namespaceLock.unlock();
        }
    }

    public long mkdir(long dirId, String name) throws IOException {
        namespaceLock.lock();
        try {
            checkName(name);
            Path p = child(dirId, name);
            Files.createDirectory(p);
            return idFor(p);
        } catch (IOException e) {
            throw translate(e);
        } finally {
            namespaceLock.unlock();
        }
    }

    /** REMOVE (files) or RMDIR (directories); notifies {@code onUnlink} while holding namespaceLock. */
    public void remove(long dirId, String name, boolean directory) throws IOException {
        namespaceLock.lock();
        try {
            checkName(name);
            Path p = child(dirId, name);
            boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && isDir != directory) {
                throw new NfsStatusException(directory ? Nfs3.NFS3ERR_NOTDIR : Nfs3.NFS3ERR_ISDIR, name);
            }
            Files.delete(p);
            Long id = idByPath.remove(p);
            if (id != null) {
                pathById.remove(id);
                notifier.fireUnlink(id, p);
            }
        } catch (IOException e) {
            throw translate(e);
        } finally {
            namespaceLock.unlock();
        }
    }

    /** RENAME; an existing target is replaced (and reported as unlinked via {@code onRename}). */
    public void rename(long fromDirId, String fromName, long toDirId, String toName) throws IOException {
        namespaceLock.lock();
        try {
            checkName(fromName);
            checkName(toName);
            Path from = child(fromDirId, fromName);
            Path to = child(toDirId, toName);
            if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                throw new NfsStatusException(Nfs3.NFS3ERR_NOENT, fromName);
            }
            if (from.equals(to)) {
                return;
            }
            long replaced = -1;
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isDirectory(to) != Files.isDirectory(from)) {
                    throw new NfsStatusException(Files.isDirectory(to) ? Nfs3.NFS3ERR_ISDIR : Nfs3.NFS3ERR_NOTDIR, toName);
                }
                Long r = idByPath.get(to);
                replaced = r == null ? -1 : r;
            }
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (replaced != -1) {
                idByPath.remove(to);
                pathById.remove(replaced);
            }
            long id = idFor(from);
            // re-home the moved path and, for directories, everything below it
            for (Map.Entry<Path, Long> e : new ArrayList<>(idByPath.entrySet())) {
                Path old = e.getKey();
                if (old.startsWith(from)) {
                    Path moved = to.resolve(from.relativize(old));
                    idByPath.remove(old);
                    idByPath.put(moved, e.getValue());
                    pathById.put(e.getValue(), moved);
                }
            }
            notifier.fireRename(id, from, to, replaced);
        } catch (IOException e) {
            throw translate(e);
        } finally {
            namespaceLock.unlock();
        }
    }

    public static IOException translate(IOException e) {
        if (e instanceof NfsStatusException) {
            return e;
        }
        int status;
        if (e instanceof NoSuchFileException) {
            status = Nfs3.NFS3ERR_NOENT;
        } else if (e instanceof FileAlreadyExistsException) {
            status = Nfs3.NFS3ERR_EXIST;
        } else if (e instanceof DirectoryNotEmptyException) {
            status = Nfs3.NFS3ERR_NOTEMPTY;
        } else if (e instanceof NotDirectoryException) {
            status = Nfs3.NFS3ERR_NOTDIR;
        } else if (e instanceof AccessDeniedException) {
            status = Nfs3.NFS3ERR_ACCES;
        } else {
            status = Nfs3.NFS3ERR_IO;
        }
        NfsStatusException n = new NfsStatusException(status, String.valueOf(e.getMessage()));
        n.initCause(e);
        return n;
    }
}
