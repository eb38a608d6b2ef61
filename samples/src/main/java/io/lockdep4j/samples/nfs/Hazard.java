package io.lockdep4j.samples.nfs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The hazards the sample can switch on ({@code --hazard=a,b,...} or {@code --hazard=all}); all off by default. */
public enum Hazard {
    /** The change notifier's listener closes and forces the cached file in-line in the callback. */
    FSYNC_IN_NOTIFIER("fsync-in-notifier"),
    /** The file cache's final put closes and forces in-line while holding {@code NfsFileCache.lruLock}. */
    SYNC_RELEASE("sync-release"),
    /** Write-verifier readers hold {@code ServerStateRecovery.recoveryRwLock} (read) while waiting for recovery. */
    RECOVERY_RWSEM("recovery-rwsem"),
    /** The local I/O client keeps using the server after it shut down. */
    LOCALIO_USE_AFTER_SHUTDOWN("localio-use-after-shutdown"),
    /** The cache reaper takes lruLock then namespaceLock; namespace operations take them the other way. */
    LOCK_INVERSION("lock-inversion"),
    /** READ opens a probe FileChannel that is never closed. */
    LEAK("leak");

    private final String option;

    Hazard(String option) {
        this.option = option;
    }

    public String option() {
        return option;
    }

    public static Set<Hazard> parse(String list) {
        EnumSet<Hazard> set = EnumSet.noneOf(Hazard.class);
        if (list == null || list.isBlank()) {
            return set;
        }
        for (String raw : list.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("none")) {
                continue;
            }
            if (name.equals("all")) {
                set.addAll(EnumSet.allOf(Hazard.class));
                continue;
            }
            Hazard found = null;
            for (Hazard h : values()) {
                if (h.option.equals(name) || h.name().equalsIgnoreCase(name)) {
                    found = h;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown hazard '" + raw + "'; known: " + known());
            }
            set.add(found);
        }
        return set;
    }

    public static String known() {
        StringBuilder b = new StringBuilder();
        for (Hazard h : values()) {
            b.append(h.option).append(',');
        }
        return b.append("all").toString();
    }
}
