package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A context method invocation: a listener callback (notifier), a recovery path, a must-not-block
 * section, or a configured context. Emitted only when something the agent reports happened inside
 * it (a close, force, release, wait while holding) or when it ran longer than
 * {@code contextThresholdMs}: contexts can be hot, their events are not. Entering a context
 * reads no clock, so the event's start time is that of the first reported operation inside it
 * (or the context's entry when {@code contextThresholdMs} is set); it ends when the context
 * method returns.
 */
@Name(EventNames.CONTEXT)
@Label("Context")
@Description("A notifier/recovery/must-not-block (or configured) method ran; recorded when a reported operation happened inside it")
@Category({"lockdep4j", "Contexts"})
@StackTrace(true)
@Enabled(false)
public final class ContextEvent extends Event {
    @Label("Context Name")
    @Description("notifier, recovery, mustNotBlock, or the name given in the contexts option")
    public String name;

    @Label("Method")
    @Description("The context method as Class#method (for a lambda listener: Interface#method via the lambda's class)")
    public String method;

    @Label("Depth")
    @Description("1 for the outermost context on the thread")
    public int depth;

    @Label("Parent")
    @Description("The enclosing context as name:Class#method, or null")
    public String parent;

    @Label("Held Locks")
    @Description("Lock classes the thread held at the first reported operation inside the context")
    public String heldLocks;

    @Label("Reported Operations")
    @Description("How many lockdep4j release-path events (closes, forces, releases, waits) happened inside")
    public int operations;
}
