package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A lock-order dependency {@code heldLock -> acquiredLock}: a thread holding {@code heldLock} went
 * on to acquire {@code acquiredLock}. Emitted once per new edge (per set of other held locks, and
 * once more for a second thread), never per acquisition. The stack is the acquisition of
 * {@code acquiredLock}; {@code heldChainId} names the {@link LockChainEvent} whose stack shows
 * where {@code heldLock} was taken.
 */
@Name(EventNames.LOCK_ORDER_EDGE)
@Label("Lock Order Edge")
@Description("A thread holding one lock class acquired another: a lock-order dependency, recorded the first time it is seen")
@Category({"lockdep4j", "Locks"})
@StackTrace(true)
@Enabled(false)
public final class LockOrderEdgeEvent extends Event {
    @Label("Held Lock Class")
    public String heldLock;
    @Label("Held Mode")
    public String heldMode;
    @Label("Held Lock Kind")
    public String heldKind;

    @Label("Acquired Lock Class")
    public String acquiredLock;
    @Label("Acquired Mode")
    public String acquiredMode;
    @Label("Acquired Lock Kind")
    public String acquiredKind;

    @Label("Try Lock")
    @Description("The acquired lock was taken with tryLock, which cannot deadlock by waiting")
    public boolean trylock;

    @Label("Held Lock Chain") @ChainId
    @Description("The chain whose lockdep4j.LockChain event has the stack where the held lock was taken")
    public long heldChainId;

    @Label("Held Stack On This Thread")
    @Description("The held lock's chain event was emitted by this thread's acquisition of that lock: the LockChain event of heldChainId on this thread has the stack of this path. False: this thread took the held lock through a chain already recorded, and where is not known")
    public boolean heldStackOnThisThread;

    @Label("Acquired Lock Chain") @ChainId
    public long acquiredChainId;

    @Label("Other Held Locks")
    @Description("Other locks held at the time, as class(mode)#instance; a lock held by both sides of a cycle is a gate that prevents the deadlock")
    public String otherHeld;

    @Label("Held Instance")
    @Description("Identity hash of the held lock instance")
    public int heldInstance;

    @Label("Acquired Instance")
    @Description("Identity hash of the acquired lock instance")
    public int acquiredInstance;

    @Label("Seen On Another Thread")
    @Description("This edge was already recorded on one thread; this is the first time another thread took it")
    public boolean anotherThread;

    @Label("Acquired On Its First Lock")
    @Description("This acquisition was the acquired instance's first lock by any thread (e.g. an object locked by the method that created it, before it was published), so it could not wait. An edge recorded only so is recorded again the first time it is taken on an instance locked before")
    public boolean acquiredUnpublished;
}
