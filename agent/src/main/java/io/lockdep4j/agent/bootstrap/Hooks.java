package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.LockContendedEvent;
import io.lockdep4j.events.LockHeldEvent;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Entry points for advice and injected bytecode. Every method here catches everything: the host
 * must never see an exception from the agent, except the documented {@link LockOrderViolationException}
 * of {@code onCycle=throw}, which a blocking acquisition throws before it takes its lock (so the
 * enter advice of blocking acquisitions does not suppress exceptions: these hooks contain their own). A per-thread busy flag makes the hooks ignore the
 * locks that the agent's own work (JFR, class loading, stack walking) takes, which would
 * otherwise re-enter them.
 *
 * <p>The known path of an acquisition: one ThreadRecords read, a scan of the held stack for
 * re-entrancy, a class-id lookup, one chain-table probe, array stores. No allocation, no event.
 *
 * <p>Why the lock hooks keep their busy-flag prologue hand-written instead of going through
 * {@link HookGuard#enter} like every other hook: the hooks are inlined into each instrumented
 * method, several per method, and C2 stops inlining once a method's inlined bytecode reaches its
 * budget. The guard's extra call levels (and its exception handler) cost that budget: with them,
 * the known-edge {@code synchronized} nested-2 benchmark measured about +10 ns per op (CPU time,
 * three interleaved runs each), so here the prologue stays as it was. Keep it the same shape as
 * HookGuard.enter/exit.
 *
 * <p>The release-path hooks live in one class per concern: FileReleaseHooks, OpenHandleHooks,
 * ContextHooks, ReleaseMethodHooks, HandoffHooks, WaitHooks, LifecycleHooks.
 */
public final class Hooks {
    private Hooks() {}

    public static final byte READ = HeldLocks.READ;
    public static final byte WRITE = HeldLocks.WRITE;

    /** False until the agent has finished setting up; hooks do nothing before that. */
    public static volatile boolean active;

    private static final LockContendedEvent CONTENDED_PROBE = new LockContendedEvent();

    // ---- monitors: injected before MONITORENTER / MONITOREXIT, and around synchronized methods

    public static void monitorEnter(Object monitor) {
        if (!active || monitor == null) {
            return;
        }
        HeldLocks h = ThreadRecords.current();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            if (reentered(h, monitor, WRITE) == 0) {
                int hash = System.identityHashCode(monitor);
                acquireFirst(h, monitor, hash, LockClasses.ofMonitor(monitor, hash), WRITE, false, false);
            }
        } catch (LockOrderViolationException v) {
            throw v; // onCycle=throw, before anything was taken: the one exception the host may see
        } catch (Throwable t) {
            AgentCounters.failure("monitorEnter", t);
        } finally {
            h.busy = false;
        }
    }

    /**
     * A monitor read from a JDK-typed field: named by that field ({@code fieldClassId} &gt; 0) unless
     * its allocation already named it; any other block in an application class passes
     * {@code -site} (its class, LockClasses.internSite), which names a JDK-typed monitor per
     * locking class. A monitor of an application type keeps its class's name.
     */
    public static void monitorEnter(Object monitor, int fieldClassId) {
        if (!active || monitor == null) {
            return;
        }
        HeldLocks h = ThreadRecords.current();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            if (reentered(h, monitor, WRITE) == 0) {
                int hash = System.identityHashCode(monitor);
                acquireFirst(h, monitor, hash, LockClasses.ofMonitorInField(monitor, hash, fieldClassId), WRITE, false, false);
            }
        } catch (LockOrderViolationException v) {
            throw v; // onCycle=throw, before anything was taken: the one exception the host may see
        } catch (Throwable t) {
            AgentCounters.failure("monitorEnter", t);
        } finally {
            h.busy = false;
        }
    }

    /**
     * As monitorEnter, for a monitor that the locking method itself created and kept in a local
     * ({@code NEW; ...; ASTORE n; ...; ALOAD n; MONITORENTER}). If no other thread has locked it
     * yet, this acquisition could not wait: see SharedInstances. {@code site}: as monitorEnter's
     * {@code -site}, or 0.
     */
    public static void monitorEnterCreatedHere(Object monitor, int site) {
        if (!active || monitor == null) {
            return;
        }
        HeldLocks h = ThreadRecords.current();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            if (reentered(h, monitor, WRITE) == 0) {
                int hash = System.identityHashCode(monitor);
                int classId = site == 0 ? LockClasses.ofMonitor(monitor, hash) : LockClasses.ofMonitorInField(monitor, hash, site);
                acquireFirst(h, monitor, hash, classId, WRITE, false, true);
            }
        } catch (LockOrderViolationException v) {
            throw v; // onCycle=throw, before anything was taken: the one exception the host may see
        } catch (Throwable t) {
            AgentCounters.failure("monitorEnter", t);
        } finally {
            h.busy = false;
        }
    }

    public static void monitorExit(Object monitor) {
        if (!active || monitor == null) {
            return;
        }
        HeldLocks h = ThreadRecords.current();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            release(h, monitor, WRITE);
        } catch (Throwable t) {
            AgentCounters.failure("monitorExit", t);
        } finally {
            h.busy = false;
        }
    }

    // ---- java.util.concurrent locks: blocking acquisitions are recorded before they wait,
    // ---- so a real deadlock still leaves its edge in the recording.

    /** Before ReentrantLock.lock/lockInterruptibly. Returns a contention timer or null. */
    public static Object beforeLock(ReentrantLock lock) {
        return beforeBlocking(lock, lock, LockClasses.KIND_REENTRANT_LOCK, WRITE,
                lock.isLocked() && !lock.isHeldByCurrentThread());
    }

    /**
     * Before ReadLock/WriteLock.lock/lockInterruptibly. The identity is the Sync both halves share,
     * so a read lock taken under the write lock of the same rw-lock is a re-entry, not an order.
     * Contention is approximated by "threads are queued" (the halves expose no cheaper state).
     */
    public static Object beforeLock(Object half, Object sync, boolean write) {
        boolean queued = sync instanceof java.util.concurrent.locks.AbstractQueuedSynchronizer
                && ((java.util.concurrent.locks.AbstractQueuedSynchronizer) sync).hasQueuedThreads();
        return beforeBlocking(half, sync, LockClasses.KIND_RW_LOCK, write ? WRITE : READ, queued);
    }

    /** Before StampedLock.readLock/writeLock(Interruptibly). */
    public static Object beforeLock(StampedLock lock, boolean write) {
        boolean busy = write ? (lock.isWriteLocked() || lock.isReadLocked()) : lock.isWriteLocked();
        return beforeBlocking(lock, lock, LockClasses.KIND_STAMPED_LOCK, write ? WRITE : READ, busy);
    }

    private static Object beforeBlocking(Object lock, Object identity, byte kind, byte mode, boolean contended) {
        if (!active) {
            return null;
        }
        HeldLocks h = ThreadRecords.current();
        if (h.busy) {
            return null;
        }
        h.busy = true;
        try {
            int classId = reentered(h, identity, mode);
            if (classId == 0) {
                int hash = System.identityHashCode(identity);
                classId = LockClasses.ofLock(h, lock, identity, hash, kind);
                acquireFirst(h, identity, hash, classId, mode, false, false);
            }
            if (contended && AgentConfig.contendedThresholdNanos >= 0 && CONTENDED_PROBE.isEnabled()) {
                LockContendedEvent e = new LockContendedEvent();
                e.begin();
                e.lock = LockClasses.name(classId);
                e.kind = LockClasses.kindName(classId);
                e.mode = HeldLockText.modeName(mode);
                e.heldLocks = HeldLockText.write(h, h.depth - 1, null, false);
                return new ContentionTimer(e, System.nanoTime());
            }
        } catch (LockOrderViolationException v) {
            throw v; // onCycle=throw, before anything was taken: the one exception the host may see
        } catch (Throwable t) {
            AgentCounters.failure("beforeLock", t);
        } finally {
            h.busy = false;
        }
        return null;
    }

    /** After a blocking acquisition: undo the record if it threw, finish the contention timer. */
    public static void afterLock(Object identity, boolean write, Object timer, Throwable thrown) {
        if (!active || (timer == null && thrown == null)) {
            return; // the common case: acquired, not timed; no thread-record read
        }
        HeldLocks h = ThreadRecords.current();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            if (thrown != null) {
                release(h, identity, write ? WRITE : READ);
            } else if (timer instanceof ContentionTimer) {
                ((ContentionTimer) timer).finish();
            }
        } catch (Throwable t) {
            AgentCounters.failure("afterLock", t);
        } finally {
            h.busy = false;
        }
    }

    /** After tryLock/tryReadLock/tryWriteLock: a successful try is held but cannot wait, so it forms no cycle. */
    public static void afterTryLock(Object lock, Object identity, byte kind, boolean write, boolean acquired) {
        if (!active || !acquired) {
            return;
        }
        HeldLocks h = ThreadRecords.current();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            byte mode = write ? WRITE : READ;
            if (reentered(h, identity, mode) == 0) {
                int hash = System.identityHashCode(identity);
                acquireFirst(h, identity, hash, LockClasses.ofLock(h, lock, identity, hash, kind), mode, true, false);
            }
        } catch (Throwable t) {
            AgentCounters.failure("afterTryLock", t);
        } finally {
            h.busy = false;
        }
    }

    public static void afterTryLock(ReentrantLock lock, boolean acquired) {
        afterTryLock(lock, lock, LockClasses.KIND_REENTRANT_LOCK, true, acquired);
    }

    public static void afterTryLock(Object half, Object sync, boolean write, boolean acquired) {
        afterTryLock(half, sync, LockClasses.KIND_RW_LOCK, write, acquired);
    }

    public static void afterTryLock(StampedLock lock, boolean write, long stamp) {
        afterTryLock(lock, lock, LockClasses.KIND_STAMPED_LOCK, write, stamp != 0L);
    }

    /** Before unlock (any lock kind): ends the hold of the innermost matching entry. */
    public static void unlock(Object identity, boolean write) {
        if (!active) {
            return;
        }
        HeldLocks h = ThreadRecords.current();
        if (h.busy) {
            return;
        }
        h.busy = true;
        try {
            release(h, identity, write ? WRITE : READ);
        } catch (Throwable t) {
            AgentCounters.failure("unlock", t);
        } finally {
            h.busy = false;
        }
    }

    // ---- naming: injected after `new X()` at application allocation sites

    /** Names a lock instance's class (the field it is stored in, or its allocation site). */
    public static void name(Object lock, int classId) {
        if (lock == null || classId <= 0) {
            return;
        }
        try {
            if (lock instanceof ReentrantReadWriteLock) {
                ReentrantReadWriteLock rw = (ReentrantReadWriteLock) lock;
                LockRegistry.put(rw.readLock(), classId);
                LockRegistry.put(rw.writeLock(), classId);
            } else {
                LockRegistry.put(lock, classId);
                LockClasses.noteNamed(lock.getClass());
            }
        } catch (Throwable t) {
            AgentCounters.failure("name", t);
        }
    }

    /**
     * Before {@code PUTFIELD} of a lock just constructed: names it by the field, by the runtime
     * class of {@code holder} when that is a subclass of the field's class, or, when {@code holder}
     * is a small holder (a lock wrapper), by where the holder's creator put it (see LockRoles).
     */
    public static void nameInField(Object holder, Object lock, int fieldId) {
        if (lock == null || holder == null || fieldId <= 0) {
            return;
        }
        HeldLocks h = HookGuard.enter();
        if (h == null) {
            name(lock, fieldId); // before start-up or inside the agent's own work: the field alone
            return;
        }
        try {
            int id = 0;
            if (LockRoles.smallHolder(holder.getClass())) {
                id = LockRoles.fromCreator(holder.getClass(), LockClasses.kind(fieldId));
            }
            name(lock, id > 0 ? id : LockRoles.ofField(holder, fieldId));
        } catch (Throwable t) {
            AgentCounters.failure("nameInField", t);
            name(lock, fieldId);
        } finally {
            HookGuard.exit(h);
        }
    }

    /**
     * After {@code new} of a lock that is stored into an array or returned ({@code siteId}: its
     * allocation site, the fallback; 0 for a monitor, which then keeps its class's name): named after the field that keeps the array or map, or where
     * the caller puts the returned lock (see LockRoles).
     */
    public static void nameFromSite(Object lock, int siteId, int kind) {
        if (lock == null) {
            return;
        }
        HeldLocks h = HookGuard.enter();
        if (h == null) {
            name(lock, siteId);
            return;
        }
        try {
            int id = LockRoles.fromSite((byte) kind, lock.getClass().getName());
            name(lock, id > 0 ? id : siteId);
        } catch (Throwable t) {
            AgentCounters.failure("nameFromSite", t);
            name(lock, siteId);
        } finally {
            HookGuard.exit(h);
        }
    }

    /**
     * At the end of a ReentrantLock / ReentrantReadWriteLock constructor: an instance of a subclass
     * (Commons Pool's InterruptibleReentrantLock, a lock implementation) is named where its creator
     * put it, whatever method later locks it. Exact JDK instances return at the class check.
     */
    public static void constructed(Object lock, Class<?> base, byte kind) {
        if (lock == null || lock.getClass() == base) {
            return;
        }
        HeldLocks h = HookGuard.enter();
        if (h == null) {
            return;
        }
        try {
            Object key = lock instanceof ReentrantReadWriteLock ? ((ReentrantReadWriteLock) lock).writeLock() : lock;
            if (key != null && LockRegistry.get(key) < 0) {
                int id = LockRoles.fromCreator(lock.getClass(), kind);
                if (id > 0) {
                    name(lock, id);
                }
            }
        } catch (Throwable t) {
            AgentCounters.failure("constructed", t);
        } finally {
            HookGuard.exit(h);
        }
    }

    /** A recording started: report every chain and edge again (see Recorder.reset). */
    public static void forgetKnownChains() {
        try {
            Recorder.reset();
        } catch (Throwable t) {
            AgentCounters.failure("reset", t);
        }
    }

    /** Used by the agent at transform time: the class id of a lock named by field or site. */
    public static int internClass(String name, byte kind) {
        return LockClasses.intern(name, kind);
    }

    // ---- the held-lock stack

    static void acquire(HeldLocks h, Object identity, int classId, byte mode, boolean trylock) {
        if (reentered(h, identity, mode) == 0) {
            acquireFirst(h, identity, System.identityHashCode(identity), classId, mode, trylock, false);
        }
    }

    /**
     * Re-entry of a lock this thread already holds (monitor, ReentrantLock, read after write on
     * one rw-lock): no new order; pushed with the held entry's class. Returns that class, or 0 when
     * this thread does not hold the lock. Asked before the lock is hashed or named: a monitor this
     * thread holds is stack-locked, and System.identityHashCode of a locked monitor leaves C2's
     * intrinsic for a native call.
     */
    static int reentered(HeldLocks h, Object identity, byte mode) {
        int held = h.indexOf(identity);
        if (held < 0) {
            return 0;
        }
        if (FaultInjection.EVERY_NTH > 0) { // tests only; folded away when off (see FaultInjection)
            FaultInjection.maybeFail();
        }
        int d = h.depth;
        int classId = h.classIds[held];
        h.push(identity, classId, mode, HeldLocks.FLAG_REENTRANT, d == 0 ? HeldLocks.SEED : h.chains[d - 1]);
        return classId;
    }

    /**
     * A lock this thread does not hold (see {@link #reentered}). The known path, kept small enough
     * for C2 to inline into each hook: one slot of SharedInstances, one chain-table probe, the push;
     * anything else is {@link #acquireSlow}. {@code hash}: identity's identity hash, computed once
     * per acquisition (see LockRegistry.get(Object, int)). {@code createdHere}: the locking method
     * created the instance (see monitorEnterCreatedHere).
     */
    static void acquireFirst(HeldLocks h, Object identity, int hash, int classId, byte mode, boolean trylock,
                             boolean createdHere) {
        if (FaultInjection.EVERY_NTH > 0) { // tests only; folded away when off (see FaultInjection)
            FaultInjection.maybeFail();
        }
        if (classId == 0) {
            return; // class table full: not tracked
        }
        byte lockedBefore = SharedInstances.acquiring(hash, h.threadId);
        long key = HeldLocks.mix(h.topChain(), classId, mode, trylock);
        long owner = Recorder.chains.get(key);
        if ((owner == Recorder.MULTI || owner == h.threadId) && !createdHere
                && lockedBefore != SharedInstances.SHARED_AFTER_CLAIM) {
            h.push(identity, classId, mode, trylock ? HeldLocks.FLAG_TRYLOCK : 0, key);
            return;
        }
        acquireSlow(h, identity, classId, mode, trylock, createdHere, lockedBefore, key, owner);
    }

    private static void acquireSlow(HeldLocks h, Object identity, int classId, byte mode, boolean trylock,
                                    boolean createdHere, byte lockedBefore, long key, long owner) {
        boolean unpublished = createdHere && lockedBefore < SharedInstances.LOCKED_BY_ANOTHER;
        if (lockedBefore == SharedInstances.SHARED_AFTER_CLAIM) {
            InstanceSharing.reportShared(identity, classId);
        }
        byte flag = trylock ? HeldLocks.FLAG_TRYLOCK : 0;
        if (owner != Recorder.MULTI && owner != h.threadId) {
            if (h.pruneStale()) {
                key = HeldLocks.mix(h.topChain(), classId, mode, trylock);
            }
            flag |= unknownChain(h, identity, classId, mode, trylock, key, unpublished);
        }
        h.push(identity, classId, mode, flag, key);
    }

    /**
     * A chain not known on this thread, or known with unpublished-instance evidence only (see
     * Recorder.UNPUBLISHED_ONLY). Returns FLAG_OWN_STACK when this acquisition emitted its chain's event.
     */
    private static byte unknownChain(HeldLocks h, Object identity, int classId, byte mode, boolean trylock, long key,
                                     boolean unpublished) {
        long raw = Recorder.chains.get(key);
        long owner = Recorder.owner(raw);
        if (owner == Recorder.MULTI || owner == h.threadId) {
            if (!unpublished && Recorder.unpublishedOnly(raw)) {
                Recorder.chainTakenOnLockedInstance(h, identity, classId, mode, trylock, key);
            }
            return 0;
        }
        if (Recorder.chains.full && owner == 0) {
            AgentCounters.droppedChains++;
            return 0;
        }
        return Recorder.newChain(h, identity, classId, mode, trylock, key, unpublished) ? HeldLocks.FLAG_OWN_STACK : 0;
    }

    static void release(HeldLocks h, Object identity, byte mode) {
        for (int i = h.depth - 1; i >= 0; i--) {
            if (h.identities[i] == identity && h.modes[i] == mode) {
                h.noteReleased(h.classIds[i], mode); // for SignalPaths: what a later signal took before it
                if (AgentConfig.holdThresholdNanos > 0) {
                    reportLongHold(h, i);
                }
                if (i == h.depth - 1) {
                    h.identities[i] = null;
                    h.depth = i;
                    if (LockClasses.kind(h.classIds[i]) == LockClasses.KIND_STAMPED_LOCK) {
                        h.stampedCount--;
                    }
                } else {
                    h.remove(i);
                }
                return;
            }
        }
        AgentCounters.unmatchedReleases++;
    }

    private static final LockHeldEvent HELD_PROBE = new LockHeldEvent();

    private static void reportLongHold(HeldLocks h, int i) {
        if ((h.flags[i] & HeldLocks.FLAG_REENTRANT) != 0 || h.since[i] == 0) {
            return;
        }
        long held = System.nanoTime() - h.since[i];
        if (held >= AgentConfig.holdThresholdNanos && HELD_PROBE.isEnabled()) {
            LockHeldEvent e = new LockHeldEvent();
            e.lock = LockClasses.name(h.classIds[i]);
            e.kind = LockClasses.kindName(h.classIds[i]);
            e.mode = HeldLockText.modeName(h.modes[i]);
            e.heldTime = held;
            e.commit();
        }
    }

    /** Times one contended acquisition; allocated only when the lock looked taken. */
    private static final class ContentionTimer {
        final LockContendedEvent event;
        final long start;

        ContentionTimer(LockContendedEvent event, long start) {
            this.event = event;
            this.start = start;
        }

        void finish() {
            if (System.nanoTime() - start >= AgentConfig.contendedThresholdNanos) {
                event.end();
                event.commit();
            }
        }
    }

    /**
     * The agent's own work on an application thread begins (Byte Buddy transforming a class that
     * thread is loading): the hooks ignore the locks and files it uses until {@link #agentWorkEnd}.
     */
    public static void agentWorkBegin() {
        try {
            HeldLocks h = ThreadRecords.current();
            if (h.agentDepth++ == 0) {
                h.busyBeforeAgent = h.busy;
                h.busy = true;
            }
        } catch (Throwable t) {
            AgentCounters.failure("agentWorkBegin", t);
        }
    }

    public static void agentWorkEnd() {
        try {
            HeldLocks h = ThreadRecords.current();
            if (h.agentDepth > 0 && --h.agentDepth == 0) {
                h.busy = h.busyBeforeAgent;
            }
        } catch (Throwable t) {
            AgentCounters.failure("agentWorkEnd", t);
        }
    }
}
