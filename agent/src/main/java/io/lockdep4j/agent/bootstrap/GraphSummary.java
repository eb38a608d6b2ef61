package io.lockdep4j.agent.bootstrap;

/**
 * Emits lockdep4j.LockGraphSummary at the end of every chunk (registered by the agent with
 * FlightRecorder.addPeriodicEvent). Runs on JFR's own thread, never on an application thread.
 */
public final class GraphSummary implements Runnable {
    @Override
    public void run() {
        HeldLocks h = null;
        boolean wasBusy = false;
        try {
            // the formatting below must not be recorded as the host's locking
            h = ThreadRecords.current();
            wasBusy = h.busy;
            h.busy = true;
            EdgeSummary.emit(Recorder.summarySnapshot());
        } catch (Throwable t) {
            AgentCounters.failure("graphSummary", t);
        } finally {
            if (h != null) {
                h.busy = wasBusy;
            }
        }
    }
}
