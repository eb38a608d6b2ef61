package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The agent's online check (agent option {@code onCycle}): at the moment an acquisition added a
 * lock-order edge that closed a cycle in the agent's own graph. Written once per cycle; its stack is
 * the stack of the acquisition that closed it. The offline analysis reports the same cycle from the
 * edges; this event says when, and that a live watcher ({@code lockdep4j watch}) can show it.
 */
@Name(EventNames.LOCK_ORDER_VIOLATION)
@Label("Lock Order Violation")
@Description("An acquisition closed a lock-order cycle (possible circular locking dependency), detected online by the agent")
@Category({"lockdep4j", "Locks"})
@StackTrace(true)
@Enabled(false)
public final class LockOrderViolationEvent extends Event {
    @Label("Cycle")
    @Description("The lock classes of the cycle, starting with the held lock and the lock being acquired: A -> B -> ... -> A")
    public String cycle;
    @Label("Held Lock")
    public String heldLock;
    @Label("Acquired Lock")
    public String acquiredLock;
    @Label("Policy")
    @Description("report: the acquisition went on; throw: it threw LockOrderViolationException instead")
    public String policy;
    @Label("Single Thread")
    @Description("Every edge of the cycle was seen on this thread only")
    public boolean singleThread;
    @Label("Report")
    @Description("The lockdep-style report the agent printed on stderr (or would have, when rate-limited)")
    public String report;
}
