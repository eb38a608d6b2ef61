package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A lock held longer than the agent's {@code holdThresholdMs}. Off unless that option is set:
 * timing every hold costs two clock reads per acquisition.
 */
@Name(EventNames.LOCK_HELD)
@Label("Long Lock Hold")
@Description("A lock held longer than the agent's hold threshold; the stack is where it was released")
@Category({"lockdep4j", "Locks"})
@StackTrace(true)
@Enabled(false)
public final class LockHeldEvent extends Event {
    @Label("Lock Class")
    public String lock;
    @Label("Lock Kind")
    public String kind;
    @Label("Mode")
    public String mode;
    @Label("Held Time")
    @Timespan(Timespan.NANOSECONDS)
    public long heldTime;
}
