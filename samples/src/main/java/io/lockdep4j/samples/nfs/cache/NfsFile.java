package io.lockdep4j.samples.nfs.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One cached open file (cf. struct nfsd_file): a FileChannel, a reference count and the LRU
 * REFERENCED bit. {@link #refs}, {@link #referenced} and {@link #hashed} are guarded by
 * {@code NfsFileCache.lruLock}; I/O on the channel needs no lock (positional reads/writes).
 */
public final class NfsFile {
    final long fileId;
    final Path path;
    final FileChannel channel;
    final boolean writable;
    int refs;
    boolean referenced;
    boolean hashed;
    private volatile boolean dirty;
    private volatile boolean closed;

    NfsFile(long fileId, Path path, FileChannel channel, boolean writable) {
        this.fileId = fileId;
        this.path = path;
        this.channel = channel;
        this.writable = writable;
    }

    public long fileId() {
        return fileId;
    }

    public Path path() {
        return path;
    }

    public boolean writable() {
        return writable;
    }

    public boolean isClosed() {
        return closed;
    }

    public FileChannel channel() {
        return channel;
    }

    public int read(ByteBuffer dst, long offset) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, offset + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    public int write(ByteBuffer src, long offset) throws IOException {
        int total = 0;
        while (src.hasRemaining()) {
            total += channel.write(src, offset + total);
        }
        dirty = true;
        return total;
    }

    public void truncateOrExtend(long size) throws IOException {
        long current = channel.size();
        if (size < current) {
            channel.truncate(size);
        } else if (size > current) {
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
        dirty = true;
    }

    /** COMMIT / FILE_SYNC: force data and metadata to disk. */
    public void commit() throws IOException {
        channel.force(true);
        dirty = false;
    }

    /** The final close: writable files are flushed (force) before the channel is closed. */
    void closeAndForce() throws IOException {
        try {
            if (writable && channel.isOpen()) {
                channel.force(true);
            }
        } finally {
            closed = true;
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "NfsFile[" + fileId + " " + path + " refs=" + refs + (dirty ? " dirty" : "") + "]";
    }
}
