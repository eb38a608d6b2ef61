package io.lockdep4j.benchmarks;

import io.lockdep4j.events.AgentStatisticsEvent;
import io.lockdep4j.events.ContextEvent;
import io.lockdep4j.events.DeferredRunEvent;
import io.lockdep4j.events.FileCloseEvent;
import io.lockdep4j.events.FileForceEvent;
import io.lockdep4j.events.FileOpenEvent;
import io.lockdep4j.events.LockChainEvent;
import io.lockdep4j.events.LockContendedEvent;
import io.lockdep4j.events.LockHeldEvent;
import io.lockdep4j.events.LockOrderEdgeEvent;
import io.lockdep4j.events.RefcountUnderflowEvent;
import io.lockdep4j.events.ReleaseEvent;
import io.lockdep4j.events.ResourceLeakEvent;
import io.lockdep4j.events.SignalEvent;
import io.lockdep4j.events.UseAfterReleaseEvent;
import io.lockdep4j.events.WaitWhileHoldingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Event;
import jdk.jfr.Recording;

/**
 * Writes a large synthetic lockdep4j recording for the analyzer benchmark (analyzer-bench.sh):
 * the event types of jfr-events, enabled as lockdep4j.jfc enables them (stack traces on all but
 * DeferredRun, ResourceLeak and AgentStatistics), committed from several threads the way a long
 * real run produces them.
 *
 * <pre>
 * java -cp benchmarks/target/classes io.lockdep4j.benchmarks.SyntheticRecording OUT.jfr --events 10000000
 * java -cp ... SyntheticRecording OUT.jfr --mb 1024 [--threads 4] [--lock-classes 3000] [--seed 1]
 * </pre>
 * Prints one line, {@code events=N bytes=B seconds=S}: N is the exact number of events committed.
 *
 * <p>Mix: mostly the high-volume kinds (LockContended, LockHeld, FileClose, FileForce, Release
 * SYNC/DEFERRED, DeferredRun, FileOpen, Context, WaitWhileHolding, Signal). The lock graph is
 * what a real agent emits once per new chain or edge: a LockChain per lock class and per (held,
 * acquired) pair, a LockOrderEdge per pair whose heldChainId/acquiredChainId name those chains,
 * over a few thousand lock classes forming a DAG, plus planted hazards so that every rule has
 * something to report:
 * <ul>
 *   <li>lock-order-cycle: a 2-cycle (Account/Ledger) and a 3-cycle on different threads, and a
 *       2-cycle guarded by a common gate instance (must stay quiet);
 *   <li>release-lock-closure: {@link Segment#release} takes Segment.lock, its callers hold
 *       Index.lock, and a flush path takes Segment.lock then Index.lock;
 *   <li>blocking-release, blocking-under-lock, fsync-in-notifier: forced closes and forces under
 *       Journal.lock / Bus.lock, which other threads take, some in a notifier context;
 *   <li>wait-while-holding: a wait holding State.lock(read) signalled by a thread holding it (write);
 *   <li>resource-leak, refcount-underflow, use-after-release: a few of each at the end.
 * </ul>
 * Frames: everything is committed from this class, whose package the analyzer keeps in stacks;
 * call depths vary so that there are a few distinct stacks per kind.
 */
public final class SyntheticRecording {
    static final String PKG = "com.acme.";
    static final String ACCOUNT = PKG + "bank.Account.lock";
    static final String LEDGER = PKG + "bank.Ledger.lock";
    static final String[] TRIANGLE = {PKG + "grid.Cell.lock", PKG + "grid.Row.lock", PKG + "grid.Column.lock"};
    static final String GATE = PKG + "pool.Pool.gate";
    static final String GATED_A = PKG + "pool.Slot.lock";
    static final String GATED_B = PKG + "pool.Lease.lock";
    static final String INDEX = PKG + "cache.Index.lock";
    static final String SEGMENT = PKG + "cache.Segment.lock";
    static final String JOURNAL = PKG + "store.Journal.lock";
    static final String BUS = PKG + "events.Bus.lock";
    static final String STATE = PKG + "recovery.State.lock";
    static final String SEGMENT_RELEASE = Segment.class.getName() + "#release";
    static final String[] RELEASE_METHODS = {PKG + "cache.BlockCache#evict", PKG + "store.Journal#roll",
        PKG + "net.Session#close", SEGMENT_RELEASE};
    static final String NOTIFIER = "notifier:" + PKG + "events.Listener#onCommit";
    static final String[] CONTEXTS = {null, null, null, NOTIFIER, "recovery:" + PKG + "recovery.Replayer#replay",
        "mustNotBlock:" + PKG + "net.EventLoop#run"};
    static final String[] KINDS = {"monitor", "ReentrantLock", "ReentrantReadWriteLock", "StampedLock"};
    static final int SIGNALLED_OBJECT = 0x5eed;

