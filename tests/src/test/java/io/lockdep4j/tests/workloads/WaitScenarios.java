package io.lockdep4j.tests.workloads;

import java.util.ArrayDeque;
import java.util.Vector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Waits while holding locks (issues 14 and 21) as real programs do them, each hazard with its safe
 * twin: {@code java -cp test-classes io.lockdep4j.tests.workloads.WaitScenarios NAME}. Every run
 * ends ("scenario NAME done"): the halves of each hazard happen one after the other, ordered by
 * handshakes (latches, thread states), never by sleeps, so none of them hangs and none depends on
 * the machine's speed.
 */
public final class WaitScenarios {
    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        switch (name) {
            case "appender-holding": appender(true, true); break;
            case "appender-wait-after-release": appender(false, true); break;
            case "appender-dispatcher-without-logger": appender(true, false); break;
            case "commit-holding": commit(true); break;
            case "commit-wait-after-release": commit(false); break;
            case "collection-holding": collection(true); break;
            case "collection-notify-without-lock": collection(false); break;
            case "self-signal": selfSignal(); break;
            case "join-holding": join(true, false); break;
            case "join-after-release": join(false, false); break;
            case "join-holding-others-checked-first": join(true, true); break;
            case "await-termination-holding": awaitTermination(); break;
            default:
                System.err.println("unknown scenario '" + name + "'");
                System.exit(3);
        }
        System.out.println("scenario " + name + " done");
    }

    static void awaitState(Thread t, Thread.State state) {
        while (t.getState() != state && t.isAlive()) {
            Thread.onSpinWait();
        }
    }

    // ---- an asynchronous appender: callers append under their logger's monitor; the buffer is
    // ---- bounded and put() waits when it is full; the dispatcher logs through the same logger

    /** The application's logger: appending and its own status messages go through its monitor. */
    public static final class Logger {
        final BoundedBuffer buffer;
        int status;

        Logger(BoundedBuffer buffer) {
            this.buffer = buffer;
        }

        public synchronized void log(String message) throws InterruptedException {
            buffer.put(message); // waits on the buffer while this logger's monitor is held
        }

        public synchronized void status() {
            status++;
        }
    }

    public static final class BoundedBuffer {
        private final ArrayDeque<String> items = new ArrayDeque<>();
        private final int capacity;

        BoundedBuffer(int capacity) {
            this.capacity = capacity;
        }

        public synchronized void put(String s) throws InterruptedException {
            while (items.size() == capacity) {
                wait();
            }
            items.add(s);
            notifyAll();
        }

        public synchronized String take() throws InterruptedException {
            while (items.isEmpty()) {
                wait();
            }
            String s = items.poll();
            notifyAll();
            return s;
        }
    }

    /** The safe caller: formats under the logger, appends after releasing it. */
    static void logOutside(Logger logger, String message) throws InterruptedException {
        String line;
        synchronized (logger) {
            line = "[" + logger.status + "] " + message;
        }
        logger.buffer.put(line);
    }

    static final Object STATUS_LOCK = new Object();
    static int ownStatus;

    static void appender(boolean callerHoldsLogger, boolean dispatcherUsesLogger) throws Exception {
        BoundedBuffer buffer = new BoundedBuffer(1);
        Logger logger = new Logger(buffer);
        buffer.put("m0"); // full: the caller's append will wait
        Thread caller = new Thread(() -> {
            try {
                if (callerHoldsLogger) {
                    logger.log("m1");
                } else {
                    logOutside(logger, "m1");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "app-caller");
        Thread dispatcher = new Thread(() -> {
            try {
                awaitState(caller, Thread.State.WAITING); // the caller waits on the full buffer
                for (int i = 0; i < 2; i++) {
                    buffer.take(); // notifyAll: the first wakes the caller, the second comes after the status below
                    if (dispatcherUsesLogger) {
                        logger.status(); // the dispatcher logs through the caller's logger
                    } else {
                        synchronized (STATUS_LOCK) {
                            ownStatus++;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "appender-dispatcher");
        caller.start();
        dispatcher.start();
        caller.join();
        dispatcher.join();
    }

    // ---- an index writer holds its commit lock across wait() on the merge scheduler; the merge
    // ---- worker takes the commit lock before it notifies the scheduler

    public static final class IndexWriter {
        final Object commitLock = new Object();
        final MergeScheduler scheduler = new MergeScheduler();
        int commits;
    }

    public static final class MergeScheduler {
        boolean mergesDone;
        volatile boolean waiting;

        synchronized void awaitMerges() throws InterruptedException {
            while (!mergesDone) {
                waiting = true;
                wait();
            }
        }

        synchronized void mergeFinished() {
            mergesDone = true;
            notifyAll();
        }
    }

    static void commit(boolean holdCommitLock) throws Exception {
        IndexWriter writer = new IndexWriter();
        CountDownLatch merged = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            synchronized (writer.commitLock) { // publishes the merged segment
                writer.commits++;
            }
            merged.countDown();
            while (!writer.scheduler.waiting) { // the committer waits on the scheduler
                Thread.onSpinWait();
            }
            writer.scheduler.mergeFinished(); // its monitor is free only once the committer waits
        }, "merge-worker");
        worker.start();
        merged.await();
        if (holdCommitLock) {
            synchronized (writer.commitLock) {
                writer.scheduler.awaitMerges();
                writer.commits++;
            }
        } else {
            synchronized (writer.commitLock) {
                writer.commits++;
            }
            writer.scheduler.awaitMerges();
        }
        worker.join();
    }

    // ---- a wait on a JDK collection's monitor (a Vector: its synchronized methods lock it too)

    public static final class Registry {
        final Object registryLock = new Object();
        final Vector<String> pending = new Vector<>();
        volatile boolean waiting;
        int registered;

        void awaitPending() throws InterruptedException {
            synchronized (registryLock) {
                synchronized (pending) {
                    while (pending.isEmpty()) {
                        waiting = true;
                        pending.wait();
                    }
                }
            }
        }

        void register() {
            synchronized (registryLock) {
                registered++;
            }
        }

        void submit(String s) {
            synchronized (pending) {
                pending.add(s); // Vector.add: synchronized on the same monitor
                pending.notifyAll();
            }
        }
    }

    static void collection(boolean producerTakesRegistry) throws Exception {
        Registry registry = new Registry();
        CountDownLatch registered = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            if (producerTakesRegistry) {
                registry.register(); // the registry lock, on the producer's way to its notify
            }
            registered.countDown();
            while (!registry.waiting) { // the consumer waits on the collection
                Thread.onSpinWait();
            }
            registry.submit("a");
        }, "registry-producer");
        producer.start();
        registered.await();
        registry.awaitPending();
        producer.join();
    }

    // ---- a thread that waits while holding a lock, and later signals the same monitor itself

    static final Object SELF_LOCK = new Object();
    static final Object SELF_MONITOR = new Object();

    static void selfSignal() throws Exception {
        synchronized (SELF_LOCK) {
            synchronized (SELF_MONITOR) {
                SELF_MONITOR.wait(1); // nobody else will notify: it times out
            }
        }
        synchronized (SELF_LOCK) {
            synchronized (SELF_MONITOR) {
                SELF_MONITOR.notifyAll(); // the same thread, after taking SELF_LOCK: no evidence
            }
        }
    }

    // ---- a server's stop() holds its lifecycle lock while it joins the worker, which locks the
    // ---- lifecycle to check isRunning

    public static final class Server {
        private final Object lifecycle = new Object();
        private boolean running = true;
        volatile boolean serving; // set after the worker checked isRunning: WAITING alone may be the agent's or JFR's own wait
        private final CountDownLatch stopRequested = new CountDownLatch(1);
        final Thread worker = new Thread(this::work, "server-worker");

        boolean isRunning() {
            synchronized (lifecycle) {
                return running;
            }
        }

        void work() {
            if (!isRunning()) {
                return;
            }
            serving = true;
            try {
                stopRequested.await(); // serving, until stop() asks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stopHolding() throws InterruptedException {
            synchronized (lifecycle) {
                running = false;
                stopRequested.countDown();
                worker.join();
            }
        }

        void stopThenJoin() throws InterruptedException {
            synchronized (lifecycle) {
                running = false;
                stopRequested.countDown();
            }
            worker.join();
        }
    }

    /**
     * {@code othersCheckFirst}: main and a health-check thread take the lifecycle lock alone before
     * the worker does. The agent records a chain's first two threads only, so where the worker took
     * it is not recorded on the worker's own thread.
     */
    static void join(boolean holding, boolean othersCheckFirst) throws Exception {
        Server server = new Server();
        if (othersCheckFirst) {
            Thread health = new Thread(server::isRunning, "health-check");
            health.start();
            health.join();
            server.isRunning();
        }
        server.worker.start();
        while (!server.serving || server.worker.getState() != Thread.State.WAITING) { // it checked isRunning and serves
            Thread.onSpinWait();
        }
        if (holding) {
            server.stopHolding();
        } else {
            server.stopThenJoin();
        }
    }

    // ---- Commons Pool's EvictionTimer: cancel() is static synchronized and awaits the executor's
    // ---- termination for a bounded time; the executor's task synchronizes on the same class

    public static final class EvictionTimer {
        static ScheduledThreadPoolExecutor executor;
        static int runs;

        static synchronized void schedule(CountDownLatch ran) {
            executor = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "evictor"));
            executor.schedule(() -> {
                synchronized (EvictionTimer.class) {
                    runs++;
                }
                ran.countDown();
            }, 0, TimeUnit.MILLISECONDS);
        }

        static synchronized void cancel() throws InterruptedException {
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
            executor = null;
        }
    }

    static void awaitTermination() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        EvictionTimer.schedule(ran);
        ran.await(); // the task finished long before the cancel
        EvictionTimer.cancel();
    }
}
