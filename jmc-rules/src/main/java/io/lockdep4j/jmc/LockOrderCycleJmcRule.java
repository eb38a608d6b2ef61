package io.lockdep4j.jmc;

import java.util.List;

/** JMC rule: a cycle in the lock-order graph: two threads took the same lock classes in opposite orders. */
public final class LockOrderCycleJmcRule extends LockdepJmcRule {
    public LockOrderCycleJmcRule() {
        super("lockdep4j.LockOrderCycle", "Lock order cycle (possible deadlock)", List.of("lock-order-cycle"));
    }
}
