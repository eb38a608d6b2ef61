package io.lockdep4j.analyzers.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** Loads the rules listed in {@code META-INF/services/io.lockdep4j.analyzers.rules.Rule}. */
public final class Rules {
    private Rules() {}

    /** Every listed rule, sorted by id. */
    public static List<Rule> load() {
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Rule r : ServiceLoader.load(Rule.class, Rules.class.getClassLoader())) {
            if (!ids.add(r.id())) {
                throw new IllegalStateException("two rules share the id " + r.id());
            }
            rules.add(r);
        }
        rules.sort(Comparator.comparing(Rule::id));
        return rules;
    }
}
