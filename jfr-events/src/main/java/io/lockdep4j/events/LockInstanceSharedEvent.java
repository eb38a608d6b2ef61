package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A lock instance that a thread held, unshared, during a blocking call (listed in a FileForce or
 * FileClose event's {@code heldUnshared}) was locked by a second thread for the first time: from
 * now on that blocking call can stall that thread. Once per such instance. The stack is the
 * second thread's acquisition.
 */
@Name(EventNames.LOCK_INSTANCE_SHARED)
@Label("Lock Instance Shared")
@Description("A lock instance held during a blocking call was locked by another thread for the first time")
@Category({"lockdep4j", "Locks"})
@StackTrace(true)
@Enabled(false)
public final class LockInstanceSharedEvent extends Event {
    @Label("Lock Class")
    public String lock;
    @Label("Instance")
    @Description("Identity hash of the lock instance")
    public int instance;
}
