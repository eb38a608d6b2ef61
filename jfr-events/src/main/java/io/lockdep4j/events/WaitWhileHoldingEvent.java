package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A blocking wait (Object.wait at its call sites, Condition.await, CountDownLatch.await, Future.get,
 * CompletableFuture.join, Thread.join, ExecutorService.awaitTermination, Semaphore.acquire,
 * Thread.sleep) by a thread that held at least one other lock. Waits that could not block (a zero
 * latch, a done future, free permits) are not reported; a join or awaitTermination is reported even
 * when its thread or pool had already ended, since which came first is scheduling. Not counted as
 * held: the monitor {@code Object.wait} releases, the lock that owns the awaited condition.
 *
 * <p>A wait that never ends (a real deadlock, stopped by a signal) is reported at JVM shutdown
 * with {@code inProgress} set: that event is committed by the shutdown thread, so its own thread
 * and stack are the shutdown thread's, and the waiter is in {@code waiterThreadName},
 * {@code waiterThreadId} and {@code waiterStack}.
 */
@Name(EventNames.WAIT_WHILE_HOLDING)
@Label("Wait While Holding Locks")
@Description("A thread waited for another thread (await, get, join, acquire) while it held locks")
@Category({"lockdep4j", "Waits"})
@StackTrace(true)
@Enabled(false)
public final class WaitWhileHoldingEvent extends Event {
    @Label("Wait Kind")
    @Description("Class#method of the wait, e.g. java.util.concurrent.CountDownLatch#await")
    public String waitKind;

    @Label("Object Class")
    @Description("Class of the object waited on")
    public String objectClass;

    @Label("Object Identity") @ObjectIdentity
    @Description("Identity hash of the object waited on; a lockdep4j.Signal on the same object names the signaller")
    public int objectId;

    @Label("Held Locks")
    @Description("Lock classes held during the wait, outermost first")
    public String heldLocks;

    @Label("Held Lock Count")
    public int heldLockCount;

    @Label("Contexts")
    public String contexts;

    @Label("Waited Lock")
    @Description("For Object.wait: the lock class of the waited monitor (a signal of the same lock class is the same role); empty otherwise")
    public String waitedLock;

    @Label("Timeout") @jdk.jfr.Timespan(jdk.jfr.Timespan.NANOSECONDS)
    @Description("The wait's bound; 0 when unbounded or unknown")
    public long timeout;

    @Label("Timed")
    @Description("The wait had a timeout")
    public boolean timed;

    @Label("In Progress")
    @Description("The wait had not ended when the JVM shut down (reported by the shutdown thread)")
    public boolean inProgress;

    @Label("Waiter Thread Name")
    @Description("For a wait in progress: the waiting thread's name")
    public String waiterThreadName;

    @Label("Waiter Thread Id")
    @Description("For a wait in progress: the waiting thread's Java id")
    public long waiterThreadId;

    @Label("Waiter Stack")
    @Description("For a wait in progress: the waiting thread's frames, innermost first, one Class.method:line a line")
    public String waiterStack;
}
