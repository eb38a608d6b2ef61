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
 * A file handle opened by application code and still open (and reachable) when the JVM shut
 * down. Emitted from the JFR shutdown path before the recording is dumped.
 */
@Name(EventNames.RESOURCE_LEAK)
@Label("Resource Leak")
@Description("A file handle opened by application code was still open at JVM exit")
@Category({"lockdep4j", "Release"})
@StackTrace(false)
@Enabled(false)
public final class ResourceLeakEvent extends Event {
    @Label("Open Site Id") @OpenSiteId
    @Description("The lockdep4j.FileOpen event of this site has the stack of its first open")
    public long openSiteId;

    @Label("Open Site")
    @Description("Class.method:line of the open call")
    public String openSite;

    @Label("Path")
    public String path;

    @Label("Resource Class")
    public String resourceClass;

    @Label("Opening Thread")
    public String openThread;

    @Label("Open For")
    @Timespan(Timespan.NANOSECONDS)
    public long openFor;
}
