package io.lockdep4j.jmc;

import java.util.List;

/** JMC rule: file handles never closed, reference counts that went below zero, and use after release. */
public final class LeaksJmcRule extends LockdepJmcRule {
    public LeaksJmcRule() {
        super("lockdep4j.Leaks", "Resource leaks and release misuse", List.of("resource-leak", "refcount-underflow", "use-after-release"));
    }
}
