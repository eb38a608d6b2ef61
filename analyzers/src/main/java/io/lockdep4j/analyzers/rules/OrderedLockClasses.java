package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.EdgeObservation;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.RecordingSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lock classes the program declares ordered (agent option {@code orderedLockClasses}): their instances
 * are always taken in one order (by id, parent before child), Linux lockdep's nesting annotation.
 * A nesting of two instances of such a class is not a hazard, and neither is a cycle that closes only
 * through two different instances of it: {@code parent._lock -> Child -> grandchild._lock} in a
 * lifecycle tree is the class nested in itself, one level apart, not an inversion. Pure functions.
 */
final class OrderedLockClasses {
    private OrderedLockClasses() {}

    /** Every recording's declaration, merged. */
    static Set<String> of(LockModel model) {
        Set<String> ordered = new TreeSet<>();
        for (RecordingSummary r : model.recordings()) {
            ordered.addAll(r.orderedLockClasses());
        }
        return ordered;
    }

    /** Exact names, or a prefix ending in {@code *}. */
    static boolean contains(Set<String> ordered, String lockClass) {
        for (String o : ordered) {
            if (o.equals(lockClass) || (o.endsWith("*") && lockClass.startsWith(o.substring(0, o.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ordered lock class through which {@code cycle} closes only by entering one instance and
     * leaving from another, or null. Evidence: no observation of the edge into it acquired the very
     * instance (same recording) that an observation of the edge out of it held.
     */
    static String nestingIn(LockModel model, List<String> cycle, Set<String> ordered) {
        if (ordered.isEmpty()) {
            return null;
        }
        int n = cycle.size();
        for (int i = 0; i < n; i++) {
            String lock = cycle.get(i);
            if (!contains(ordered, lock)) {
                continue;
            }
            Optional<LockEdge> in = model.edge(cycle.get((i + n - 1) % n), lock);
            Optional<LockEdge> out = model.edge(lock, cycle.get((i + 1) % n));
            if (in.isEmpty() || out.isEmpty() || !sameInstance(in.get(), out.get())) {
                return lock;
            }
        }
        return null;
    }

    private static boolean sameInstance(LockEdge in, LockEdge out) {
        for (EdgeObservation a : in.observations()) {
            for (EdgeObservation b : out.observations()) {
                if (a.thread().recording() == b.thread().recording() && a.acquiredInstance() == b.heldInstance()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The cycle finding, downgraded to info because it runs through the nesting of an ordered class. */
    static Finding asInfo(Finding f, String ordered) {
        Map<String, Object> details = new LinkedHashMap<>(f.details());
        details.put("throughOrderedLockClass", ordered);
        String text = f.explanation() + "\nThe cycle closes only through two different instances of " + ordered
                + ", declared ordered (agent option orderedLockClasses): one instance nested in another, not an inversion,"
                + " as long as every thread takes its instances in that order.\n";
        return new Finding(f.rule(), Severity.INFO, f.title() + " (through ordered " + ordered + ")", f.locks(), f.key(), text, details);
    }
}
