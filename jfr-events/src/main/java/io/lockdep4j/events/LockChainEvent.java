package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The first time a thread acquired {@code lock} while holding exactly the locks in
 * {@code heldLocks} (in that order). Emitted once per chain per JVM and once more when a second
 * thread takes the same chain (with that thread's stack), never per acquisition.
 */
@Name(EventNames.LOCK_CHAIN)
@Label("New Lock Chain")
@Description("First acquisition of a lock class with this exact sequence of locks held; its stack is the acquisition stack that lock-order edges refer to")
@Category({"lockdep4j", "Locks"})
@StackTrace(true)
@Enabled(false)
public final class LockChainEvent extends Event {
    @Label("Chain Id") @ChainId
    public long chainId;

    @Label("Parent Chain Id") @ChainId
    @Description("The chain of the locks held before this acquisition (0 when none was held)")
    public long parentChainId;

    @Label("Lock Class")
    @Description("The lock class: the field that holds the lock, its allocation site, or the class of a monitor")
    public String lock;

    @Label("Lock Kind")
    @Description("monitor, ReentrantLock, ReentrantReadWriteLock or StampedLock")
    public String kind;

    @Label("Mode")
    @Description("write (exclusive) or read (shared)")
    public String mode;

    @Label("Try Lock")
    @Description("Taken with tryLock: the acquisition could not wait forever")
    public boolean trylock;

    @Label("Depth")
    @Description("How many locks the thread held before this acquisition")
    public int depth;

    @Label("Held Locks")
    @Description("The locks held before this acquisition, outermost first, as class(mode)")
    public String heldLocks;
}
