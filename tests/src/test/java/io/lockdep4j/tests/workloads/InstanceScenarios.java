package io.lockdep4j.tests.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 16 point 4: instance evidence grades a lock-order cycle.
 * {@code java -cp test-classes io.lockdep4j.tests.workloads.InstanceScenarios NAME}. Threads run
 * one after another (joined), so nothing deadlocks.
 *
 * <ul>
 *   <li>{@code fresh-then-published}: "creator" holds the registry lock and locks a transaction it
 *       has just created, before publishing it (registryLock -> Txn, on an instance no other thread
 *       had locked); "committer" locks a published transaction, then the registry (Txn ->
 *       registryLock). No thread could hold the fresh instance: a warning with that evidence.</li>
 *   <li>{@code published-then-locked}: the hazard twin. "committer" locks a published transaction
 *       and then the registry; "closer" holds the registry and locks that same, shared, transaction:
 *       an error.</li>
 *   <li>{@code created-here-locked-elsewhere-first}: "creator" creates a transaction and publishes
 *       it; "committer" locks it, then the registry; only then "creator" locks it under the
 *       registry: created by that method, but another thread locked it first: an error.</li>
 *   <li>{@code fresh-then-later-shared}: as {@code fresh-then-published}, then "creator" takes the
 *       same path (registry, then a transaction) on the transaction "committer" locked: the known
 *       chain is now taken on a shared instance, and the cycle is an error.</li>
 * </ul>
 *
 * <p>And a blocking call under a lock that is never shared ({@code ... NAME DIR}):
 * <ul>
 *   <li>{@code fsync-under-own-txn}: two threads each force a file while holding the monitor of
 *       their own transaction; other threads take the class, never that instance: no finding.</li>
 *   <li>{@code fsync-under-txn-locked-later}: the twin: after the force, another thread locks that
 *       same transaction: blocking-under-lock.</li>
 *   <li>{@code fsync-under-txn-locked-before}: another thread locked the transaction before the
 *       force: blocking-under-lock.</li>
 * </ul>
 */
public final class InstanceScenarios {
    static final Object registryLock = new Object();
    static final List<Txn> published = new ArrayList<>();

    public static final class Txn {
        int state;

        void begin() {
            state = 1;
        }
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("instance-scenarios");
        Files.createDirectories(dir);
        switch (name) {
            case "fsync-under-own-txn":
                run("writer-1", () -> commitOwnTxn("1"));
                run("writer-2", () -> commitOwnTxn("2"));
                break;
            case "fsync-under-txn-locked-later": {
                Txn t = new Txn();
                run("writer", () -> forceHolding(t, "1"));
                run("auditor", () -> audit(t));
                break;
            }
            case "fsync-under-txn-locked-before": {
                Txn t = new Txn();
                run("auditor", () -> audit(t));
                run("writer", () -> forceHolding(t, "1"));
                break;
            }
            case "fresh-then-published":
                run("creator", InstanceScenarios::createAndPublish);
                run("committer", InstanceScenarios::commitFirstPublished);
                break;
            case "published-then-locked":
                published.add(new Txn());
                run("committer", InstanceScenarios::commitFirstPublished);
                run("closer", InstanceScenarios::closeFirstPublished);
                break;
            case "created-here-locked-elsewhere-first":
                run("creator", InstanceScenarios::createPublishThenLock);
                break;
            case "fresh-then-later-shared":
                run("creator", InstanceScenarios::createAndPublish);
                run("committer", InstanceScenarios::commitFirstPublished);
                run("creator-again", InstanceScenarios::closeFirstPublished);
                break;
            default:
                System.err.println("unknown scenario '" + name + "'");
                System.exit(3);
        }
        System.out.println("scenario " + name + " done");
    }

    static Path dir;

    /** A transaction of this thread's own: its monitor is never locked by another thread. */
    static void commitOwnTxn(String file) {
        forceHolding(new Txn(), file);
    }

    static void forceHolding(Txn t, String file) {
        synchronized (t) {
            try (FileChannel ch = FileChannel.open(dir.resolve("txn-" + file + ".log"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                ch.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void audit(Txn t) {
        synchronized (t) {
            t.state++;
        }
    }

    static void run(String thread, Runnable r) throws InterruptedException {
        Thread t = new Thread(r, thread);
        t.start();
        t.join();
    }

    /** Locks a transaction it has just created, under the registry lock, then publishes it. */
    static void createAndPublish() {
        synchronized (registryLock) {
            Txn t = new Txn();
            synchronized (t) {
                t.begin();
            }
            published.add(t);
        }
    }

    /**
     * Creates a transaction, publishes it, lets "committer" lock it, and only then locks it under the
     * registry. Straight-line code between the creation and the lock (no try, no synchronized block),
     * so the agent sees a monitor this method created, and only the run-time check of who locked it
     * first says it was published.
     */
    static void createPublishThenLock() {
        Txn t = new Txn();
        published.add(t);
        runUnchecked("committer", InstanceScenarios::commitFirstPublished);
        synchronized (registryLock) {
            synchronized (t) {
                t.begin();
            }
        }
    }

    static void runUnchecked(String thread, Runnable r) {
        try {
            run(thread, r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void commitFirstPublished() {
        Txn t;
        synchronized (registryLock) {
            t = published.get(0);
        }
        synchronized (t) {
            synchronized (registryLock) {
                t.state = 2;
            }
        }
    }

    static void closeFirstPublished() {
        synchronized (registryLock) {
            Txn t = published.get(0);
            synchronized (t) {
                t.state = 3;
            }
        }
    }
}
