package io.lockdep4j.agent.bootstrap;

/** What a release method's hand-off left on the task: which release, from where, when. */
final class TaskTag {
    final long releaseId;
    final String releaseMethod;
    final String submitter;
    final long enqueuedNanos;

    TaskTag(long releaseId, String releaseMethod, String submitter, long enqueuedNanos) {
        this.releaseId = releaseId;
        this.releaseMethod = releaseMethod;
        this.submitter = submitter;
        this.enqueuedNanos = enqueuedNanos;
    }
}
