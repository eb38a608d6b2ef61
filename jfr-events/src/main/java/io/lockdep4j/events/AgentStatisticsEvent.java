package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The agent's own counters, at the start and end of every chunk: what it tracked, and what it
 * dropped because a table was full. A report built from a recording whose drop counters are not
 * zero is incomplete, and says so.
 */
@Name(EventNames.AGENT_STATISTICS)
@Label("lockdep4j Agent Statistics")
@Description("The lockdep4j agent's counters: tracked lock classes, chains and edges, and everything it dropped or failed at")
@Category({"lockdep4j", "Agent"})
@StackTrace(false)
@Period("everyChunk")
@Enabled(false)
public final class AgentStatisticsEvent extends Event {
    @Label("Agent Version") public String version;
    @Label("Agent Options") public String options;
    @Label("Ordered Lock Classes") @Description("The orderedLockClasses option (from the arguments or the config file), ';'-separated: lock classes whose instances the program always takes in one order")
    public String orderedLockClasses;
    @Label("Lock Classes") public long lockClasses;
    @Label("Lock Chains") public long chains;
    @Label("Lock Order Edges") public long edges;
    @Label("Instrumented Classes") public long instrumentedClasses;
    @Label("Dropped Lock Classes") @Description("Lock classes not tracked because the class table was full") public long droppedLockClasses;
    @Label("Untracked Lock Instances") @Description("Lock instances the per-instance sharing table had no slot for (treated as shared)") public long untrackedInstances;
    @Label("Dropped Chains") @Description("New chains not recorded because the chain table was full") public long droppedChains;
    @Label("Dropped Edges") @Description("New edges not recorded because the edge table was full") public long droppedEdges;
    @Label("Dropped Waits In Progress") @Description("Waits while holding locks not tracked for the shutdown report because the in-progress table was full") public long droppedWaits;
    @Label("Held Depth Overflows") @Description("Acquisitions not tracked because a thread held more locks than the agent's depth cap") public long depthOverflows;
    @Label("Unmatched Releases") @Description("Releases of locks the agent had not seen acquired on that thread") public long unmatchedReleases;
    @Label("Stale Held Locks") @Description("Held-lock entries dropped because another thread released the lock") public long staleHeldLocks;
    @Label("Registry Entries") @Description("Live lock instances with a named lock class (the registry is weak: collected instances are not counted)") public long registryEntries;
    @Label("Dropped Registrations") @Description("Lock instances not named because the registry was full") public long droppedRegistrations;
    @Label("Agent Failures") @Description("Exceptions caught inside the agent's own code; the host never saw them") public long agentFailures;
    @Label("Transform Failures") @Description("Classes the agent could not instrument") public long transformFailures;
    @Label("Classes Seen") @Description("Class files the agent's transformer was called for, instrumented or not") public long classesSeen;
    @Label("Transform Cache Hits") @Description("Class files whose instrumented bytes came from an earlier JVM's transform cache (transformCache option): Byte Buddy did not run for them")
    public long transformCacheHits;
    @Label("Online Cycle Checks") @Description("New edges the agent's online check (onCycle) searched a cycle for") public long onlineCycleChecks;
    @Label("Online Cycles Found") @Description("New edges that closed a lock-order cycle, as the online check judged it") public long onlineCyclesFound;
    @Label("Online Checks Given Up") @Description("Online cycle searches stopped by their step budget, or edges not added because the online graph was full: cycles through them may be missed online (the offline analysis still sees them)") public long onlineChecksGivenUp;
    @Label("Online Reports Suppressed") @Description("Online cycle reports not printed because of the rate limit (their JFR events were still written)") public long onlineReportsSuppressed;
    @Label("Transform Time") @Description("Wall-clock time spent in the agent's class-file transformer (matching and instrumenting)") @Timespan(Timespan.NANOSECONDS) public long transformTime;
}
