package io.lockdep4j.jmc;

import java.util.List;

/** JMC rule: a file force (fsync) that ran inside a notifier context, which must not block. */
public final class FsyncInNotifierJmcRule extends LockdepJmcRule {
    public FsyncInNotifierJmcRule() {
        super("lockdep4j.FsyncInNotifier", "Force to disk in a notifier", List.of("fsync-in-notifier"));
    }
}
