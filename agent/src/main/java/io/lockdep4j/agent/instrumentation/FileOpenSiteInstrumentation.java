package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.OpenHandleHooks;
import java.util.ArrayDeque;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Call sites in application code. (1) Open sites: {@code new FileOutputStream/FileInputStream/
 * RandomAccessFile(...)}, {@code FileChannel.open(...)} and {@code Files.newOutputStream(...)} & co
 * are named at transform time (Class.method:line) and announce their id just before the call
 * ({@code LDC id; INVOKESTATIC}); the constructor / FileChannelImpl.open advice registers the handle
 * under it. No stack walk per open. (2) On JDK 17, where {@code FileDescriptor.sync()} is native, its call sites are wrapped
 * ({@code DUP; INVOKESTATIC syncCallEnter} before, {@code INVOKESTATIC syncCallExit} after).
 */
public final class FileOpenSiteInstrumentation implements LockdepInstrumentation {
    /** The hook classes the injected calls go to: open sites register handles, sync sites count forces. */
    private static final String OPEN_HOOKS = "io/lockdep4j/agent/bootstrap/OpenHandleHooks";
    private static final String FILE_HOOKS = "io/lockdep4j/agent/bootstrap/FileReleaseHooks";
    static final Set<String> OPENED_TYPES = Set.of("java/io/FileOutputStream", "java/io/FileInputStream", "java/io/RandomAccessFile");
    /**
     * The {@code java.nio.file.Files} methods that return an open handle: on the default file system
     * each opens a FileChannelImpl and returns it or a stream/reader/writer/Stream over it whose
     * close closes it. Not the methods that close what they open (readAllBytes, write, ...).
     */
    static final Set<String> FILES_OPENERS = Set.of("newOutputStream", "newInputStream", "newByteChannel",
            "newBufferedReader", "newBufferedWriter", "lines");

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        if (!options.releasePaths || (!options.trackOpens && !FileDescriptorSyncInstrumentation.syncIsNative())) {
            return t -> false;
        }
        ElementMatcher<TypeDescription> app = ClassScope.application(options);
        return t -> app.matches(t) && !t.isInterface() && ClassFacts.mayHave(ClassFacts.FILE_SITE); // names first
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        if (!options.releasePaths || (!options.trackOpens && !FileDescriptorSyncInstrumentation.syncIsNative())) {
            return ClassFilter.NONE;
        }
        return c -> ClassScope.isApplication(options, c.className()) && !c.isInterface() && c.has(ClassFacts.FILE_SITE);
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        boolean syncSites = FileDescriptorSyncInstrumentation.syncIsNative();
        boolean opens = options.trackOpens;
        return (builder, type, loader, module, domain) -> {
            String openingSuper = openedSuperclass(type); // once per class, not per method
            return builder.visit(new AsmVisitorWrapper.ForDeclaredMethods()
                    .invokable(ElementMatchers.any(), (instrumentedType, method, mv, context, pool, writerFlags, readerFlags) ->
                            new SiteVisitor(mv, instrumentedType, method, opens, syncSites,
                                    method.isConstructor() ? openingSuper : null)));
        };
    }

    /** The opened type {@code type} directly extends (its constructors' super() opens the file), or null. */
    static String openedSuperclass(TypeDescription type) {
        TypeDescription.Generic sup = type.getSuperClass();
        String name = sup == null ? null : sup.asErasure().getInternalName();
        return name != null && OPENED_TYPES.contains(name) ? name : null; // Set.of rejects a null query
    }

    static final class SiteVisitor extends MethodVisitor {
        private final String owner;
        private final String methodName;
        /** In a constructor of a direct subclass of an opened type: that type, whose super() opens the file; else null. */
        private final String openingSuper;
        private final boolean opens;
        private final boolean syncSites;
        private final ArrayDeque<String> pendingNew = new ArrayDeque<>();
        private int line;

        SiteVisitor(MethodVisitor mv, TypeDescription type, MethodDescription method, boolean opens, boolean syncSites,
                    String openingSuper) {
            super(Opcodes.ASM9, mv);
            this.owner = type.getName();
            this.methodName = method.getInternalName();
            this.openingSuper = openingSuper;
            this.opens = opens;
            this.syncSites = syncSites;
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.NEW) {
                pendingNew.push(type);
            }
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(int opcode, String ownerType, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name)) {
                String constructed = pendingNew.isEmpty() ? null : pendingNew.peek();
                if (constructed != null && constructed.equals(ownerType)) {
                    pendingNew.pop();
                    if (opens && OPENED_TYPES.contains(ownerType)) {
                        int id = announce();
                        super.visitMethodInsn(opcode, ownerType, name, descriptor, isInterface);
                        registerAfter(id); // the NEW/DUP left the constructed handle on the stack
                        return;
                    }
                } else if (opens && ownerType.equals(openingSuper)) {
                    // super(...) of a subclass (a storage engine's log file class): the file opens here,
                    // and the handle is this object, initialized once the call returns
                    int id = announce();
                    super.visitMethodInsn(opcode, ownerType, name, descriptor, isInterface);
                    if (id > 0) {
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitLdcInsn(id);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, OPEN_HOOKS, "openedAt", "(Ljava/lang/Object;I)V", false);
                    }
                    return;
                }
                super.visitMethodInsn(opcode, ownerType, name, descriptor, isInterface);
                return;
            }
            if (opens && opcode == Opcodes.INVOKESTATIC && "open".equals(name)
                    && ("java/nio/channels/FileChannel".equals(ownerType))) {
                int id = announce();
                super.visitMethodInsn(opcode, ownerType, name, descriptor, isInterface);
                registerAfter(id);
                return;
            }
            if (opens && opcode == Opcodes.INVOKESTATIC && "java/nio/file/Files".equals(ownerType) && FILES_OPENERS.contains(name)) {
                // what comes back wraps the channel the provider opened: the channel is the handle
                int id = announce();
                super.visitMethodInsn(opcode, ownerType, name, descriptor, isInterface);
                if (id > 0) {
                    super.visitInsn(Opcodes.DUP);
                    super.visitLdcInsn(id);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, OPEN_HOOKS, "openedThrough", "(Ljava/lang/Object;I)V", false);
                }
                return;
            }
            if (syncSites && opcode == Opcodes.INVOKEVIRTUAL && "sync".equals(name) && "()V".equals(descriptor)
                    && "java/io/FileDescriptor".equals(ownerType)) {
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, FILE_HOOKS, "syncCallEnter", "(Ljava/lang/Object;)V", false);
                super.visitMethodInsn(opcode, ownerType, name, descriptor, isInterface);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, FILE_HOOKS, "syncCallExit", "()V", false);
                return;
            }
            super.visitMethodInsn(opcode, ownerType, name, descriptor, isInterface);
        }

        private int announce() {
            int id = Interns.openSite(owner + "." + methodName + ":" + line);
            if (id > 0) {
                super.visitLdcInsn(id);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, OPEN_HOOKS, "openSite", "(I)V", false);
            }
            return id;
        }

        private void registerAfter(int id) {
            if (id > 0) {
                super.visitInsn(Opcodes.DUP);
                super.visitLdcInsn(id);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, OPEN_HOOKS, "openedAt", "(Ljava/lang/Object;I)V", false);
            }
        }

        @Override
        public void visitLineNumber(int l, Label start) {
            line = l;
            super.visitLineNumber(l, start);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 2, maxLocals);
        }
    }
}
