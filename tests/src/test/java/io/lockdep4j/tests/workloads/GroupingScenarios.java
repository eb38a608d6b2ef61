package io.lockdep4j.tests.workloads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Issue 16 points 2 and 3: one blocking call site reached from many paths is one finding with
 * every path and every event counted. {@code java -cp test-classes
 * io.lockdep4j.tests.workloads.GroupingScenarios NAME DIR}; threads are joined one after another.
 *
 * <ul>
 *   <li>{@code many-paths}: {@link Journal#syncAndClose} (force, then close) is called by two
 *       listener methods of one listener, inside the journal's notification, holding the journal
 *       lock; {@link Journal#appendAndSync} forces under the journal lock on {@link #WRITERS}
 *       threads, {@link #FORCES_PER_WRITER} times each, half of them also holding the index lock;
 *       a reader thread takes the journal lock without blocking.</li>
 *   <li>{@code many-paths-safe}: the twin: the same calls, every force and close after the locks
 *       are dropped.</li>
 * </ul>
 */
public final class GroupingScenarios {
    public static final int WRITERS = 3;
    public static final int FORCES_PER_WRITER = 4;

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Path dir = Files.createDirectories(Path.of(args[1]));
        switch (name) {
            case "many-paths": run(dir, false); break;
            case "many-paths-safe": run(dir, true); break;
            default:
                System.err.println("unknown scenario '" + name + "'");
                System.exit(3);
        }
        System.out.println("scenario " + name + " done");
    }

    public interface JournalListener extends EventListener {
        void onRotate(FileChannel segment) throws IOException;

        void onTruncate(FileChannel segment) throws IOException;
    }

    public static final class Journal {
        final ReentrantLock journalLock = new ReentrantLock();
        final ReentrantLock indexLock = new ReentrantLock();
        final List<JournalListener> listeners = new ArrayList<>();
        final boolean safe;
        final List<FileChannel> afterUnlock = new ArrayList<>();

        Journal(boolean safe) {
            this.safe = safe;
        }

        /** The one blocking call site of the notifier paths. */
        static void syncAndClose(FileChannel ch) throws IOException {
            ch.force(true);
            ch.close();
        }

        /** The one blocking call site of the writers. */
        static void appendAndSync(FileChannel ch) throws IOException {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            ch.force(false);
        }

        void rotate(FileChannel segment) throws IOException {
            journalLock.lock();
            try {
                for (JournalListener l : listeners) {
                    l.onRotate(segment);
                }
            } finally {
                journalLock.unlock();
            }
            closeAfterUnlock();
        }

        void truncate(FileChannel segment) throws IOException {
            journalLock.lock();
            try {
                for (JournalListener l : listeners) {
                    l.onTruncate(segment);
                }
            } finally {
                journalLock.unlock();
            }
            closeAfterUnlock();
        }

        void closeAfterUnlock() throws IOException {
            for (FileChannel ch : afterUnlock) {
                syncAndClose(ch);
            }
            afterUnlock.clear();
        }

        void write(FileChannel ch, boolean withIndex) throws IOException {
            if (safe) {
                appendAndSync(ch);
                journalLock.lock();
                journalLock.unlock();
                return;
            }
            journalLock.lock();
            try {
                if (withIndex) {
                    indexLock.lock();
                    try {
                        appendAndSync(ch);
                    } finally {
                        indexLock.unlock();
                    }
                } else {
                    appendAndSync(ch);
                }
            } finally {
                journalLock.unlock();
            }
        }
    }

    static FileChannel open(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    static void run(Path dir, boolean safe) throws Exception {
        Journal journal = new Journal(safe);
        journal.listeners.add(new JournalListener() {
            @Override
            public void onRotate(FileChannel segment) throws IOException {
                if (journal.safe) {
                    journal.afterUnlock.add(segment);
                } else {
                    Journal.syncAndClose(segment);
                }
            }

            @Override
            public void onTruncate(FileChannel segment) throws IOException {
                if (journal.safe) {
                    journal.afterUnlock.add(segment);
                } else {
                    Journal.syncAndClose(segment);
                }
            }
        });
        journal.rotate(open(dir.resolve("segment-1")));
        journal.truncate(open(dir.resolve("segment-2")));
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                try (FileChannel ch = open(dir.resolve("writer-" + writer))) {
                    for (int i = 0; i < FORCES_PER_WRITER; i++) {
                        journal.write(ch, i % 2 == 1);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, "writer-" + w);
            t.start();
            t.join();
        }
        Thread reader = new Thread(() -> {
            journal.journalLock.lock();
            journal.journalLock.unlock();
        }, "reader");
        reader.start();
        reader.join();
    }
}
