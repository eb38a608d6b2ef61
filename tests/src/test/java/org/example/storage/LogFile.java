package org.example.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A storage engine's log file, in a package root of its own as Derby's or H2's would be: the
 * library that makes the blocking call in {@code io.lockdep4j.tests.workloads.TitleFrameWorkload}.
 * Its fsync is two engine frames deep, so naming the user's code means skipping the library, not one frame.
 */
public final class LogFile implements Closeable {
    private final FileChannel channel;

    public LogFile(Path path) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    public void append(byte[] record) throws IOException {
        channel.write(ByteBuffer.wrap(record));
    }

    /** The engine's durability point. */
    public void force() throws IOException {
        sync();
    }

    private void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
