package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A failure inside the agent, reported once per kind; the agent counted it and the host ran on. */
@Name(EventNames.AGENT_ERROR)
@Label("lockdep4j Agent Error")
@Description("A failure inside the lockdep4j agent, reported once per kind; the host application was not affected")
@Category({"lockdep4j", "Agent"})
@StackTrace(true)
@Enabled(false)
public final class AgentErrorEvent extends Event {
    @Label("Kind") public String kind;
    @Label("Message") public String message;
}