    private final int threads;
    private final String[] lockClasses;
    private final String[] lockKinds;
    private final List<List<Structure>> structure = new ArrayList<>();
    private final AtomicLong budget;
    private final long targetBytes;
    private volatile boolean sizeReached;
    private final AtomicLong ids = new AtomicLong(1);

    /** One lock-graph event (chain or edge) a given thread emits once. */
    record Structure(boolean edge, long chainId, long parentChainId, String lock, String kind, String mode, int depth,
                     String held, String heldKind, String heldMode, String otherHeld, int heldInstance,
                     int acquiredInstance, boolean viaSegmentRelease) {}

    SyntheticRecording(int threads, int lockClassCount, long events, long targetBytes, long seed) {
        this.threads = threads;
        this.budget = new AtomicLong(events);
        this.targetBytes = targetBytes;
        SplittableRandom r = new SplittableRandom(seed);
        lockClasses = new String[lockClassCount];
        lockKinds = new String[lockClassCount];
        for (int i = 0; i < lockClassCount; i++) {
            int kind = r.nextInt(KINDS.length);
            lockKinds[i] = KINDS[kind];
            lockClasses[i] = kind == 0 ? PKG + "svc" + (i % 40) + ".Entity" + i : PKG + "svc" + (i % 40) + ".Table" + i + ".lock";
        }
        for (int t = 0; t < threads; t++) {
            structure.add(new ArrayList<>());
        }
        // a DAG: class i only ever precedes classes j > i, so no cycle but the planted ones
        for (int i = 0; i < lockClassCount; i++) {
            long root = chain(i % threads, 0, lockClasses[i], lockKinds[i], "write", null, null, null, 0, false);
            for (int e = 0; e < 3 && i + 1 < lockClassCount; e++) {
                int j = i + 1 + r.nextInt(Math.min(200, lockClassCount - i - 1));
                String mode = "ReentrantReadWriteLock".equals(lockKinds[j]) && r.nextBoolean() ? "read" : "write";
                edge(r.nextInt(threads), root, lockClasses[i], lockKinds[i], "write", lockClasses[j], lockKinds[j], mode, "", false);
            }
        }
        // planted hazards, each side on its own thread
        int other = threads > 1 ? 1 : 0;
        edge(0, rootOf(0, ACCOUNT), ACCOUNT, "ReentrantLock", "write", LEDGER, "ReentrantLock", "write", "", false);
        edge(other, rootOf(other, LEDGER), LEDGER, "ReentrantLock", "write", ACCOUNT, "ReentrantLock", "write", "", false);
        for (int k = 0; k < 3; k++) {
            int t = k % threads;
            edge(t, rootOf(t, TRIANGLE[k]), TRIANGLE[k], "monitor", "write", TRIANGLE[(k + 1) % 3], "monitor", "write", "", false);
        }
        String gate = GATE + "(write)#" + 0x6a7e;
        edge(0, rootOf(0, GATED_A), GATED_A, "ReentrantLock", "write", GATED_B, "ReentrantLock", "write", gate, false);
        edge(other, rootOf(other, GATED_B), GATED_B, "ReentrantLock", "write", GATED_A, "ReentrantLock", "write", gate, false);
        // release-lock-closure: Segment.release takes Segment.lock; a flush takes Segment.lock then Index.lock
        chain(other, 0, SEGMENT, "ReentrantLock", "write", null, null, null, 0, true);
        edge(0, rootOf(0, SEGMENT), SEGMENT, "ReentrantLock", "write", INDEX, "ReentrantLock", "write", "", false);
        // locks that other threads take, for blocking-under-lock and wait-while-holding
        for (String lock : new String[] {JOURNAL, BUS}) {
            rootOf(other, lock);
        }
        chain(other, 0, STATE, "ReentrantReadWriteLock", "write", null, null, null, 0, false);
    }

    private long rootOf(int thread, String lock) {
        return chain(thread, 0, lock, "ReentrantLock", "write", null, null, null, 0, false);
    }

