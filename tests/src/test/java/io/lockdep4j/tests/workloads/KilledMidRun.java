package io.lockdep4j.tests.workloads;

/**
 * Takes a lock-order cycle (A then B on one thread, B then A on another, one after the other, so
 * it never deadlocks), prints {@code cycle done}, then waits to be killed: the end-to-end test kills
 * it with SIGKILL, so no recording is ever dumped and only JFR's repository remains.
 */
public final class KilledMidRun {
    static final class AccountLock {}

    static final class LedgerLock {}

    public static void main(String[] args) throws Exception {
        Object accounts = new AccountLock();
        Object ledger = new LedgerLock();
        Thread t1 = new Thread(() -> {
            synchronized (accounts) {
                synchronized (ledger) {
                    Thread.onSpinWait();
                }
            }
        }, "transfer");
        t1.start();
        t1.join();
        Thread t2 = new Thread(() -> {
            synchronized (ledger) {
                synchronized (accounts) {
                    Thread.onSpinWait();
                }
            }
        }, "audit");
        t2.start();
        t2.join();
        System.out.println("pid " + ProcessHandle.current().pid());
        System.out.println("cycle done");
        System.out.flush();
        while (true) {
            Thread.sleep(1000);
        }
    }
}
