package io.lockdep4j.agent.instrumentation;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;

/**
 * Where MonitorBlockInstrumentation puts the release hook of a MONITOREXIT inside an exception
 * range that covers its own handler: after the MONITOREXIT and after the range's end.
 *
 * <p>javac's handler that releases a synchronized block's monitor when the block throws covers its
 * own first instructions (an entry {@code [H, E) -> H} over {@code ASTORE t; ALOAD m; MONITOREXIT},
 * so that an asynchronous exception there retries the release; around a nested block, the outer
 * entry covers the inner handler and its own, {@code [Hin, E) -> Hout}). C1 accepts that only while nothing
 * in that handler's first basic block can throw: an invoke there makes it give up on the whole
 * method ({@code COMPILE SKIPPED: exception handler covers itself}, c1_GraphBuilder.cpp,
 * GraphBuilder::handle_exception), and an invoke left outside every handler while the monitor is
 * still held is refused too ({@code invalid parsing}). With the hook before that MONITOREXIT, every
 * instrumented method with a synchronized block ran in the interpreter until C2 compiled it,
 * thousands of calls later; a short-lived JVM (a test fork) never got there.
 *
 * <p>So there the monitor is duplicated before the MONITOREXIT and the hook is called with it right
 * after the range's end label: the monitor is released by then, so nothing needs to cover the call.
 * When that label is a jump target (a stack map frame follows it, which cannot describe the extra
 * operand) or something other than the end comes first, the call is made where it would have been
 * before this existed, so the code stays valid whatever compiled it.
 */
final class SelfCoveringHandlers {
    /** Emits the hook call; the monitor is on the operand stack. */
    interface Call {
        void emit();
    }

    private static final int NONE = 0;
    /** The MONITOREXIT was passed on with the monitor duplicated below it: the call is owed. */
    private static final int AFTER_EXIT = 1;
    /** And the range's end label arrived: held back (with its line numbers) until we know no frame follows. */
    private static final int AT_END = 2;

    private final MethodVisitor next;
    private final Call call;
    /** One try-catch entry and where the code passed on so far is relative to it. */
    private static final class Entry {
        final Label start;
        final Label end;
        final Label handler;
        boolean open; // its start was passed on, its end not yet
        boolean coversItself; // open, and its handler was passed on since its start

        Entry(Label start, Label end, Label handler) {
            this.start = start;
            this.end = end;
            this.handler = handler;
        }
    }

    private final List<Entry> entries = new ArrayList<>(4);
    private int state = NONE;
    private Label heldEnd;
    private final List<Integer> heldLines = new ArrayList<>(1);

    SelfCoveringHandlers(MethodVisitor next, Call call) {
        this.next = next;
        this.call = call;
    }

    /** Every try-catch entry, before the code. */
    void tryCatchBlock(Label start, Label end, Label handler) {
        entries.add(new Entry(start, end, handler));
    }

    /**
     * At a MONITOREXIT, before it is passed on: whether the call is deferred (then the caller
     * emits {@code DUP; MONITOREXIT} and nothing else), or must be made now, before the MONITOREXIT.
     */
    boolean deferCall() {
        settle();
        if (!insideOwnHandler()) {
            return false;
        }
        state = AFTER_EXIT;
        return true;
    }

    /** In place of passing a label on. */
    void label(Label label) {
        if (state == AFTER_EXIT && endsCoveringRange(label)) {
            state = AT_END;
            heldEnd = label;
            return;
        }
        settle();
        pass(label);
    }

    /** In place of passing a line number on. */
    void lineNumber(int line, Label start) {
        if (state == AT_END && start == heldEnd) {
            heldLines.add(line);
            return;
        }
        settle();
        next.visitLineNumber(line, start);
    }

    /** Before a stack map frame is passed on: the held label is a jump target, so the call goes before it. */
    void beforeFrame() {
        if (state == AT_END) {
            call.emit();
            state = NONE;
            release();
        } else {
            settle();
        }
    }

    /** Before any instruction (and the end of the code) is passed on: the owed call is made now. */
    void settle() {
        if (state == AFTER_EXIT) {
            call.emit();
        } else if (state == AT_END) {
            release();
            call.emit();
        }
        state = NONE;
    }

    private void release() {
        Label l = heldEnd;
        heldEnd = null;
        pass(l);
        for (int line : heldLines) {
            next.visitLineNumber(line, l);
        }
        heldLines.clear();
    }

    private void pass(Label label) {
        next.visitLabel(label);
        for (Entry e : entries) {
            if (e.end == label) {
                e.open = false;
                e.coversItself = false;
            }
            if (e.start == label) {
                e.open = true;
            }
            if (e.handler == label && e.open) {
                e.coversItself = true;
            }
        }
    }

    /** The code passed on so far is in a range that covers its own handler, after that handler's start. */
    private boolean insideOwnHandler() {
        for (Entry e : entries) {
            if (e.coversItself) {
                return true;
            }
        }
        return false;
    }

    private boolean endsCoveringRange(Label label) {
        for (Entry e : entries) {
            if (e.coversItself && e.end == label) {
                return true;
            }
        }
        return false;
    }
}
