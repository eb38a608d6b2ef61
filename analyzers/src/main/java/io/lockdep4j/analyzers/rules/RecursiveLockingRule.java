package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.Frames;
import io.lockdep4j.analyzers.model.HeldLock;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code recursive-locking}: two instances of one lock class taken nested, Linux lockdep's
 * "possible recursive locking detected". {@code a.equals(b)} on two Hashtables, {@code v1.addAll(v2)}
 * on two Vectors, two sessions, a parent and a child inode: the thread holds instance a and waits for
 * instance b; a thread that nests them the other way (b.equals(a)) holds b and waits for a. Lock
 * classes cannot tell the two orders apart (both are {@code X -> X}), so the nesting itself is the
 * cycle {@code X -> X}: reported when the edge was seen with two different instances.
 *
 * <ul>
 *   <li>error when two threads did the nesting (two threads that may pick their instances in opposite
 *       orders); info when one thread did: one thread shows only the order it picks, and the common
 *       single-thread nesting is a tree walked parent first (JUnit's test tree nests its descriptors'
 *       synchronized child sets on every run), which no second thread reverses;
 *   <li>info when the lock class is declared ordered with the agent option {@code orderedLockClasses}
 *       (the program takes its instances in one order, by id or parent before child: lockdep's
 *       subclass annotation);
 *   <li>not reported: a trylock of the second instance (cannot wait), read inside read of a lock
 *       nobody write-locks (readers share), nestings that all ran under one common gate instance, and
 *       lock classes named only by the method that first locked them (see {@link #LOCKED_IN}), and
 *       one thread's nesting of a lock class named by the JDK alone (see {@link #jdkWide}).
 * </ul>
 */
public final class RecursiveLockingRule implements Rule {
    public static final String ID = "recursive-locking";
    /**
     * The agent's fallback name, {@code ReentrantLock locked in sun.nio.ch.SocketChannelImpl.implConfigureBlocking}:
     * a lock named neither by a field, nor an allocation site, nor its own type, but by the method that
     * first locked it. That merges different locks first locked in one method (a channel's read lock and
     * write lock, taken one inside the other), so its nesting in itself says nothing about one role.
     */
    static final String LOCKED_IN = " locked in ";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Two instances of one lock class taken nested (possible recursive locking)";
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext context) {
        Set<String> ordered = OrderedLockClasses.of(model);
        List<Finding> out = new ArrayList<>();
        List<LockEdge> selfEdges = new ArrayList<>();
        long byLocker = 0;
        for (LockEdge e : model.edges()) {
            if (e.isSelfEdge() && e.from().contains(LOCKED_IN)) {
                byLocker++;
            } else if (e.isSelfEdge()) {
                selfEdges.add(e);
            }
        }
        context.stat("skippedNamedByLocker", byLocker);
        selfEdges.sort((a, b) -> a.from().compareTo(b.from())); // stable output
        for (LockEdge e : selfEdges) {
            List<EdgeObservation> nestings = new ArrayList<>();
            for (EdgeObservation o : e.observations()) {
                if (o.trylock() || o.heldInstance() == o.acquiredInstance()) {
                    continue;
                }
                if (!o.heldWrite() && !o.acquiredWrite() && !model.isWriteLocked(e.from())) {
                    continue;
                }
                nestings.add(o);
            }
            if (nestings.isEmpty()) {
                continue;
            }
            if (!twoThreads(nestings) && jdkWide(e.from())) {
                context.count("skippedJdkWideOneThread", 1);
                continue;
            }
            if (commonGate(nestings)) {
                context.count("gated", 1);
                continue;
            }
            out.add(finding(model, e.from(), nestings, OrderedLockClasses.contains(ordered, e.from())));
        }
        context.stat("nestings", out.size());
        return out;
    }

    /**
     * A lock class named by a JDK class or a JDK class's field ({@code java.util.Hashtable},
     * {@code java.util.Collections$SynchronizedCollection.mutex}), not by the application's field or
     * allocation site: it joins the instances of every library in the JVM, so one thread nesting two
     * of them is no evidence that one role nests in itself (JUnit walks its test tree through nested
     * synchronized child sets on every run). Only two threads nesting them is reported.
     */
    static boolean jdkWide(String lockClass) {
        return io.lockdep4j.analyzers.model.Frames.isPlatformFrame(lockClass);
    }

    /** One instance of a lock, write-held on every nesting: the nestings are serialised. */
    private static boolean commonGate(List<EdgeObservation> nestings) {
        Set<String> common = null;
        for (EdgeObservation o : nestings) {
            Set<String> gates = new HashSet<>();
            for (HeldLock h : o.otherHeld()) {
                if (h.hasInstance() && "write".equals(h.mode())) {
                    gates.add(h.lockClass() + "#" + h.instance());
                }
            }
            if (common == null) {
                common = gates;
            } else {
                common.retainAll(gates);
            }
        }
        return common != null && !common.isEmpty();
    }

    private static boolean twoThreads(List<EdgeObservation> nestings) {
        Set<List<Long>> threads = new HashSet<>();
        for (EdgeObservation o : nestings) {
            if (o.anotherThread()) {
                return true;
            }
            threads.add(List.of((long) o.thread().recording(), o.thread().javaThreadId()));
        }
        return threads.size() > 1;
    }

    /** Up to two nestings to show: on two threads when there are two. */
    private static List<EdgeObservation> shown(List<EdgeObservation> nestings) {
        List<EdgeObservation> out = new ArrayList<>();
        out.add(nestings.get(0));
        for (EdgeObservation o : nestings) {
            if (o.thread().recording() != out.get(0).thread().recording()
                    || o.thread().javaThreadId() != out.get(0).thread().javaThreadId()) {
                out.add(o);
                break;
            }
        }
        return out;
    }

    private Finding finding(LockModel model, String lock, List<EdgeObservation> nestings, boolean ordered) {
        boolean two = twoThreads(nestings);
        StringBuilder text = new StringBuilder();
        List<Object> edges = new ArrayList<>();
        text.append("One instance of ").append(lock).append(" was held while another instance of it was acquired:\n");
        int n = 0;
        for (EdgeObservation o : shown(nestings)) {
            Optional<List<String>> held = model.heldStack(o);
            text.append("\n-> #").append(++n).append(": ").append(lock).append(" #").append(o.heldInstance())
                    .append(" (").append(o.heldMode()).append(") -> ").append(lock).append(" #").append(o.acquiredInstance())
                    .append(" (").append(o.acquiredMode()).append(")\n");
            if (!o.acquireStack().isEmpty()) {
                text.append("       at ").append(Frames.site(o.acquireStack())).append('\n');
            }
            text.append("       on thread ").append(o.thread().display()).append('\n');
            text.append("       the first instance was taken at:\n");
            if (held.isPresent()) {
                stack(text, held.get());
            } else {
                text.append("           (not recorded: no lockdep4j.LockChain event with chainId ").append(o.heldChainId()).append(")\n");
            }
            text.append("       then the second instance was acquired at:\n");
            stack(text, o.acquireStack());
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("from", lock);
            e.put("fromMode", o.heldMode());
            e.put("fromKind", o.heldKind());
            e.put("to", lock);
            e.put("toMode", o.acquiredMode());
            e.put("toKind", o.acquiredKind());
            e.put("thread", LockOrderCycleRule.thread(o.thread()));
            e.put("anotherThread", o.anotherThread());
            e.put("heldInstance", o.heldInstance());
            e.put("acquiredInstance", o.acquiredInstance());
            e.put("acquireStack", o.acquireStack());
            e.put("heldStack", held.orElse(List.of()));
            e.put("heldStackRecorded", held.isPresent());
            e.put("otherHeld", o.otherHeld().stream().map(HeldLock::toString).toList());
            edges.add(e);
        }
        List<String> scenario = List.of(
                "Thread 1: lock(" + lock + " instance a)",
                "Thread 2: lock(" + lock + " instance b)",
                "Thread 1: lock(" + lock + " instance b)   <- waits: Thread 2 holds b",
                "Thread 2: lock(" + lock + " instance a)   <- waits: Thread 1 holds a",
                "",
                "*** DEADLOCK ***",
                "",
                "May be due to missing lock nesting notation");
        text.append("\nPossible unsafe locking scenario (the same code on two instances, picked in opposite orders):\n\n");
        for (String line : scenario) {
            text.append(line.isEmpty() ? "" : "   " + line).append('\n');
        }
        if (ordered) {
            text.append("\nDeclared ordered (agent option orderedLockClasses): safe as long as every thread takes its instances in that order.\n");
        } else {
            text.append(two ? "\nTwo threads nested instances of this lock class."
                    : "\nOnly thread " + nestings.get(0).thread().display() + " nested instances of this lock class in this run.");
            text.append("\nFix: take the two instances in one global order (by an id, parent before child), or never hold one while"
                    + " taking the other; if the program already does, declare it with the agent option orderedLockClasses=")
                    .append(lock).append('\n');
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ordered", ordered);
        details.put("singleThread", !two);
        details.put("edges", edges);
        details.put("scenario", scenario);
        Severity severity = two && !ordered ? Severity.ERROR : Severity.INFO;
        String title = "possible recursive locking detected: two instances of " + lock + " nested (" + lock + " -> " + lock + ")"
                + (ordered ? " (declared ordered)" : two ? "" : " (single thread)");
        return Finding.of(ID, severity, title, List.of(lock), text.toString(), details);
    }

    private static void stack(StringBuilder text, List<String> frames) {
        StackText.append(text, "           ", "           ", frames);
    }
}
