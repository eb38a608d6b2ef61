package io.lockdep4j.jmc;

import java.util.List;

/** JMC rule: a thread that waited (park, wait, join, future get) while it held a lock. */
public final class WaitWhileHoldingJmcRule extends LockdepJmcRule {
    public WaitWhileHoldingJmcRule() {
        super("lockdep4j.WaitWhileHolding", "Wait while holding a lock", List.of("wait-while-holding"));
    }
}
