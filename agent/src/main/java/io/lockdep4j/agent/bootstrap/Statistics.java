package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.AgentStatisticsEvent;

/** Emits lockdep4j.AgentStatistics at the start and end of every chunk (registered by the agent). */
public final class Statistics implements Runnable {
    @Override
    public void run() {
        try {
            AgentStatisticsEvent e = new AgentStatisticsEvent();
            e.version = AgentConfig.version;
            e.options = AgentConfig.options;
            e.orderedLockClasses = AgentConfig.orderedLockClasses;
            e.lockClasses = LockClasses.count();
            e.chains = Recorder.chainCount;
            e.edges = Recorder.edgeCount;
            e.instrumentedClasses = AgentCounters.instrumentedClasses.get();
            e.droppedLockClasses = LockClasses.dropped;
            e.droppedChains = AgentCounters.droppedChains;
            e.droppedEdges = AgentCounters.droppedEdges;
            e.untrackedInstances = SharedInstances.untracked;
            e.droppedWaits = WaitsInProgress.dropped;
            e.depthOverflows = AgentCounters.depthOverflows;
            e.unmatchedReleases = AgentCounters.unmatchedReleases;
            e.staleHeldLocks = AgentCounters.staleHeldLocks;
            e.registryEntries = LockRegistry.size();
            e.droppedRegistrations = LockRegistry.dropped;
            e.agentFailures = AgentCounters.agentFailures.get();
            e.transformFailures = AgentCounters.transformFailures.get();
            e.classesSeen = AgentCounters.classesSeen.get();
            e.transformCacheHits = AgentCounters.transformCacheHits.get();
            e.onlineCycleChecks = AgentCounters.onlineCycleChecks;
            e.onlineCyclesFound = AgentCounters.onlineCyclesFound;
            e.onlineChecksGivenUp = AgentCounters.onlineChecksGivenUp;
            e.onlineReportsSuppressed = AgentCounters.onlineReportsSuppressed;
            e.transformTime = AgentCounters.transformNanos.get();
            e.commit();
        } catch (Throwable t) {
            AgentCounters.failure("statistics", t);
        }
    }
}
