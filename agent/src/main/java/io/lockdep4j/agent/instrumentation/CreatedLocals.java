package io.lockdep4j.agent.instrumentation;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Follows, in one pass over a method's code, which locals hold an object this method created
 * ({@code INVOKESPECIAL <init>} directly followed by {@code ASTORE n}), so that
 * {@code synchronized (local)} on it can say so ({@code Hooks.monitorEnterCreatedHere}): a
 * transaction locked by the method that created it, before it is published.
 *
 * <p>Conservative where flow merges: a label that an earlier jump, switch or exception handler
 * targets forgets every local (another path may bring another object). The agent checks at run
 * time that no other thread locked the instance first, so a local that escaped before its lock
 * (passed to a call) and was locked elsewhere counts as published. What one pass cannot see is a
 * loop that later stores another object into the local; then the run-time check alone stands.
 */
final class CreatedLocals {
    private final BitSet created = new BitSet();
    private final Set<Label> mergeTargets = new HashSet<>();
    private boolean afterInit;
    private int loaded = -1; // the local just loaded (ALOAD n), while only DUP / ASTORE follow

    void methodInsn(int opcode, String name) {
        afterInit = opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name);
        loaded = -1;
    }

    void varInsn(int opcode, int var) {
        if (opcode == Opcodes.ALOAD) {
            loaded = var;
        } else if (opcode == Opcodes.ASTORE) {
            created.set(var, afterInit);
            // javac's synchronized (t): ALOAD t; DUP; ASTORE tmp; MONITORENTER keeps what was loaded
        } else {
            created.clear(var);
            loaded = -1;
        }
        afterInit = false;
    }

    /** DUP keeps the loaded local on top; any other instruction ends the pattern. */
    void insn(int opcode) {
        if (opcode != Opcodes.DUP) {
            loaded = -1;
        }
        afterInit = false;
    }

    /** Any other instruction (field, type, constant, iinc): ends the pattern. */
    void other() {
        loaded = -1;
        afterInit = false;
    }

    void jumpTo(Label... targets) {
        for (Label l : targets) {
            mergeTargets.add(l);
        }
        other();
    }

    void label(Label l) {
        if (mergeTargets.contains(l)) {
            created.clear();
        }
        other();
    }

    /** At MONITORENTER: the monitor is a local this method created. */
    boolean monitorIsCreatedHere() {
        return loaded >= 0 && created.get(loaded);
    }
}
