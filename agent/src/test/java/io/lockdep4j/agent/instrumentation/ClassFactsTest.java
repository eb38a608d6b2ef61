package io.lockdep4j.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/** The raw scan never misses what the rewriting instrumentations look for (ASM is the reference). */
class ClassFactsTest {
    /** The lambdas ASM found in the class truth() read last: "functional interface method". */
    private static final List<String> lambdas = new ArrayList<>();

    /** What ASM finds: the facts a class must have for the scan to be sound. */
    static int truth(byte[] bytes) {
        lambdas.clear();
        int[] flags = {0};
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if ((access & Opcodes.ACC_SYNCHRONIZED) != 0 && (access & Opcodes.ACC_NATIVE) == 0) {
                    flags[0] |= ClassFacts.SYNCHRONIZED_METHOD;
                }
                if (name.equals("<clinit>")) {
                    flags[0] |= ClassFacts.STATIC_INITIALIZER;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInvokeDynamicInsn(String sam, String desc, net.bytebuddy.jar.asm.Handle bsm, Object... args) {
                        // what ContextInstrumentation.lambdaContexts counts: a lambda body (lambda$...), not a method reference
                        if (bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory") && args.length >= 2
                                && args[1] instanceof net.bytebuddy.jar.asm.Handle
                                && ((net.bytebuddy.jar.asm.Handle) args[1]).getName().startsWith("lambda$")) {
                            lambdas.add(net.bytebuddy.jar.asm.Type.getReturnType(desc).getInternalName() + " " + sam);
                        }
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT) {
                            flags[0] |= ClassFacts.MONITOR_BLOCK;
                        }
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        if (opcode == Opcodes.NEW && LockAllocationInstrumentation.NAMED_TYPES.containsKey(type)) {
                            flags[0] |= ClassFacts.LOCK_ALLOCATION;
                        }
                        if (opcode == Opcodes.NEW && FileOpenSiteInstrumentation.OPENED_TYPES.contains(type)) {
                            flags[0] |= ClassFacts.FILE_SITE;
                        }
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                        if (MonitorWaitInstrumentation.replacement(opcode, owner, name, descriptor) != null) {
                            flags[0] |= ClassFacts.WAIT_CALL;
                        }
                        if (owner.equals("java/nio/channels/FileChannel") || owner.equals("java/io/FileDescriptor")
                                || FileOpenSiteInstrumentation.OPENED_TYPES.contains(owner)
                                || owner.equals("java/nio/file/Files") && FileOpenSiteInstrumentation.FILES_OPENERS.contains(name)) {
                            flags[0] |= ClassFacts.FILE_SITE;
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return flags[0];
    }

    private static int checked;
    private static int lambdasChecked;
    private static final int[] seen = new int[ClassFacts.ALL + 1];

    private static void check(String name, byte[] bytes) {
        int truth = truth(bytes);
        int scanned = ClassFacts.scan(bytes);
        assertEquals(truth, truth & scanned, () -> name + ": scan " + scanned + " misses part of " + truth);
        if (!lambdas.isEmpty()) {
            // ContextInstrumentation skips parsing the code of a class whose call sites name no matching interface
            String[] targets = new ClassFacts(null, bytes, null).indyTargets();
            List<String> named = new ArrayList<>();
            for (int i = 0; targets != null && i < targets.length; i += 2) {
                named.add(targets[i] + " " + targets[i + 1]);
            }
            assertTrue(named.containsAll(lambdas), () -> name + ": call sites " + named + " miss lambdas of " + lambdas);
            lambdasChecked++;
        }
        checked++;
        seen[scanned & ClassFacts.ALL]++;
    }

    @Test
    void neverMissesInJdkAndClassPathClasses() throws IOException {
        ClassFilesOnHand.forEach(List.of("java.base", "java.desktop", "java.logging", "java.sql", "jdk.jfr"),
                System.getProperty("java.class.path"), ClassFactsTest::check);
        assertTrue(checked > 10_000, "checked " + checked);
        assertTrue(lambdasChecked > 300, "classes with lambdas checked: " + lambdasChecked);
        // the point of the scan: most classes have none of the facts
        assertTrue(seen[0] > checked / 2, "classes without facts: " + seen[0] + " of " + checked);
    }

    @Test
    void garbageCountsAsEverything() {
        assertEquals(ClassFacts.ALL, ClassFacts.scan(new byte[] {1, 2, 3}));
        assertEquals(ClassFacts.ALL, ClassFacts.scan(null));
        byte[] truncated = new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 5, 1, 0, 9};
        assertEquals(ClassFacts.ALL, ClassFacts.scan(truncated));
    }

    @Test
    void synchronizedMonitorAndAllocation() {
        int f = ClassFacts.scan(bytesOf(Sample.class));
        assertEquals(ClassFacts.SYNCHRONIZED_METHOD | ClassFacts.MONITOR_BLOCK | ClassFacts.LOCK_ALLOCATION, f & ClassFacts.ALL);
        assertEquals(0, ClassFacts.scan(bytesOf(Plain.class)));
    }

    /** Most classes that name Files only ask about files: only a call of an opener makes a file site (start-up cost). */
    @Test
    void onlyFilesOpenersMakeAFileSite() {
        assertEquals(0, ClassFacts.scan(bytesOf(AsksFiles.class)) & ClassFacts.FILE_SITE);
        assertEquals(ClassFacts.FILE_SITE, ClassFacts.scan(bytesOf(OpensThroughFiles.class)) & ClassFacts.FILE_SITE);
    }

    static final class AsksFiles {
        boolean present(Path p) throws IOException {
            return Files.exists(p) && Files.readAllBytes(p).length > 0;
        }
    }

    static final class OpensThroughFiles {
        InputStream open(Path p) throws IOException {
            return Files.newInputStream(p);
        }
    }

    static byte[] bytesOf(Class<?> c) {
        try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static final class Sample {
        final Object lock = new Object();
        final java.util.concurrent.locks.ReentrantLock rl = new java.util.concurrent.locks.ReentrantLock();

        synchronized void a() {}

        void b() {
            synchronized (lock) {
                rl.lock();
            }
        }
    }

    static final class Plain {
        final Map<String, String> m = Map.of();

        int size() {
            return m.size();
        }
    }
}
