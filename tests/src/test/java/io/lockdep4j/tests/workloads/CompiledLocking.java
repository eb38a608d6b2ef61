package io.lockdep4j.tests.workloads;

/**
 * The shapes of locking code javac emits, each called often enough for the JIT to compile it
 * (CompilationEndToEndTest): the agent's hooks must not make a compiler refuse the method.
 */
public final class CompiledLocking {
    private final Object a = new Object();
    private final Object b = new Object();
    private final Object c = new Object();
    private long n;

    long block() {
        synchronized (a) {
            return ++n;
        }
    }

    long nested() {
        synchronized (a) {
            synchronized (b) {
                return ++n;
            }
        }
    }

    long blockWithCatch(String s) {
        synchronized (b) {
            try {
                return n += Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return n;
            }
        }
    }

    synchronized long method() {
        return ++n;
    }

    long loopInBlock(int k) {
        long sum = 0;
        synchronized (a) {
            for (int i = 0; i < k; i++) {
                sum += i ^ n;
            }
        }
        return sum;
    }

    /** Leaves both blocks by their handlers: their releases must be recorded as the normal path's are. */
    long throwsOut(int i) {
        synchronized (a) {
            synchronized (b) {
                if ((i & 1) == 0) {
                    throw new IllegalStateException("out of both blocks");
                }
                return ++n;
            }
        }
    }

    /** Taken only alone: an edge into it means a release above was lost. */
    long alone() {
        synchronized (c) {
            return ++n;
        }
    }

    public static void main(String[] args) {
        CompiledLocking c = new CompiledLocking();
        long sum = 0;
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        for (int i = 0; i < calls; i++) {
            sum += c.block() + c.nested() + c.blockWithCatch((i & 255) == 0 ? "x" : "1") + c.method() + c.loopInBlock(3);
            try {
                sum += c.throwsOut(i);
            } catch (IllegalStateException expected) {
                sum++;
            }
            sum += c.alone();
        }
        System.out.println("done " + sum);
    }
}
