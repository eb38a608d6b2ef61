package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * The lock-order edges the agent knows, without stacks, written at the end of every chunk: each
 * generation (one per chunk end, numbered from 1 in each recording) lists the edges learned since
 * the previous one, and again any older edge a second thread has taken since; so the summaries of
 * a recording together name every edge it learned, at a cost of O(edges), not O(edges x chunks).
 * JFR discards events when its buffers are full ({@code jdk.DataLoss}) or, in memory, overwrites
 * old ones; the agent's tables still know every edge, so the analyzer completes the graph from
 * these events and marks the findings that rest on an edge known only from here.
 *
 * <p>A generation is split into {@code parts} events of at most {@link #EDGES_PER_PART} edges.
 * Custom event fields are primitives and strings only, so the edges are text (numbers in base 36
 * where marked):
 * <ul>
 *   <li>{@code locks}: the lock classes not named by an earlier part of this recording, one per line,
 *       {@code <class id (36)>\t<kind>\t<name>}: each name is written once per recording;</li>
 *   <li>{@code threads}: one line per first thread this part uses, {@code <index>\t<java thread id>\t<name>}
 *       (tabs and line breaks in names replaced by spaces);</li>
 *   <li>{@code edges}: one line per edge, tab separated: held class id (36), held mode ({@code r}/{@code w}),
 *       acquired class id (36), acquired mode, flags ({@code t} tryLock, {@code m} seen on more than one
 *       thread, {@code -} none), held chain id (36), acquired chain id (36), held instance (36),
 *       acquired instance (36) (the first observation's, as in LockOrderEdge), the first thread's index in
 *       {@code threads}, and the other held locks (LockOrderEdge.otherHeld) as {@code <class id (36)>:<r|w>:<instance (36)>}
 *       joined by {@code ,}.</li>
 * </ul>
 */
@Name(EventNames.LOCK_GRAPH_SUMMARY)
@Label("Lock Graph Summary")
@Description("The lock-order edges the agent learned since the previous chunk end, without stacks: completes the graph when JFR lost edge events")
@Category({"lockdep4j", "Agent"})
@StackTrace(false)
@Period("endChunk")
@Enabled(false)
public final class LockGraphSummaryEvent extends Event {
    /** Edges per event: keeps each event's strings to a few tens of kilobytes. */
    public static final int EDGES_PER_PART = 256;

    @Label("Generation") @Description("Which emission this part belongs to; increases at every chunk end")
    public long generation;
    @Label("Part") @Description("This event's index within its generation, from 0")
    public int part;
    @Label("Parts") @Description("How many events make up this generation")
    public int parts;
    @Label("Edge Count") @Description("Edges the agent knew at this chunk end, in this and earlier generations")
    public int edgeCount;
    @Label("Dropped Edges") @Description("Edges the agent learned but could not keep for the summary (its table was full)")
    public long droppedEdges;
    @Label("Lock Classes") @Description("Lock classes named for the first time in this recording: class id, kind, name per line")
    public String locks;
    @Label("Threads") @Description("The first threads of this part's edges: index, Java thread id, name per line")
    public String threads;
    @Label("Edges") @Description("One edge per line; see the event type's documentation")
    public String edges;
}
