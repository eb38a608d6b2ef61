package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One invocation of a configured release method ({@code releaseMethods}) that closed something
 * (SYNC) or handed work off to an executor (DEFERRED). Invocations that did neither are not
 * reported.
 */
@Name(EventNames.RELEASE)
@Label("Release")
@Description("A release method ran: SYNC when a file close ran on this thread inside it, DEFERRED when it handed the work off and closed nothing itself")
@Category({"lockdep4j", "Release"})
@StackTrace(true)
@Enabled(false)
public final class ReleaseEvent extends Event {
    @Label("Release Id") @ReleaseId
    public long releaseId;

    @Label("Method")
    @Description("The release method as Class#method")
    public String method;

    @Label("Mode")
    @Description("SYNC or DEFERRED")
    public String mode;

    @Label("Closes")
    @Description("File closes that ran on this thread inside the release")
    public int closes;

    @Label("Forces")
    @Description("Forces (fsync) that ran on this thread inside the release")
    public int forces;

    @Label("Hand-offs")
    @Description("Tasks handed to an executor (or a configured hand-off method) inside the release")
    public int handoffs;

    @Label("Held Locks")
    @Description("Lock classes held when the release began, outermost first")
    public String heldLocks;

    @Label("Contexts")
    @Description("Active contexts when the release began")
    public String contexts;
}
