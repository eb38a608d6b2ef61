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
 * A task that a release method handed off, running on the thread that picked it up. Its
 * {@code releaseId} is that of the {@link ReleaseEvent}; closes inside it carry the same id.
 */
@Name(EventNames.DEFERRED_RUN)
@Label("Deferred Release Run")
@Description("A task handed off by a release method ran; closes inside it carry the same release id")
@Category({"lockdep4j", "Release"})
@StackTrace(false)
@Enabled(false)
public final class DeferredRunEvent extends Event {
    @Label("Release Id") @ReleaseId
    public long releaseId;

    @Label("Release Method")
    public String releaseMethod;

    @Label("Task Class")
    public String taskClass;

    @Label("Queue Lag")
    @Description("From the hand-off to the start of the run")
    @Timespan(Timespan.NANOSECONDS)
    public long queueLag;

    @Label("Submitting Thread")
    @Description("Name of the thread that ran the release method")
    public String submitter;

    @Label("Closes")
    @Description("File closes that ran inside the task")
    public int closes;
}