    private long chain(int thread, long parent, String lock, String kind, String mode, String held, String heldKind,
                       String heldMode, int depth, boolean viaSegmentRelease) {
        long id = nextChainId();
        structure.get(thread).add(new Structure(false, id, parent, lock, kind, mode, depth, held, heldKind, heldMode, null,
                0, 0, viaSegmentRelease));
        return id;
    }

    private void edge(int thread, long heldChain, String held, String heldKind, String heldMode, String acquired,
                      String acquiredKind, String acquiredMode, String otherHeld, boolean viaSegmentRelease) {
        long acquiredChain = chain(thread, heldChain, acquired, acquiredKind, acquiredMode, held, heldKind, heldMode, 1,
                viaSegmentRelease);
        // one instance per lock class (identity hashes stand in as the names' hashes)
        structure.get(thread).add(new Structure(true, acquiredChain, heldChain, acquired, acquiredKind, acquiredMode, 1, held,
                heldKind, heldMode, otherHeld, held.hashCode(), acquired.hashCode(), viaSegmentRelease));
    }

    /** The agent's chain ids are hashes of the held-lock sequence: spread over the long range, never 0. */
    private long nextChainId() {
        long x = ids.getAndIncrement() * 0x9E3779B97F4A7C15L;
        x ^= x >>> 31;
        return x == 0 ? 1 : x;
    }

