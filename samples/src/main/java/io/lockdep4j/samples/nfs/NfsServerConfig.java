package io.lockdep4j.samples.nfs;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** Settings of one {@link NfsServer}. Mutable builder-style fields; read once at start. */
public final class NfsServerConfig {
    /** TCP port for both MOUNT and NFS; 0 = ephemeral. */
    public int port = 0;
    public String bindAddress = "127.0.0.1";
    /** Exported directory; null = a fresh temp directory. */
    public Path exportDir;
    /** The path clients mount (MOUNT3 MNT argument), e.g. {@code nfs://127.0.0.1/export/...}. */
    public String exportPath = "/export";
    public ReleaseMode releaseMode = ReleaseMode.DEFERRED;
    public Set<Hazard> hazards = EnumSet.noneOf(Hazard.class);
    /** RPC worker threads ("nfsd" threads). */
    public int workerThreads = 8;
    /** File cache reaper period. */
    public long reaperPeriodMs = 200;
    /** Open-state recovery period (simulated server reboot); 0 = only on demand. */
    public long recoveryEveryMs = 1000;
    /** Grace period a recovery waits for clients to reclaim before it takes the state lock. */
    public long graceMs = 50;
    /** Longest a request waits for a recovery to finish (bounded so the hazard degrades instead of hanging). */
    public long recoveryWaitMs = 2000;
    /** Period of the in-process LOCALIO client; 0 = no local I/O client. */
    public long localIoPeriodMs = 100;
    /** Watchdog that breaks a real lock-inversion deadlock in the hazard variant. */
    public long inversionWatchdogMs = 2000;
    /** Maximum entries in the file cache before the reaper trims unreferenced ones. */
    public int cacheMaxEntries = 256;

    public boolean hazard(Hazard h) {
        return hazards.contains(h);
    }

    /** {@code --hazard=sync-release} and {@code --release-mode sync} are the same switch. */
    public ReleaseMode effectiveReleaseMode() {
        return hazard(Hazard.SYNC_RELEASE) ? ReleaseMode.SYNC : releaseMode;
    }

    @Override
    public String toString() {
        return "port=" + port + " export=" + exportDir + " exportPath=" + exportPath + " releaseMode="
                + effectiveReleaseMode() + " hazards=" + hazards + " recoveryEveryMs=" + recoveryEveryMs;
    }
}
