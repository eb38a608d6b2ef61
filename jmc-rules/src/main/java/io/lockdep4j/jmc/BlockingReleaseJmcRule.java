package io.lockdep4j.jmc;

import java.util.List;

/** JMC rule: a release method that closed or forced a file synchronously where it must not block. */
public final class BlockingReleaseJmcRule extends LockdepJmcRule {
    public BlockingReleaseJmcRule() {
        super("lockdep4j.BlockingRelease", "Blocking release", List.of("blocking-release"));
    }
}