    // ------------------------------------------------------------------ the recording

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SyntheticRecording OUT.jfr (--events N | --mb M) [--threads T] [--lock-classes K] [--seed S]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long events = Long.MAX_VALUE;
        long bytes = Long.MAX_VALUE;
        int threads = 4;
        int lockClasses = 3000;
        long seed = 1;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[i + 1]);
                case "--mb" -> bytes = Long.parseLong(args[i + 1]) << 20;
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--lock-classes" -> lockClasses = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> {
                    System.err.println("SyntheticRecording: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (events == Long.MAX_VALUE && bytes == Long.MAX_VALUE) {
            System.err.println("SyntheticRecording: give --events N or --mb M");
            System.exit(2);
        }
        long start = System.nanoTime();
        long committed = new SyntheticRecording(threads, lockClasses, events, bytes, seed).record(out);
        System.out.printf(Locale.ROOT, "events=%d bytes=%d seconds=%.1f%n", committed, Files.size(out),
                (System.nanoTime() - start) / 1e9);
    }

    long record(Path out) throws Exception {
        try (Recording recording = new Recording()) {
            for (Class<? extends Event> c : List.of(LockChainEvent.class, LockOrderEdgeEvent.class, LockContendedEvent.class,
                    LockHeldEvent.class, FileCloseEvent.class, FileForceEvent.class, ContextEvent.class, ReleaseEvent.class,
                    WaitWhileHoldingEvent.class, SignalEvent.class, FileOpenEvent.class, RefcountUnderflowEvent.class,
                    UseAfterReleaseEvent.class)) {
                recording.enable(c).withStackTrace();
            }
            for (Class<? extends Event> c : List.of(DeferredRunEvent.class, ResourceLeakEvent.class, AgentStatisticsEvent.class)) {
                recording.enable(c).withoutStackTrace();
            }
            recording.setToDisk(true);
            recording.start();
            Thread sizeWatch = null;
            if (targetBytes != Long.MAX_VALUE) {
                // JFR's size grows chunk by chunk (12 MB by default): good enough for a target in MB
                sizeWatch = new Thread(() -> {
                    while (!sizeReached) {
                        if (recording.getSize() >= targetBytes) {
                            sizeReached = true;
                        }
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "size-watch");
                sizeWatch.setDaemon(true);
                sizeWatch.start();
            }
            List<Worker> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(new Worker(t, structure.get(t)));
            }
            workers.forEach(Thread::start);
            for (Worker w : workers) {
                w.join();
            }
            sizeReached = true;
            if (sizeWatch != null) {
                sizeWatch.join();
            }
            long total = 0;
            for (Worker w : workers) {
                if (w.failure != null) {
                    throw new IllegalStateException("worker " + w.getName() + " failed", w.failure);
                }
                total += w.events;
            }
            total += finale(threads);
            recording.stop();
            recording.dump(out);
            return total;
        }
    }

    /** Rare facts, as the agent writes them at the end of a run; returns how many events. */
    private long finale(int threadCount) {
        long n = 0;
        for (int site = 1; site <= 3; site++) {
            ResourceLeakEvent e = new ResourceLeakEvent();
            e.openSiteId = site;
            e.openSite = PKG + "io.Spool.open:" + (40 + site);
            e.path = "/var/spool/acme/" + site + ".dat";
            e.resourceClass = "java.io.FileOutputStream";
            e.openThread = "worker-0";
            e.openFor = 3_000_000_000L;
            e.commit();
            n++;
        }
        AgentStatisticsEvent s = new AgentStatisticsEvent();
        s.version = "synthetic";
        s.options = "";
        s.lockClasses = lockClasses.length;
        s.chains = structure.stream().mapToLong(l -> l.stream().filter(x -> !x.edge()).count()).sum();
        s.edges = structure.stream().mapToLong(l -> l.stream().filter(Structure::edge).count()).sum();
        s.instrumentedClasses = 4200 + threadCount;
        s.commit();
        return n + 1;
    }

    /**
     * Commits the events of one application thread. No event is begun: durations are 0, so that
     * findings about slow closes come from the fields (forced, blockingNanos), never from how
     * loaded the generating machine was, and every run reports the same findings.
     */
    final class Worker extends Thread {
        private final int index;
        private final List<Structure> myStructure;
        private final SplittableRandom random;
        long events;
        private long myBudget;
        private int nextStructure;
        private long releaseSeq;
        Throwable failure;

        Worker(int index, List<Structure> myStructure) {
            super("worker-" + index);
            this.index = index;
            this.myStructure = myStructure;
            this.random = new SplittableRandom(31L * index + 7);
        }

        @Override
        public void run() {
            try {
                once(); // early: the caps on kept waits and signals (4096 groups) must not hide them
                while (refill()) {
                    while (myBudget > 0) {
                        long before = events;
                        step();
                        myBudget -= events - before;
                    }
                }
                while (nextStructure < myStructure.size()) { // budget ran out before the graph was written
                    emitStructure(myStructure.get(nextStructure++));
                }
                once();
            } catch (Throwable t) {
                failure = t;
            }
        }

        private boolean refill() {
            if (sizeReached) {
                return false;
            }
            long want = 4096;
            while (true) {
                long left = budget.get();
                if (left <= 0) {
                    return false;
                }
                long take = Math.min(want, left);
                if (budget.compareAndSet(left, left - take)) {
                    myBudget = take;
                    return true;
                }
            }
        }

        /** One application operation: 1 to 4 events. */
        private void step() {
            int op = random.nextInt(100);
            // the lock graph is mostly learned early in a run: spread it over the first part
            if (nextStructure < myStructure.size() && random.nextInt(8) == 0) {
                emitStructure(myStructure.get(nextStructure++));
                return;
            }
            int depth = random.nextInt(3);
            if (op < 24) {
                deep(depth, Kind.CONTENDED);
            } else if (op < 32) {
                deep(depth, Kind.HELD);
            } else if (op < 46) {
                deep(depth, Kind.SYNC_RELEASE);
            } else if (op < 54) {
                deep(depth, Kind.DEFERRED_RELEASE);
            } else if (op < 62) {
                deep(depth, Kind.CLOSE);
            } else if (op < 68) {
                deep(depth, Kind.FORCE);
            } else if (op < 71) {
                deep(depth, Kind.NOTIFIER_FORCE);
            } else if (op < 73) {
                deep(depth, Kind.JOURNAL_ROLL);
            } else if (op < 79) {
                deep(depth, Kind.OPEN);
            } else if (op < 87) {
                deep(depth, Kind.CONTEXT);
            } else if (op < 94) {
                deep(depth, Kind.WAIT);
            } else if (op < 97) {
                deep(depth, Kind.SIGNAL);
            } else {
                deep(depth, Kind.CACHE_RELEASE);
            }
        }

            /** Calls {@code kind} through {@code depth} extra frames: a few distinct stacks per kind. */
        private void deep(int depth, Kind kind) {
            if (depth > 0) {
                deep(depth - 1, kind);
                return;
            }
            switch (kind) {
                case CONTENDED -> contended();
                case HELD -> held();
                case SYNC_RELEASE -> syncRelease(RELEASE_METHODS[random.nextInt(2)], null, null, false);
                case DEFERRED_RELEASE -> deferredRelease();
                case CLOSE -> close(0, false, false, "", null);
                case FORCE -> force(0, false, "", null);
                case NOTIFIER_FORCE -> force(0, false, BUS + "(write)", NOTIFIER);
                case JOURNAL_ROLL -> syncRelease(PKG + "store.Journal#roll", JOURNAL + "(write)", null, true);
                case OPEN -> open();
                case CONTEXT -> context();
                case WAIT -> waitWhileHolding(random.nextInt(), STATE + "(read)");
                case SIGNAL -> signal(random.nextInt(), "");
                case CACHE_RELEASE -> new Segment(this).release();
            }
        }

        private String lock() {
            return lockClasses[random.nextInt(lockClasses.length)];
        }

        private String randomHeld() {
            int n = random.nextInt(4);
            if (n >= 2) {
                return "";
            }
            return n == 0 ? lock() + "(write)" : lock() + "(write);" + lock() + "(read)";
        }

        private void contended() {
            LockContendedEvent e = new LockContendedEvent();
            int i = random.nextInt(lockClasses.length);
            e.lock = lockClasses[i];
            e.kind = lockKinds[i];
            e.mode = "write";
            e.heldLocks = randomHeld();
            e.commit();
            events++;
        }

        private void held() {
            LockHeldEvent e = new LockHeldEvent();
            int i = random.nextInt(lockClasses.length);
            e.lock = lockClasses[i];
            e.kind = lockKinds[i];
            e.mode = random.nextInt(4) == 0 ? "read" : "write";
            e.heldTime = 20_000_000L + random.nextInt(50_000_000);
            e.commit();
            events++;
        }

        private long newReleaseId() {
            // as ReleaseMethodHooks.Stack.currentId: thread id, a sequence number, bit 62 set
            return ((getId() << 24) ^ (++releaseSeq & 0xFFFFFFL)) | (1L << 62);
        }

        void syncRelease(String method, String held, String contexts, boolean forced) {
            long id = newReleaseId();
            ReleaseEvent r = new ReleaseEvent();
            int closes = 1 + random.nextInt(2);
            int forces = 0;
            for (int c = 0; c < closes; c++) {
                if (forced) {
                    force(id, true, held == null ? "" : held, contexts);
                    forces++;
                }
                close(id, forced, false, held == null ? "" : held, contexts);
            }
            r.releaseId = id;
            r.method = method;
            r.mode = "SYNC";
            r.closes = closes;
            r.forces = forces;
            r.handoffs = 0;
            r.heldLocks = held;
            r.contexts = contexts;
            r.commit();
            events++;
        }

        private void deferredRelease() {
            long id = newReleaseId();
            String method = RELEASE_METHODS[2];
            ReleaseEvent r = new ReleaseEvent();
            r.releaseId = id;
            r.method = method;
            r.mode = "DEFERRED";
            r.handoffs = 1;
            r.heldLocks = random.nextBoolean() ? "" : PKG + "net.Session.lock(write)";
            r.commit();
            events++;
            // the task, as the release executor runs it (same thread here: only ids and flags matter)
            close(id, random.nextInt(4) == 0, true, "", null);
            DeferredRunEvent d = new DeferredRunEvent();
            d.releaseId = id;
            d.releaseMethod = method;
            d.taskClass = PKG + "net.Session$CloseTask";
            d.queueLag = 10_000L + random.nextInt(5_000_000);
            d.submitter = getName();
            d.closes = 1;
            d.commit();
            events++;
        }

        private void close(long releaseId, boolean forced, boolean deferred, String held, String contexts) {
            FileCloseEvent e = new FileCloseEvent();
            int file = random.nextInt(1000);
            e.path = "/data/acme/part-" + file + ".log";
            e.resourceClass = file % 3 == 0 ? "java.io.FileOutputStream" : "sun.nio.ch.FileChannelImpl";
            e.heldLocks = held;
            e.heldLockCount = held == null || held.isEmpty() ? 0 : held.split(";").length;
            e.contexts = contexts;
            e.forced = forced;
            e.blockingNanos = forced ? 1_000_000L + random.nextInt(30_000_000) : 0;
            e.releaseId = releaseId;
            e.deferred = deferred;
            e.openSiteId = 1 + random.nextInt(200);
            e.commit();
            events++;
        }

        private void force(long releaseId, boolean insideClose, String held, String contexts) {
            FileForceEvent e = new FileForceEvent();
            e.path = "/data/acme/part-" + random.nextInt(1000) + ".log";
            e.resourceClass = "sun.nio.ch.FileChannelImpl";
            e.metaData = random.nextBoolean();
            e.heldLocks = held;
            e.heldLockCount = held == null || held.isEmpty() ? 0 : held.split(";").length;
            e.contexts = contexts;
            e.insideClose = insideClose;
            e.releaseId = releaseId;
            e.commit();
            events++;
        }

        private void open() {
            FileOpenEvent e = new FileOpenEvent();
            int site = 1 + random.nextInt(200);
            e.openSiteId = site;
            e.openSite = PKG + "io.Spool.open:" + (40 + site % 7);
            e.path = "/data/acme/part-" + random.nextInt(1000) + ".log";
            e.resourceClass = "java.io.FileOutputStream";
            e.commit();
            events++;
        }

        private void context() {
            ContextEvent e = new ContextEvent();
            String ctx = CONTEXTS[3 + random.nextInt(3)];
            int colon = ctx.indexOf(':');
            e.name = ctx.substring(0, colon);
            e.method = ctx.substring(colon + 1);
            e.depth = 1;
            e.heldLocks = randomHeld();
            e.operations = 1 + random.nextInt(3);
            e.commit();
            events++;
        }

        private void waitWhileHolding(int objectId, String held) {
            WaitWhileHoldingEvent e = new WaitWhileHoldingEvent();
            e.waitKind = "java.util.concurrent.CompletableFuture#get";
            e.objectClass = "java.util.concurrent.CompletableFuture";
            e.objectId = objectId;
            e.heldLocks = held;
            e.heldLockCount = 1;
            e.timed = random.nextBoolean();
            e.commit();
            events++;
        }

        private void signal(int objectId, String held) {
            SignalEvent e = new SignalEvent();
            e.signalKind = "java.util.concurrent.CompletableFuture#complete";
            e.objectClass = "java.util.concurrent.CompletableFuture";
            e.objectId = objectId;
            e.heldLocks = held;
            e.heldLockCount = held.isEmpty() ? 0 : 1;
            e.commit();
            events++;
        }

        void emitStructure(Structure s) {
            if (s.viaSegmentRelease()) {
                new Segment(this).release(s);
            } else {
                commitStructure(s);
            }
        }

        void commitStructure(Structure s) {
            if (!s.edge()) {
                LockChainEvent e = new LockChainEvent();
                e.chainId = s.chainId();
                e.parentChainId = s.parentChainId();
                e.lock = s.lock();
                e.kind = s.kind();
                e.mode = s.mode();
                e.depth = s.depth();
                e.heldLocks = s.held() == null ? "" : s.held() + "(" + s.heldMode() + ")";
                e.commit();
            } else {
                LockOrderEdgeEvent e = new LockOrderEdgeEvent();
                e.heldLock = s.held();
                e.heldMode = s.heldMode();
                e.heldKind = s.heldKind();
                e.acquiredLock = s.lock();
                e.acquiredMode = s.mode();
                e.acquiredKind = s.kind();
                e.heldChainId = s.parentChainId();
                e.acquiredChainId = s.chainId();
                e.otherHeld = s.otherHeld();
                e.heldInstance = s.heldInstance();
                e.acquiredInstance = s.acquiredInstance();
                e.commit();
            }
            events++;
        }

        /** The hazards that happen once per run. */
        private void once() {
            if (index == 0) {
                waitWhileHolding(SIGNALLED_OBJECT, STATE + "(read)");
                RefcountUnderflowEvent u = new RefcountUnderflowEvent();
                u.objectClass = PKG + "cache.Block";
                u.objectId = 77;
                u.method = PKG + "cache.Block#unpin";
                u.count = -1;
                u.commit();
                events += 1;
            }
            if (index == (threads > 1 ? 1 : 0)) {
                signal(SIGNALLED_OBJECT, STATE + "(write)");
                UseAfterReleaseEvent e = new UseAfterReleaseEvent();
                e.objectClass = PKG + "net.Session";
                e.objectId = 99;
                e.method = PKG + "net.Session#send";
                e.shutdownMethod = PKG + "net.Session#close";
                e.shutdownThread = "worker-0";
                e.commit();
                events++;
            }
        }
    }

    enum Kind { CONTENDED, HELD, SYNC_RELEASE, DEFERRED_RELEASE, CLOSE, FORCE, NOTIFIER_FORCE, JOURNAL_ROLL, OPEN, CONTEXT, WAIT,
        SIGNAL, CACHE_RELEASE }

    /**
     * A release method whose frame appears in stacks: its callers hold Index.lock (Release
     * events) and it takes Segment.lock (the LockChain committed from inside it).
     */
    static final class Segment {
        private final Worker worker;

        Segment(Worker worker) {
            this.worker = worker;
        }

        void release() {
            worker.syncRelease(SEGMENT_RELEASE, INDEX + "(write)", null, false);
        }

        /** The release path taking its own lock: a LockChain whose stack passes through release. */
        void release(Structure lockToTake) {
            worker.commitStructure(lockToTake);
        }
    }
}
