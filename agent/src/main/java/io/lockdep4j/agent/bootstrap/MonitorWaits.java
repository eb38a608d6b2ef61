package io.lockdep4j.agent.bootstrap;

/**
 * The call targets that replace {@code Object.wait/notify/notifyAll} and {@code Thread.sleep} at
 * their call sites (MonitorWaitInstrumentation): {@code Object.wait} is native and final, so the
 * only place to see it is the caller. Each runs its hook and then the real call, with the same
 * arguments and exceptions.
 */
public final class MonitorWaits {
    private MonitorWaits() {}

    public static void wait(Object monitor) throws InterruptedException {
        Object token = WaitHooks.monitorWaitEnter(monitor, 0);
        try {
            monitor.wait();
        } finally {
            WaitHooks.waitExit(token);
        }
    }

    public static void wait(Object monitor, long millis) throws InterruptedException {
        Object token = WaitHooks.monitorWaitEnter(monitor, millis > 0 ? millis * 1_000_000L : 0);
        try {
            monitor.wait(millis);
        } finally {
            WaitHooks.waitExit(token);
        }
    }

    public static void wait(Object monitor, long millis, int nanos) throws InterruptedException {
        Object token = WaitHooks.monitorWaitEnter(monitor, millis > 0 || nanos > 0 ? millis * 1_000_000L + nanos : 0);
        try {
            monitor.wait(millis, nanos);
        } finally {
            WaitHooks.waitExit(token);
        }
    }

    public static void notify(Object monitor) {
        WaitHooks.monitorSignal(monitor, "notify");
        monitor.notify();
    }

    public static void notifyAll(Object monitor) {
        WaitHooks.monitorSignal(monitor, "notifyAll");
        monitor.notifyAll();
    }

    public static void sleep(long millis) throws InterruptedException {
        Object token = WaitHooks.sleepEnter(millis * 1_000_000L);
        try {
            Thread.sleep(millis);
        } finally {
            WaitHooks.waitExit(token);
        }
    }

    public static void sleep(long millis, int nanos) throws InterruptedException {
        Object token = WaitHooks.sleepEnter(millis * 1_000_000L + nanos);
        try {
            Thread.sleep(millis, nanos);
        } finally {
            WaitHooks.waitExit(token);
        }
    }
}
