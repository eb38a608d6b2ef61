package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A java.util.concurrent lock acquisition that had to wait longer than the agent's
 * {@code contendedThresholdMs} (default 10 ms). Contended monitors are covered by the JDK's own
 * {@code jdk.JavaMonitorEnter}, which the lockdep4j.jfc profile enables.
 */
@Name(EventNames.LOCK_CONTENDED)
@Label("Contended Lock Acquisition")
@Description("A lock acquisition that waited longer than the agent's threshold, with the locks the waiting thread held")
@Category({"lockdep4j", "Locks"})
@StackTrace(true)
@Enabled(false)
public final class LockContendedEvent extends Event {
    @Label("Lock Class")
    public String lock;
    @Label("Lock Kind")
    public String kind;
    @Label("Mode")
    public String mode;
    @Label("Held Locks")
    @Description("Locks the waiting thread held while it waited, outermost first")
    public String heldLocks;
}
