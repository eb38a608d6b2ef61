package io.lockdep4j.tests.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.example.storage.LogFile;

/**
 * Issue 16.5: an application whose data layer ({@link Ledger#commit}) forces a storage engine's
 * log ({@link LogFile}, package {@code org.example.storage}) while holding the ledger lock, which
 * an auditor thread takes too; {@link Teller#pay} is the business code above it. {@code java -cp
 * test-classes io.lockdep4j.tests.workloads.TitleFrameWorkload NAME DIR}:
 *
 * <ul>
 *   <li>{@code under-lock}: the force runs inside the lock: blocking-under-lock at the engine's
 *       {@code LogFile#sync}, a title that should name {@code Ledger#commit}.</li>
 *   <li>{@code after-unlock}: the twin: the same calls, the force after the lock is dropped.</li>
 * </ul>
 */
public final class TitleFrameWorkload {
    public static final int PAYMENTS = 3;

    public static void main(String[] args) throws Exception {
        String name = args[0];
        boolean underLock = switch (name) {
            case "under-lock" -> true;
            case "after-unlock" -> false;
            default -> {
                System.err.println("unknown scenario '" + name + "'");
                System.exit(3);
                yield false;
            }
        };
        Path dir = Files.createDirectories(Path.of(args[1]));
        try (LogFile log = new LogFile(dir.resolve("ledger.log"))) {
            Ledger ledger = new Ledger(log, underLock);
            Thread teller = new Thread(() -> new Teller(ledger).pay(PAYMENTS), "teller");
            teller.start();
            teller.join();
            Thread auditor = new Thread(ledger::audit, "auditor");
            auditor.start();
            auditor.join();
        }
        System.out.println("scenario " + name + " done");
    }

    /** The application's data layer: each commit appends to the engine's log and forces it. */
    static final class Ledger {
        final ReentrantLock lock = new ReentrantLock();
        final LogFile log;
        final boolean forceUnderLock;
        long entries;

        Ledger(LogFile log, boolean forceUnderLock) {
            this.log = log;
            this.forceUnderLock = forceUnderLock;
        }

        void commit(byte[] record) {
            try {
                lock.lock();
                try {
                    log.append(record);
                    entries++;
                    if (forceUnderLock) {
                        log.force();
                    }
                } finally {
                    lock.unlock();
                }
                if (!forceUnderLock) {
                    log.force();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        long audit() {
            lock.lock();
            try {
                return entries;
            } finally {
                lock.unlock();
            }
        }
    }

    /** The business code: what {@code --include=...TitleFrameWorkload$Teller} points titles at. */
    record Teller(Ledger ledger) {
        void pay(int payments) {
            for (int i = 0; i < payments; i++) {
                ledger.commit(new byte[] {(byte) i, 1, 2});
            }
        }
    }
}
