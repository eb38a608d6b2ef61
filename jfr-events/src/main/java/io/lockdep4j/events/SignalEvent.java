package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A signal (countDown, Condition.signal, Semaphore.release, FutureTask/CompletableFuture
 * completion) on an object that some thread has waited on while holding locks; a notify/notifyAll
 * (any object) and the end of a thread or of a pool worker whose (object's lock class, held locks,
 * locks taken before) the JVM has not reported yet. Known combinations are not reported again, so
 * this event stays rare.
 */
@Name(EventNames.SIGNAL)
@Label("Signal To Lock-Holding Waiter")
@Description("A thread signalled an object that was waited on by a thread holding locks; with the signaller's held locks")
@Category({"lockdep4j", "Waits"})
@StackTrace(true)
@Enabled(false)
public final class SignalEvent extends Event {
    @Label("Signal Kind")
    @Description("Class#method of the signal, e.g. java.util.concurrent.CountDownLatch#countDown")
    public String signalKind;

    @Label("Object Class")
    public String objectClass;

    @Label("Object Identity") @ObjectIdentity
    @Description("Identity hash of the object; matches lockdep4j.WaitWhileHolding.objectId")
    public int objectId;

    @Label("Held Locks")
    @Description("Lock classes the signalling thread held, outermost first")
    public String heldLocks;

    @Label("Waited Lock")
    @Description("For notify/notifyAll: the lock class of the notified monitor; empty otherwise")
    public String waitedLock;

    @Label("Taken Before")
    @Description("Lock classes this thread took and released before the signal (its most recent ones, at most 16), held-lock format")
    public String takenBefore;

    @Label("Held Lock Count")
    public int heldLockCount;
}
