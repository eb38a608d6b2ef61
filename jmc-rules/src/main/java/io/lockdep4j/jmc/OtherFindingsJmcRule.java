package io.lockdep4j.jmc;

import java.util.List;

/**
 * JMC rule: the findings of every lockdep4j analyzer rule that no hazard rule above claims, so a
 * rule added to the analyzers shows up in JMC without a change here.
 */
public final class OtherFindingsJmcRule extends LockdepJmcRule {
    public OtherFindingsJmcRule() {
        super("lockdep4j.OtherFindings", "Other lockdep4j findings", List.of("(any other lockdep4j rule)"),
                id -> !CLAIMED.contains(id));
    }
}
