package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Instance evidence that grades a lock-order cycle: an edge whose every recorded acquisition took
 * an object that the locking method had just created and that no other thread had locked (the
 * agent's {@code acquiredUnpublished}: a transaction locked by the method that created it, before
 * it is published). Only a thread that locked an instance can hold it, so none of those
 * acquisitions could wait. The lock classes are still ordered both ways (that is how inversions
 * between different instances are found), so the cycle is reported, as a warning without
 * "*** DEADLOCK ***". The agent records such an edge again the first time that path locks any
 * other instance, and the cycle is then an error.
 */
final class UnpublishedEdges {
    private UnpublishedEdges() {}

    /** Indexes i of the cycle's edges cycle[i] -> cycle[i+1] recorded only on unpublished instances. */
    static List<Integer> of(LockModel model, List<String> cycle) {
        List<Integer> out = new ArrayList<>();
        int n = cycle.size();
        for (int i = 0; i < n; i++) {
            LockEdge e = model.edge(cycle.get(i), cycle.get((i + 1) % n)).orElse(null);
            if (e != null && !e.blockingObservations().isEmpty()
                    && e.blockingObservations().stream().allMatch(EdgeObservation::acquiredUnpublished)) {
                out.add(i);
            }
        }
        return out;
    }

    static List<String> names(List<String> cycle, List<Integer> edges) {
        List<String> out = new ArrayList<>();
        for (int i : edges) {
            out.add(cycle.get(i) + " -> " + cycle.get((i + 1) % cycle.size()));
        }
        return out;
    }

    private static String acquired(List<String> cycle, int i) {
        return cycle.get((i + 1) % cycle.size());
    }

    static void explain(StringBuilder text, List<String> cycle, List<Integer> edges) {
        text.append("\nInstance evidence: ");
        for (int k = 0; k < edges.size(); k++) {
            int i = edges.get(k);
            text.append(k == 0 ? "" : "; ").append("edge #").append(i + 1).append(" locked ").append(acquired(cycle, i));
        }
        text.append(" only on objects the locking method had just created, that no other thread had locked\n")
                .append("(every time it was recorded). No other thread could hold them, so those acquisitions could not\n")
                .append("wait: no deadlock ran through ").append(edges.size() == 1 ? "that edge" : "those edges").append(".\n")
                .append("It deadlocks if that path ever locks an instance other threads can reach; the agent records the\n")
                .append("edge again the first time it does, and this becomes an error.\n")
                .append("Fix: none needed while the object is locked only before it is published; to be safe, publish it\n")
                .append("after releasing the other lock, or take the locks in one order.\n");
    }

    static String scenarioEnd(List<String> cycle, List<Integer> edges) {
        return "(no deadlock as recorded: " + String.join(", ", edges.stream().map(i -> acquired(cycle, i)).toList())
                + " was locked there only before it was published)";
    }
}
