package io.lockdep4j.agent.instrumentation;

import java.util.Set;

/**
 * An instrumentation's first look at a class about to be defined, from its raw class file (name,
 * access flags, {@link ClassFacts}, supertypes read raw) before Byte Buddy parses it. When no
 * instrumentation's filter may match, the agent's transformer returns at once and Byte Buddy never
 * sees the class: most classes a JVM loads have nothing to rewrite, and describing, matching and
 * JIT-compiling Byte Buddy's work for each of them was most of the agent's start-up cost.
 *
 * <p>A filter must be conservative: it returns false only when {@link LockdepInstrumentation#types}
 * surely rejects the class (ClassFilterTest checks this on the JDK and on the class path).
 */
@FunctionalInterface
public interface ClassFilter {
    /** False only when the instrumentation surely does not match the class; never throws. */
    boolean mayMatch(ClassFacts c);

    /** Asks Byte Buddy about every class (the default of {@link LockdepInstrumentation#filter}). */
    ClassFilter ANY = c -> true;

    /** An instrumentation that is switched off. */
    ClassFilter NONE = c -> false;

    /** Exactly these classes, by binary name. */
    static ClassFilter named(String... names) {
        Set<String> set = Set.of(names);
        return c -> {
            String n = c.className();
            return n != null && set.contains(n);
        };
    }

    /**
     * Classes whose own or inherited names one of the patterns names; any class of the given
     * scope when its supertypes cannot be read (then only Byte Buddy can tell).
     */
    static boolean anyPatternNames(ClassFacts c, java.util.List<MethodPattern> patterns) {
        if (patterns.isEmpty()) {
            return false;
        }
        String[] names = TypeHierarchy.namesOf(c);
        if (names == null) {
            return true;
        }
        for (MethodPattern p : patterns) {
            if (p.matchesAnyName(names)) {
                return true;
            }
        }
        return false;
    }
}
