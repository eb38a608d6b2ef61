package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.WaitWhileHoldingEvent;

/** One wait while holding locks, from WaitHooks.waitEnter to waitExit (or to the shutdown report, WaitsInProgress). */
final class WaitToken {
    long start;
    WaitWhileHoldingEvent event;
    /** Registered in WaitsInProgress. */
    boolean tracked;
    String waiterName;
    long waiterId;
    Throwable waiterStack;
}
