package io.lockdep4j.tests.workloads;

/**
 * Issue 16 point 1: an edge's held-lock stack must be where *this* thread took the held lock on
 * *this* path. {@code java -cp test-classes io.lockdep4j.tests.workloads.HeldStackScenarios NAME}.
 * Threads run one after another (joined), so nothing deadlocks.
 *
 * <ul>
 *   <li>{@code other-thread-first}: "early" takes {@code first} alone (takesFirstAlone), then
 *       "late" takes {@code first} then {@code second} (takesFirstThenSecond), then "reverse" takes
 *       them the other way. The chain {@code [first]} was first seen on "early", whose stack is
 *       another path: the edge must show takesFirstThenSecond.</li>
 *   <li>{@code same-thread-first}: one thread takes {@code first} alone and later on the path that
 *       takes {@code second}: its second acquisition of {@code first} followed a known chain and
 *       recorded no stack, so the edge must say so and never show takesFirstAlone.</li>
 * </ul>
 */
public final class HeldStackScenarios {
    static final Object first = new Object();
    static final Object second = new Object();

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        switch (name) {
            case "other-thread-first":
                run("early", HeldStackScenarios::takesFirstAlone);
                run("late", HeldStackScenarios::takesFirstThenSecond);
                run("reverse", HeldStackScenarios::takesSecondThenFirst);
                break;
            case "same-thread-first":
                run("both", () -> {
                    takesFirstAlone();
                    takesFirstThenSecond();
                });
                run("reverse", HeldStackScenarios::takesSecondThenFirst);
                break;
            default:
                System.err.println("unknown scenario '" + name + "'");
                System.exit(3);
        }
        System.out.println("scenario " + name + " done");
    }

    static void run(String thread, Runnable r) throws InterruptedException {
        Thread t = new Thread(r, thread);
        t.start();
        t.join();
    }

    static void takesFirstAlone() {
        synchronized (first) {
            Thread.onSpinWait();
        }
    }

    static void takesFirstThenSecond() {
        synchronized (first) {
            synchronized (second) {
                Thread.onSpinWait();
            }
        }
    }

    static void takesSecondThenFirst() {
        synchronized (second) {
            synchronized (first) {
                Thread.onSpinWait();
            }
        }
    }
}
