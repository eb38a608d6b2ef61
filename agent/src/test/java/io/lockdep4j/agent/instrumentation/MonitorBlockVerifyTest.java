package io.lockdep4j.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;

/**
 * What MonitorBlockInstrumentation makes of real code still verifies, and keeps its hook calls out of
 * the exception ranges that cover their own handler (C1 refuses a method with an invoke there, see
 * SelfCoveringHandlers): every class with a {@code synchronized} block in the JDK's main modules and
 * on the test class path (javac's, and kotlinc's, groovyc's and scalac's through kotlin-stdlib, groovy
 * and scala-reflect), rewritten by the monitor visitor alone and checked by ASM's verifier
 * (operand stack heights and basic types along every path, exception edges included).
 * {@code -Dlockdep4j.verifyJars=a.jar:b.jar} checks more jars the same way.
 */
class MonitorBlockVerifyTest {
    private int classes;
    private int methods;
    private final List<String> failures = new ArrayList<>();

    @Test
    void everySynchronizedBlockStillVerifiesWithItsHooks() throws IOException {
        String extra = System.getProperty("lockdep4j.verifyJars", "");
        ClassFilesOnHand.forEach(List.of("java.base", "java.desktop", "java.logging", "java.sql", "java.management", "jdk.jfr"),
                System.getProperty("java.class.path") + java.io.File.pathSeparator + extra, this::check);
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " methods fail");
        assertTrue(classes > 1_000 && methods > 1_500, classes + " classes, " + methods + " methods with a synchronized block");
    }

    /** A hand-written method whose self-covering handler holds no MONITOREXIT: the range is passed on untouched. */
    @Test
    void aSelfCoveringRangeWithoutMonitorExitIsLeftAsItWas() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, "T", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "m", "()V", null, null);
        mv.visitCode();
        net.bytebuddy.jar.asm.Label start = new net.bytebuddy.jar.asm.Label();
        net.bytebuddy.jar.asm.Label end = new net.bytebuddy.jar.asm.Label();
        mv.visitTryCatchBlock(start, end, start, null);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(start); // only the exception gets here (no frames: class version 52 without COMPUTE_FRAMES is not verified here)
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(end);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] in = cw.toByteArray();
        assertEquals(List.of(), verify("T", rewrite(in)));
        ClassNode out = node(rewrite(in));
        assertEquals(1, out.methods.get(0).tryCatchBlocks.size());
    }

    private void check(String name, byte[] bytes) {
        if ((ClassFacts.scan(bytes) & ClassFacts.MONITOR_BLOCK) == 0) {
            return;
        }
        byte[] out;
        try {
            out = rewrite(bytes);
        } catch (RuntimeException e) {
            failures.add(name + ": rewrite threw " + e);
            return;
        }
        classes++;
        failures.addAll(verify(name, out));
    }

    static byte[] rewrite(byte[] bytes) {
        ClassWriter cw = new ClassWriter(0);
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9, cw) {
            @Override
            public MethodVisitor visitMethod(int access, String n, String d, String s, String[] e) {
                return new MonitorBlockInstrumentation.MonitorHookVisitor(super.visitMethod(access, n, d, s, e), 0);
            }
        }, 0);
        return cw.toByteArray();
    }

    static ClassNode node(byte[] bytes) {
        ClassNode cn = new ClassNode();
        new org.objectweb.asm.ClassReader(bytes).accept(cn, 0);
        return cn;
    }

    private List<String> verify(String name, byte[] out) {
        List<String> bad = new ArrayList<>();
        ClassNode cn = node(out);
        for (MethodNode m : cn.methods) {
            if (m.instructions.size() == 0 || !hasMonitorExit(m)) {
                continue;
            }
            methods++;
            try {
                new Analyzer<BasicValue>(new BasicVerifier()).analyze(cn.name, m);
            } catch (AnalyzerException e) {
                bad.add(name + " " + m.name + m.desc + ": " + e.getMessage());
            }
            String covered = hookInOwnHandler(m);
            if (covered != null) {
                bad.add(name + " " + m.name + m.desc + ": " + covered);
            }
        }
        return bad;
    }

    private static boolean hasMonitorExit(MethodNode m) {
        for (org.objectweb.asm.tree.AbstractInsnNode i : m.instructions) {
            if (i.getOpcode() == Opcodes.MONITOREXIT) {
                return true;
            }
        }
        return false;
    }

    /**
     * A hook call inside a range that covers its handler, in the handler's first block (from the
     * handler up to the next label that anything jumps to): what C1 refuses. Null when there is none.
     */
    private static String hookInOwnHandler(MethodNode m) {
        java.util.Set<org.objectweb.asm.tree.LabelNode> targets = new java.util.HashSet<>();
        for (org.objectweb.asm.tree.AbstractInsnNode i : m.instructions) {
            if (i instanceof org.objectweb.asm.tree.JumpInsnNode j) {
                targets.add(j.label);
            } else if (i instanceof org.objectweb.asm.tree.TableSwitchInsnNode t) {
                targets.add(t.dflt);
                targets.addAll(t.labels);
            } else if (i instanceof org.objectweb.asm.tree.LookupSwitchInsnNode t) {
                targets.add(t.dflt);
                targets.addAll(t.labels);
            }
        }
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            targets.add(t.handler);
        }
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            int start = m.instructions.indexOf(t.start);
            int end = m.instructions.indexOf(t.end);
            int handler = m.instructions.indexOf(t.handler);
            if (handler < start || handler >= end) {
                continue;
            }
            for (int k = handler + 1; k < end; k++) {
                org.objectweb.asm.tree.AbstractInsnNode i = m.instructions.get(k);
                if (i instanceof org.objectweb.asm.tree.LabelNode l && targets.contains(l)) {
                    break; // another block begins
                }
                if (i instanceof org.objectweb.asm.tree.MethodInsnNode call && call.owner.equals("io/lockdep4j/agent/bootstrap/Hooks")) {
                    return "Hooks." + call.name + " inside the range that covers its own handler";
                }
            }
        }
        return null;
    }
}
