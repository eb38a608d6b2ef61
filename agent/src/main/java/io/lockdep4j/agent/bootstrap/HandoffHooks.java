package io.lockdep4j.agent.bootstrap;

import io.lockdep4j.events.DeferredRunEvent;

/**
 * Hand-offs inside a release method and the runs of the tasks they handed off
 * (ExecutorHandoffInstrumentation, FutureTaskInstrumentation, ThreadPoolWorkerInstrumentation):
 * a hand-off counts into the innermost release (ReleaseMethodHooks.Stack) and tags its task with the
 * release's id ({@link ReleaseMethodHooks#TASKS}); when a tagged task runs, the executor thread's
 * closes are attributed to that release and the run is reported as a DeferredRun. Outside a release
 * a hand-off is one thread-record read (ThreadRecords); with nothing tagged a run is one volatile read.
 */
public final class HandoffHooks {
    private HandoffHooks() {}

    private static final DeferredRunEvent RUN_PROBE = new DeferredRunEvent();

    /**
     * Before a hand-off method (Executor.execute, ExecutorService.submit, configured ones).
     * Outside a release method: one thread-record read (ThreadRecords). Inside: tags the task (argument 0).
     * Returns whether it counted (pass that to handoffExit).
     */
    public static boolean handoffEnter(Object task) {
        HeldLocks h = HookGuard.enter();
        if (h == null) {
            return false;
        }
        try {
            ReleaseMethodHooks.Stack s = h.releases;
            if (s == null || s.depth == 0) {
                return false;
            }
            int d = s.top();
            if (s.handoffDepth++ == 0) {
                s.handoffs[d]++;
                String held = HeldLockText.write(h);
                ReleaseMethodHooks.noteHeld(h, held, ContextHooks.describe(h));
                ContextHooks.markOperation(h, held);
            }
            if (task != null) {
                long id = s.currentId(h.threadId);
                ReleaseMethodHooks.TASKS.put(task, new TaskTag(id, s.types[d] + '#' + s.methods[d],
                        Thread.currentThread().getName(), System.nanoTime()));
            }
            return true;
        } catch (Throwable t) {
            AgentCounters.failure("handoffEnter", t);
            return false;
        } finally {
            HookGuard.exit(h);
        }
    }

    public static void handoffExit(boolean counted) {
        if (!counted) {
            return;
        }
        try {
            ReleaseMethodHooks.Stack s = HookGuard.current().releases;
            if (s != null && s.handoffDepth > 0) {
                s.handoffDepth--;
            }
        } catch (Throwable t) {
            AgentCounters.failure("handoffExit", t);
        }
    }

    /** Before a task runs (FutureTask.run). Nothing tagged anywhere: one volatile read. */
    public static Object runEnter(Object task) {
        if (ReleaseMethodHooks.TASKS.isEmpty()) {
            return null;
        }
        HeldLocks h = HookGuard.enterFor(task);
        if (h == null) {
            return null;
        }
        try {
            Object tag = ReleaseMethodHooks.TASKS.remove(task);
            if (!(tag instanceof TaskTag)) {
                return null;
            }
            ReleaseMethodHooks.Stack s = ReleaseMethodHooks.of(h);
            RunToken token = new RunToken((TaskTag) tag, s.running, s.runningCloses, task.getClass().getName());
            s.running = (TaskTag) tag;
            s.runningCloses = 0;
            if (RUN_PROBE.isEnabled()) {
                token.event = new DeferredRunEvent();
                token.event.begin();
            }
            return token;
        } catch (Throwable t) {
            AgentCounters.failure("runEnter", t);
            return null;
        } finally {
            HookGuard.exit(h);
        }
    }

    public static void runExit(Object token) {
        if (!(token instanceof RunToken)) {
            return;
        }
        try {
            HeldLocks h = HookGuard.current();
            ReleaseMethodHooks.Stack s = ReleaseMethodHooks.of(h);
            RunToken r = (RunToken) token;
            boolean wasBusy = HookGuard.claim(h);
            try {
                if (r.event != null) {
                    DeferredRunEvent e = r.event;
                    e.end();
                    e.releaseId = r.tag.releaseId;
                    e.releaseMethod = r.tag.releaseMethod;
                    e.taskClass = r.taskClass;
                    e.queueLag = r.startNanos - r.tag.enqueuedNanos;
                    e.submitter = r.tag.submitter;
                    e.closes = s.runningCloses;
                    e.commit();
                }
            } finally {
                HookGuard.restore(h, wasBusy);
            }
            s.running = r.previous;
            s.runningCloses = r.previousCloses;
        } catch (Throwable t) {
            AgentCounters.failure("runExit", t);
        }
    }

    /** ThreadPoolExecutor.runWorker, just before task.run(): the token waits in the thread's state. */
    public static void workerRunStart(Object task) {
        if (ReleaseMethodHooks.TASKS.isEmpty()) {
            return;
        }
        Object token = runEnter(task);
        if (token != null) {
            try {
                ReleaseMethodHooks.of(HookGuard.current()).workerToken = token;
            } catch (Throwable t) {
                AgentCounters.failure("workerRunStart", t);
            }
        }
    }

    /** ThreadPoolExecutor.runWorker, just after task.run() returned. */
    public static void workerRunEnd() {
        try {
            ReleaseMethodHooks.Stack s = HookGuard.current().releases;
            if (s == null || s.workerToken == null) {
                return;
            }
            Object token = s.workerToken;
            s.workerToken = null;
            runExit(token);
        } catch (Throwable t) {
            AgentCounters.failure("workerRunEnd", t);
        }
    }

    static final class RunToken {
        final TaskTag tag;
        final TaskTag previous;
        final int previousCloses;
        final String taskClass;
        final long startNanos = System.nanoTime();
        DeferredRunEvent event;

        RunToken(TaskTag tag, TaskTag previous, int previousCloses, String taskClass) {
            this.tag = tag;
            this.previous = previous;
            this.previousCloses = previousCloses;
            this.taskClass = taskClass;
        }
    }
}
