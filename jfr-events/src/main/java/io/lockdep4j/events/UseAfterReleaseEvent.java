package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A use method ran on an object after its shutdown method ({@code shutdownMethods}, {@code useMethods}). */
@Name(EventNames.USE_AFTER_RELEASE)
@Label("Use After Release")
@Description("A method was called on an object after its shutdown/release method had run")
@Category({"lockdep4j", "Release"})
@StackTrace(true)
@Enabled(false)
public final class UseAfterReleaseEvent extends Event {
    @Label("Object Class")
    public String objectClass;
    @Label("Object Identity") @ObjectIdentity
    public int objectId;
    @Label("Method")
    @Description("The method used after the release, as Class#method")
    public String method;
    @Label("Shutdown Method")
    @Description("The shutdown method that ran before, as Class#method")
    public String shutdownMethod;
    @Label("Shutdown Thread")
    public String shutdownThread;
}
