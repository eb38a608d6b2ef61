package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.graph.LockOrderGraph;
import io.lockdep4j.analyzers.graph.LockOrderGraph.CycleLimits;
import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.Frames;
import io.lockdep4j.analyzers.model.HeldLock;
import io.lockdep4j.analyzers.model.HeldStackText;
import io.lockdep4j.analyzers.model.LockModes;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ThreadRef;
import io.lockdep4j.analyzers.model.WriterSite;
import io.lockdep4j.events.LockOrderRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code lock-order-cycle}: lock classes taken in inconsistent orders, the "possible circular
 * locking dependency" of Linux lockdep. If one thread holds A and waits for B while another holds
 * B and waits for A, both wait forever; the rule reports such cycles from runs in which the two
 * orders merely happened at different times.
 *
 * <p>A cycle in the lock-order graph is reported only when it could really deadlock (the rules are
 * {@link LockOrderRules}, which the agent's online check applies too):
 * <ul>
 *   <li>Self-edges (two instances of one class nested) are not cycles here, and an edge whose
 *       acquisition was a {@code tryLock} never waits, so it cannot close a cycle.
 *   <li>Every lock of the cycle must block its waiter. Lock L, entered by edge X→L (acquired in
 *       mode m_in) and left by edge L→Y (held in mode m_out), blocks if either mode is write. If
 *       both are read, readers share L, and it blocks only because a writer waiting for L makes
 *       new readers queue (non-recursive readers): so only if some thread ever write-locks L. The
 *       finding then names those writers. A cycle of reads on locks nobody write-locks is never
 *       reported.
 *   <li>A gate lock makes the cycle harmless: if the same instance of one lock class, held in
 *       write mode, was held on every edge of the cycle, the edges are serialised and cannot
 *       interleave. The cycle is dropped and counted. Same class but different instances is no
 *       gate (a lesson from JCarder, whose class-level gate filter hid real deadlocks).
 *   <li>If every edge was seen on one and the same thread, the cycle is still reported, marked
 *       {@code singleThread} and with a lower severity: that run could not deadlock, but any two
 *       threads taking the two paths would.
 * </ul>
 * Each edge may have been observed several times (modes, gates, threads, recordings); the rule
 * searches the combination of observations, one per edge, that makes the cycle most real:
 * ungated first, then spanning two or more threads, then needing no writer.
 *
 * <p>Edges from different recordings combine: the edge A→B from one JVM and B→A from another
 * form a cycle, because the code paths exist in both.
 */
public final class LockOrderCycleRule implements Rule {
    public static final String ID = "lock-order-cycle";

    public static final RuleOption MAX_CYCLE_LENGTH = RuleOption.of("max-cycle-length", "N", CycleLimits.DEFAULT_MAX_LENGTH,
            "Longest lock-order cycle searched, in lock classes").atLeast(2).atMost(Integer.MAX_VALUE);
    public static final RuleOption MAX_CYCLES = RuleOption.of("max-cycles", "N", CycleLimits.DEFAULT_MAX_CYCLES,
            "Stop the cycle search after N cycles").atLeast(1).atMost(Integer.MAX_VALUE);
    public static final RuleOption MAX_CYCLES_PER_COMPONENT = RuleOption.of("max-cycles-per-component", "N",
            CycleLimits.DEFAULT_MAX_CYCLES_PER_COMPONENT, "Stop searching one strongly connected group of lock classes after N "
                    + "cycles, so that one dense group does not use up --max-cycles").atLeast(1).atMost(Integer.MAX_VALUE);
    public static final RuleOption CYCLE_BUDGET = RuleOption.of("cycle-budget", "STEPS", CycleLimits.DEFAULT_BUDGET_STEPS,
            "Stop the cycle search after looking at STEPS edges; shortest cycles are searched first, and the report says "
                    + "when the budget ran out").atLeast(1);
    public static final RuleOption CYCLE_TIMEOUT = RuleOption.of("cycle-timeout", "SECONDS", CycleLimits.DEFAULT_TIMEOUT_MILLIS / 1000,
            "Stop the cycle search after SECONDS of wall-clock time, a safety net for slow machines; the report says when "
                    + "it did").atLeast(1).atMost(Long.MAX_VALUE / 1000);

    /** Distinct observations of one edge considered by the search. */
    static final int MAX_CANDIDATES_PER_EDGE = 32;
    /** Search steps per cycle: 32 candidates on each of 6 edges must not hang the analyzer (x 1000 cycles). */
    static final int SEARCH_BUDGET = 20_000;

    private static final int UNGATED = 4;
    private static final int MULTI_THREAD = 2;
    private static final int NO_WRITER_NEEDED = 1;
    private static final int PERFECT = UNGATED + MULTI_THREAD + NO_WRITER_NEEDED;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "lock classes acquired in inconsistent orders (possible circular locking dependency)";
    }

    @Override
    public List<RuleOption> options() {
        return List.of(MAX_CYCLE_LENGTH, MAX_CYCLES, MAX_CYCLES_PER_COMPONENT, CYCLE_BUDGET, CYCLE_TIMEOUT);
    }

    /** The cycle-search limits the options describe. */
    static CycleLimits limits(RuleContext ctx) {
        return new CycleLimits((int) ctx.option(MAX_CYCLE_LENGTH), (int) ctx.option(MAX_CYCLES),
                (int) ctx.option(MAX_CYCLES_PER_COMPONENT), ctx.option(CYCLE_BUDGET), ctx.option(CYCLE_TIMEOUT) * 1000);
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        CycleLimits limits = limits(ctx);
        LockOrderGraph graph = LockOrderGraph.of(model, LockEdge::hasBlockingObservation);
        LockOrderGraph.CycleSearch search = graph.cycles(limits);
        Set<String> untrustedGates = classesSeenWithSeveralInstances(model, gateCandidates(model, search.cycles()));
        Map<String, Finding> byKey = new LinkedHashMap<>();
        long gated = 0;
        long readOnly = 0;
        long sameLocks = 0;
        Set<String> ordered = OrderedLockClasses.of(model);
        for (List<String> cycle : search.cycles()) {
            Selection s = new Chooser(model, cycle, untrustedGates).choose();
            if (s == null) {
                readOnly++; // only read-read combinations on a lock nobody write-locks
                continue;
            }
            if (s.gate() != null) {
                gated++;
                if (gated <= 3) {
                    ctx.note("cycle " + arrow(cycle) + " is not reported: every edge held gate lock " + s.gate());
                }
                continue;
            }
            Finding f = finding(model, cycle, s);
            String nesting = OrderedLockClasses.nestingIn(model, cycle, ordered);
            f = nesting == null ? f : OrderedLockClasses.asInfo(f, nesting);
            if (byKey.putIfAbsent(f.key(), f) != null) {
                sameLocks++; // another order through the same lock classes: one finding is enough
            }
        }
        ctx.stat("cyclesFound", search.cycles().size());
        ctx.stat("cyclesReported", byKey.size());
        ctx.stat("cyclesDroppedByGate", gated);
        ctx.stat("cyclesDroppedReadOnly", readOnly);
        ctx.stat("cyclesMergedSameLocks", sameLocks);
        ctx.stat("maxCycleLength", search.maxLength());
        ctx.stat("maxCycles", search.maxCycles());
        ctx.stat("lengthBoundHit", search.lengthBoundHit());
        ctx.stat("countBoundHit", search.countBoundHit());
        ctx.stat("maxCyclesPerComponent", limits.maxCyclesPerComponent());
        ctx.stat("cycleBudget", limits.budgetSteps());
        ctx.stat("cycleTimeoutSeconds", limits.timeoutMillis() / 1000);
        ctx.stat("components", search.components());
        ctx.stat("searchSteps", search.steps());
        ctx.stat("searchStoppedBy", search.stoppedBy() == null ? "none" : label(search.stoppedBy()));
        ctx.stat("searchCompleteUpToLength", search.completeUpToLength());
        ctx.stat("componentsCapped", search.componentsCapped());
        ctx.stat("componentsUnexplored", search.componentsUnexplored());
        ctx.stat("lockClassesUnexplored", search.lockClassesUnexplored());
        ctx.stat("edgesUnexplored", search.edgesUnexplored());
        if (search.lengthBoundHit()) {
            ctx.note("cycles longer than " + search.maxLength()
                    + " lock classes were not searched (a strongly connected group is larger); raise " + MAX_CYCLE_LENGTH.flag() + " to see them");
        }
        for (String bound : boundMessages(search)) {
            ctx.bounded(bound);
        }
        return new ArrayList<>(byKey.values());
    }

    static String label(LockOrderGraph.Bound b) {
        return switch (b) {
            case BUDGET -> "budget";
            case TIMEOUT -> "timeout";
            case MAX_CYCLES -> "max-cycles";
        };
    }

    /**
     * One line per bound that cut the search short: which bound, what was searched completely,
     * what was left, and the option that raises it. Empty when every cycle up to the maximum
     * length was looked at.
     */
    public static List<String> boundMessages(LockOrderGraph.CycleSearch s) {
        List<String> out = new ArrayList<>();
        String searched = s.completeUpToLength() >= 2
                ? "cycles of up to " + s.completeUpToLength() + " lock classes were searched completely"
                + (s.completeUpToLength() < s.maxLength() ? ", longer ones only in part" : "")
                : "not even all cycles of 2 lock classes were searched";
        String left = String.format(Locale.ROOT, "%,d of %,d strongly connected components (%,d lock classes, %,d edges) %s left partly unexplored",
                s.componentsUnexplored(), s.components(), s.lockClassesUnexplored(), s.edgesUnexplored(),
                s.componentsUnexplored() == 1 ? "was" : "were");
        if (s.stoppedBy() != null) {
            String head = switch (s.stoppedBy()) {
                case BUDGET -> String.format(Locale.ROOT, "the cycle search stopped at its work budget of %,d steps (edges looked at)",
                        s.limits().budgetSteps());
                case TIMEOUT -> String.format(Locale.ROOT, "the cycle search stopped at its time limit of %s s after %,d steps",
                        seconds(s.limits().timeoutMillis()), s.steps());
                case MAX_CYCLES -> String.format(Locale.ROOT, "the cycle search stopped after %,d cycles, and more exist",
                        s.limits().maxCycles());
            };
            String raise = switch (s.stoppedBy()) {
                case BUDGET -> "raise " + CYCLE_BUDGET.flag() + " (or lower " + MAX_CYCLE_LENGTH.flag() + ") to search further";
                case TIMEOUT -> "raise " + CYCLE_TIMEOUT.flag() + " to search further";
                case MAX_CYCLES -> "raise " + MAX_CYCLES.flag() + " to see more";
            };
            out.add(head + ": " + searched + "; " + left + "; " + raise);
        }
        if (s.componentsCapped() > 0) {
            out.add(String.format(Locale.ROOT, "%,d strongly connected component%s had more than %,d cycles and %s searched no further"
                            + " (their other cycles may hide other findings); raise " + MAX_CYCLES_PER_COMPONENT.flag() + " to see more",
                    s.componentsCapped(), s.componentsCapped() == 1 ? "" : "s", s.limits().maxCyclesPerComponent(),
                    s.componentsCapped() == 1 ? "was" : "were"));
        }
        return out;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** The chosen observation per edge (edge i goes from cycle[i] to cycle[i+1]). */
    record Selection(List<EdgeObservation> edges, String gate, boolean multiThread, List<Integer> needWriter) {}

    /**
     * Depth-first search over one observation per edge, keeping the best-scoring valid
     * combination. Validity (every lock blocks) is checked as soon as both edges around a lock are
     * chosen, so invalid branches are cut early.
     */
    private static final class Chooser {
        private final LockModel model;
        private final List<String> cycle;
        private final int n;
        private final List<List<EdgeObservation>> candidates = new ArrayList<>();
        private final EdgeObservation[] chosen;
        private EdgeObservation[] best;
        private Set<String> bestGates;
        private int bestScore = -1;
        private int budget = SEARCH_BUDGET;

        private final Set<String> untrustedGates;

        Chooser(LockModel model, List<String> cycle, Set<String> untrustedGates) {
            this.model = model;
            this.untrustedGates = untrustedGates;
            this.cycle = cycle;
            this.n = cycle.size();
            this.chosen = new EdgeObservation[n];
            for (int i = 0; i < n; i++) {
                LockEdge e = model.edge(cycle.get(i), cycle.get((i + 1) % n)).orElseThrow();
                candidates.add(distinct(e.blockingObservations()));
            }
        }

        private Set<String> gates(EdgeObservation o) {
            return LockOrderCycleRule.gates(o, untrustedGates);
        }

        /** One observation per (modes, thread, gates): the others would score the same. */
        private List<EdgeObservation> distinct(List<EdgeObservation> obs) {
            Map<List<Object>, EdgeObservation> m = new LinkedHashMap<>();
            for (EdgeObservation o : obs) {
                m.putIfAbsent(List.of(o.heldMode(), o.acquiredMode(), o.thread().recording(), o.thread().javaThreadId(),
                        gates(o), o.anotherThread(), o.acquiredUnpublished()), o);
            }
            List<EdgeObservation> out = new ArrayList<>(m.values());
            // Promising first: ungated, exclusive modes; then by thread for determinism.
            out.sort(Comparator.<EdgeObservation>comparingInt(o -> gates(o).isEmpty() ? 0 : 1)
                    .thenComparingInt(o -> o.acquiredUnpublished() ? 1 : 0) // one that could wait shows the real path
                    .thenComparingInt(o -> o.heldWrite() ? 0 : 1)
                    .thenComparingInt(o -> o.acquiredWrite() ? 0 : 1)
                    .thenComparingInt(o -> o.fromSummary() ? 1 : 0) // an event with its stack over the agent's summary
                    .thenComparingInt(o -> o.heldStackOnThisThread() ? 0 : 1) // can show this path's held stack
                    .thenComparingInt(o -> o.thread().recording())
                    .thenComparingLong(o -> o.thread().javaThreadId()));
            return out.size() > MAX_CANDIDATES_PER_EDGE ? out.subList(0, MAX_CANDIDATES_PER_EDGE) : out;
        }

        Selection choose() {
            dfs(0, null);
            if (best == null) {
                return null;
            }
            List<Integer> needWriter = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (needsWriter(i, best)) {
                    needWriter.add(i);
                }
            }
            String gate = bestGates.isEmpty() ? null : bestGates.iterator().next();
            return new Selection(List.of(best), gate, multiThread(best), needWriter);
        }

        private void dfs(int i, Set<String> gates) {
            if (bestScore == PERFECT || budget-- <= 0) {
                return;
            }
            if (i == n) {
                if (!blocks(0, chosen[n - 1], chosen[0])) {
                    return;
                }
                int score = (gates.isEmpty() ? UNGATED : 0) + (multiThread(chosen) ? MULTI_THREAD : 0)
                        + (writersNeeded(chosen) ? 0 : NO_WRITER_NEEDED);
                if (score > bestScore) {
                    bestScore = score;
                    best = chosen.clone();
                    bestGates = gates;
                }
                return;
            }
            for (EdgeObservation o : candidates.get(i)) {
                if (i > 0 && !blocks(i, chosen[i - 1], o)) {
                    continue;
                }
                chosen[i] = o;
                Set<String> g = new TreeSet<>(gates(o));
                if (gates != null) {
                    g.retainAll(gates);
                }
                dfs(i + 1, g);
            }
        }

        /** Lock {@code cycle[i]}, entered by {@code in} and left by {@code out}, makes its waiter wait. */
        private boolean blocks(int i, EdgeObservation in, EdgeObservation out) {
            return LockOrderRules.blocks(in.acquiredWrite(), out.heldWrite(), model.isWriteLocked(cycle.get(i)));
        }

        private boolean needsWriter(int i, EdgeObservation[] sel) {
            EdgeObservation in = sel[(i + n - 1) % n];
            return !in.acquiredWrite() && !sel[i].heldWrite();
        }

        private boolean writersNeeded(EdgeObservation[] sel) {
            for (int i = 0; i < n; i++) {
                if (needsWriter(i, sel)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Gate candidates of one observation: other locks it held in write mode, by instance. */
    /**
     * Lock classes seen with more than one instance in one recording. The agent records an edge
     * once per gate *class* set, so the gate instance of the first observation stands for all
     * later ones; a gate class with several instances may have been a different instance later,
     * and then it protected nothing. Only gate classes seen with a single instance are trusted
     * (reporting a possible cycle beats hiding a real one, JCarder's mistake).
     */
    static Set<String> classesSeenWithSeveralInstances(LockModel model, Set<String> candidates) {
        Map<String, Integer> first = new java.util.HashMap<>();
        Set<String> several = new TreeSet<>();
        if (candidates.isEmpty()) {
            return several; // the usual case, and a pass over 10^6 observations saved
        }
        for (LockEdge e : model.edges()) {
            for (EdgeObservation o : e.observations()) {
                int rec = o.thread().recording();
                noteInstance(candidates, first, several, rec, e.from(), o.heldInstance());
                noteInstance(candidates, first, several, rec, e.to(), o.acquiredInstance());
                for (HeldLock h : o.otherHeld()) {
                    noteInstance(candidates, first, several, rec, h.lockClass(), h.instance());
                }
            }
        }
        return several;
    }

    /** The lock classes that could be a gate of some cycle: held (in write mode) beside an edge of it. */
    static Set<String> gateCandidates(LockModel model, List<List<String>> cycles) {
        Set<String> out = new java.util.HashSet<>();
        for (List<String> cycle : cycles) {
            for (int i = 0; i < cycle.size(); i++) {
                model.edge(cycle.get(i), cycle.get((i + 1) % cycle.size())).ifPresent(e -> e.observations()
                        .forEach(o -> o.otherHeld().stream().filter(HeldLock::isWrite).forEach(h -> out.add(h.lockClass()))));
            }
        }
        return out;
    }

    private static void noteInstance(Set<String> candidates, Map<String, Integer> first, Set<String> several, int recording,
                                     String lockClass, int instance) {
        if (instance == 0 || !candidates.contains(lockClass)) {
            return; // not recorded, or cannot be a gate of a found cycle
        }
        Integer seen = first.putIfAbsent(recording + "|" + lockClass, instance);
        if (seen != null && seen != instance) {
            several.add(lockClass);
        }
    }

    static Set<String> gates(EdgeObservation o, Set<String> untrusted) {
        Set<String> s = new TreeSet<>();
        for (HeldLock h : o.otherHeld()) {
            if (LockOrderRules.canGate(h.isWrite()) && !untrusted.contains(h.lockClass())) {
                s.add(h.gateKey());
            }
        }
        return s;
    }

    static boolean multiThread(EdgeObservation[] sel) {
        Set<List<Long>> threads = new HashSet<>();
        for (EdgeObservation o : sel) {
            if (o.anotherThread()) {
                return true;
            }
            threads.add(List.of((long) o.thread().recording(), o.thread().javaThreadId()));
        }
        return threads.size() > 1;
    }

    // ---------------------------------------------------------------- report text and details

    private Finding finding(LockModel model, List<String> cycle, Selection s) {
        int n = cycle.size();
        boolean single = !s.multiThread();
        StringBuilder text = new StringBuilder();
        List<Object> edges = new ArrayList<>();
        text.append("Chain of dependencies (holding the first lock, the thread acquired the second):\n");
        for (int i = 0; i < n; i++) {
            String from = cycle.get(i);
            String to = cycle.get((i + 1) % n);
            EdgeObservation o = s.edges().get(i);
            Optional<List<String>> held = model.heldStack(o);
            text.append('\n').append("-> #").append(i + 1).append(": ")
                    .append(LockModes.text(from, o.heldKind(), o.heldMode())).append(" -> ")
                    .append(LockModes.text(to, o.acquiredKind(), o.acquiredMode())).append('\n');
            if (!o.acquireStack().isEmpty()) {
                text.append("       at ").append(Frames.site(o.acquireStack())).append('\n');
            }
            text.append("       on thread ").append(o.thread().display()).append('\n');
            if (o.fromSummary()) {
                text.append("       (summary evidence: JFR lost this edge's event; the agent's lockdep4j.LockGraphSummary"
                        + " shows the edge, without stacks)\n");
            }
            text.append("       ").append(from).append(" was taken at:\n");
            if (held.isPresent()) {
                stack(text, held.get());
            } else {
                text.append("           (").append(HeldStackText.unknown(o)).append(")\n");
            }
            text.append("       then ").append(to).append(" was acquired at:\n");
            stack(text, o.acquireStack());
            if (!o.otherHeld().isEmpty()) {
                text.append("       other locks held: ").append(LockModes.held(model, o.otherHeld()))
                        .append('\n');
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("from", from);
            e.put("fromMode", o.heldMode());
            e.put("fromKind", o.heldKind());
            e.put("to", to);
            e.put("toMode", o.acquiredMode());
            e.put("toKind", o.acquiredKind());
            e.put("thread", thread(o.thread()));
            e.put("anotherThread", o.anotherThread());
            e.put("acquireStack", o.acquireStack());
            e.put("heldStack", held.orElse(List.of()));
            e.put("heldStackRecorded", held.isPresent());
            if (held.isEmpty()) {
                e.put("heldStackNote", HeldStackText.unknown(o));
            }
            e.put("otherHeld", o.otherHeld().stream().map(HeldLock::toString).toList());
            if (o.fromSummary()) {
                e.put("summaryEvidence", true);
            }
            edges.add(e);
        }

        List<Object> writers = new ArrayList<>();
        if (!s.needWriter().isEmpty()) {
            text.append("\nRead-write locks made blocking by writers (each is read-locked on both sides of the cycle;\n")
                    .append("readers share it, but a writer waiting for it makes new readers queue):\n");
            for (int i : s.needWriter()) {
                String lock = cycle.get(i);
                List<WriterSite> sites = model.writers(lock);
                text.append("\n   ").append(lock).append(" is write-locked")
                        .append(sites.isEmpty() ? " (by an edge whose stack was not recorded)" : ":").append('\n');
                for (WriterSite w : sites) {
                    text.append("       on thread ").append(w.thread().display()).append(" at:\n");
                    stack(text, w.stack());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("lock", lock);
                    m.put("thread", thread(w.thread()));
                    m.put("stack", w.stack());
                    writers.add(m);
                }
            }
        }

        List<Integer> unpublished = UnpublishedEdges.of(model, cycle);
        List<String> scenario = scenario(cycle, s);
        if (!unpublished.isEmpty()) {
            scenario.set(scenario.size() - 1, UnpublishedEdges.scenarioEnd(cycle, unpublished));
        }
        text.append("\nPossible unsafe locking scenario:\n\n");
        for (String line : scenario) {
            text.append(line.isEmpty() ? "" : "   " + line).append('\n');
        }
        if (single) {
            ThreadRef t = s.edges().get(0).thread();
            text.append("\nBoth orders were seen only on thread ").append(t.display())
                    .append(": they never ran concurrently in this run, but any two threads taking these paths would deadlock.\n");
        }

        Map<String, Object> details = new LinkedHashMap<>();
        if (!unpublished.isEmpty()) {
            UnpublishedEdges.explain(text, cycle, unpublished);
            details.put("unpublishedOnlyEdges", UnpublishedEdges.names(cycle, unpublished));
        }
        long fromSummary = s.edges().stream().filter(EdgeObservation::fromSummary).count();
        if (fromSummary > 0) {
            text.append("\n").append(fromSummary).append(" of the ").append(n).append(" edges rest on summary evidence only"
                    + " (JFR lost their events; the agent's table still knew them): the lock order is certain, the stacks are not recorded.\n");
            details.put("summaryEvidenceEdges", fromSummary);
        }
        details.put("singleThread", single);
        details.put("edges", edges);
        details.put("writers", writers);
        details.put("scenario", scenario);
        String title = "possible circular locking dependency detected: " + arrow(cycle)
                + (single ? " (single thread)" : "") + (unpublished.isEmpty() ? "" : " (one edge only on unpublished objects)");
        Severity severity = single || !unpublished.isEmpty() ? Severity.WARNING : Severity.ERROR;
        return Finding.of(ID, severity, title, cycle, text.toString(), details);
    }

    /**
     * Lockdep's "possible unsafe locking scenario", generalised to n locks: thread k takes lock k,
     * then each wants the next one, which the next thread holds.
     */
    static List<String> scenario(List<String> cycle, Selection s) {
        int n = cycle.size();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("Thread " + (i + 1) + ": " + op(s.edges().get(i).heldMode()) + "(" + cycle.get(i) + ")");
        }
        for (int i : s.needWriter()) {
            int holder = i + 1; // thread i+1 read-holds cycle[i] (1-based: thread index i)
            lines.add("Writer:   lock(" + cycle.get(i) + ")   <- queues behind Thread " + holder + "'s read lock");
        }
        for (int i = 0; i < n; i++) {
            int next = (i + 1) % n;
            String why = s.needWriter().contains(next)
                    ? "waits: the queued writer on " + cycle.get(next) + " blocks new readers"
                    : "waits: Thread " + (next + 1) + " holds " + cycle.get(next);
            lines.add("Thread " + (i + 1) + ": " + op(s.edges().get(i).acquiredMode()) + "(" + cycle.get(next) + ")   <- " + why);
        }
        lines.add("");
        lines.add("*** DEADLOCK ***");
        return lines;
    }

    private static String op(String mode) {
        return "read".equals(mode) ? "rlock" : "lock";
    }

    private static void stack(StringBuilder text, List<String> frames) {
        StackText.append(text, "           ", "           ", frames);
    }

    static Map<String, Object> thread(ThreadRef t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("id", t.javaThreadId());
        m.put("recording", t.recording());
        return m;
    }

    static String arrow(List<String> cycle) {
        return String.join(" -> ", cycle) + " -> " + cycle.get(0);
    }
}
