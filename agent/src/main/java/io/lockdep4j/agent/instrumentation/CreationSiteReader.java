package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.bootstrap.CreationSites;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Answers {@link CreationSites} from the creating class's own class file (read once per class
 * from its loader, kept per class): at a call on a given line, where does the value it returns go?
 * A field store, an array store or a JDK container call on a field ({@code map.put},
 * {@code computeIfAbsent}), a return, or a local that is then stored into a field. Line numbers,
 * not bytecode offsets, find the call: the running code may carry the agent's own hooks, the
 * original class file does not. A class without line numbers or whose bytes are not readable
 * answers null (the lock keeps its holder's field name).
 */
public final class CreationSiteReader implements CreationSites {
    /** Instructions looked back over to find the field a container or array came from. */
    private static final int LOOK_BACK = 16;

    private static final class Insn {
        final int op;
        final String owner;
        final String name;
        final String desc;
        final int var;
        final int line;

        Insn(int op, String owner, String name, String desc, int var, int line) {
            this.op = op;
            this.owner = owner;
            this.name = name;
            this.desc = desc;
            this.var = var;
            this.line = line;
        }
    }

    private static final ClassValue<Map<String, List<List<Insn>>>> CODE = new ClassValue<Map<String, List<List<Insn>>>>() {
        @Override
        protected Map<String, List<List<Insn>>> computeValue(Class<?> type) {
            return read(type);
        }
    };

    @Override
    public String destination(Class<?> creator, String method, int line, String calleeOwner, String calleeName, boolean throughJdk) {
        if (line <= 0) {
            return null;
        }
        List<List<Insn>> bodies = CODE.get(creator).get(method);
        if (bodies == null) {
            return null;
        }
        String owner = calleeOwner.replace('.', '/');
        for (int pass = 0; pass < 2; pass++) {
            for (List<Insn> code : bodies) {
                for (int k = 0; k < code.size(); k++) {
                    Insn in = code.get(k);
                    if (in.line != line || !isInvoke(in.op)) {
                        continue;
                    }
                    boolean match = throughJdk ? in.owner.startsWith("java/")
                            : in.name.equals(calleeName) && (pass == 1 || in.owner.equals(owner));
                    if (!match) {
                        continue;
                    }
                    if (throughJdk) {
                        String receiver = containerField(code, k);
                        if (receiver != null) {
                            return "A " + receiver;
                        }
                    }
                    return forward(code, k);
                }
            }
        }
        return null;
    }

    /** Where the value left on the stack by instruction k goes. */
    private static String forward(List<Insn> code, int k) {
        int j = k + 1;
        while (j < code.size() && (code.get(j).op == Opcodes.CHECKCAST || code.get(j).op == Opcodes.DUP)) {
            j++;
        }
        if (j >= code.size()) {
            return null;
        }
        Insn next = code.get(j);
        switch (next.op) {
            case Opcodes.PUTFIELD:
            case Opcodes.PUTSTATIC:
                return "F " + field(next);
            case Opcodes.ARETURN:
                return "R";
            case Opcodes.AASTORE: {
                String array = arrayField(code, k);
                return array == null ? null : "A " + array;
            }
            case Opcodes.ASTORE:
                return storedLocal(code, next.var, j);
            default:
                if (isInvoke(next.op) && next.owner.startsWith("java/util/")) {
                    String receiver = containerField(code, k);
                    return receiver == null ? null : "A " + receiver;
                }
                return null;
        }
    }

    /** A local that is later stored, as it is, into a field. */
    private static String storedLocal(List<Insn> code, int var, int from) {
        for (int i = from + 1; i + 1 < code.size(); i++) {
            Insn in = code.get(i);
            if (in.op == Opcodes.ALOAD && in.var == var) {
                Insn n = code.get(i + 1);
                if (n.op == Opcodes.PUTFIELD || n.op == Opcodes.PUTSTATIC) {
                    return "F " + field(n);
                }
            }
        }
        return null;
    }

    /** The field an array stored into at k came from: a field load, or a local later stored into a field. */
    private static String arrayField(List<Insn> code, int k) {
        for (int i = k - 1; i >= 0 && i >= k - LOOK_BACK; i--) {
            Insn in = code.get(i);
            if ((in.op == Opcodes.GETFIELD || in.op == Opcodes.GETSTATIC) && in.desc.startsWith("[")) {
                return field(in);
            }
            if (in.op == Opcodes.ALOAD && in.var != 0) {
                for (int j = 0; j + 1 < code.size(); j++) {
                    Insn a = code.get(j);
                    Insn n = code.get(j + 1);
                    if (a.op == Opcodes.ALOAD && a.var == in.var && (n.op == Opcodes.PUTFIELD || n.op == Opcodes.PUTSTATIC)
                            && n.desc.startsWith("[")) {
                        return field(n);
                    }
                }
            }
        }
        return null;
    }

    /** The nearest field load before k of a JDK container (a map, a collection) or an array. */
    private static String containerField(List<Insn> code, int k) {
        for (int i = k - 1; i >= 0 && i >= k - LOOK_BACK; i--) {
            Insn in = code.get(i);
            if ((in.op == Opcodes.GETFIELD || in.op == Opcodes.GETSTATIC)
                    && (in.desc.startsWith("Ljava/util/") || in.desc.startsWith("["))) {
                return field(in);
            }
        }
        return null;
    }

    private static String field(Insn in) {
        return in.owner.replace('/', '.') + "." + in.name;
    }

    private static boolean isInvoke(int op) {
        return op == Opcodes.INVOKEVIRTUAL || op == Opcodes.INVOKESPECIAL || op == Opcodes.INVOKESTATIC
                || op == Opcodes.INVOKEINTERFACE;
    }

    private static Map<String, List<List<Insn>>> read(Class<?> type) {
        Map<String, List<List<Insn>>> methods = new HashMap<>();
        ClassLoader loader = type.getClassLoader();
        if (loader == null) {
            return methods;
        }
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            if (in == null) {
                return methods;
            }
            bytes = in.readAllBytes();
        } catch (Throwable e) {
            return methods;
        }
        try {
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    List<Insn> code = new ArrayList<>();
                    methods.computeIfAbsent(name, n -> new ArrayList<>()).add(code);
                    return new Recorder(code);
                }
            }, ClassReader.SKIP_FRAMES);
        } catch (Throwable e) {
            methods.clear();
        }
        return methods;
    }

    /** Keeps the instructions this reader looks at, each with its source line. */
    private static final class Recorder extends MethodVisitor {
        private final List<Insn> code;
        private int line;

        Recorder(List<Insn> code) {
            super(Opcodes.ASM9);
            this.code = code;
        }

        private void add(int op, String owner, String name, String desc, int var) {
            code.add(new Insn(op, owner, name, desc, var, line));
        }

        @Override public void visitLineNumber(int l, Label start) { line = l; }
        @Override public void visitInsn(int op) { add(op, "", "", "", -1); }
        @Override public void visitIntInsn(int op, int operand) { add(op, "", "", "", -1); }
        @Override public void visitVarInsn(int op, int var) { add(op, "", "", "", var); }
        @Override public void visitTypeInsn(int op, String type) { add(op, type, "", "", -1); }
        @Override public void visitFieldInsn(int op, String owner, String name, String desc) { add(op, owner, name, desc, -1); }
        @Override public void visitMethodInsn(int op, String owner, String name, String desc, boolean itf) { add(op, owner, name, desc, -1); }
        @Override public void visitInvokeDynamicInsn(String name, String desc, net.bytebuddy.jar.asm.Handle bsm, Object... args) { add(Opcodes.INVOKEDYNAMIC, "", name, desc, -1); }
        @Override public void visitJumpInsn(int op, Label label) { add(op, "", "", "", -1); }
        @Override public void visitLdcInsn(Object value) { add(Opcodes.LDC, "", "", "", -1); }
        @Override public void visitIincInsn(int var, int increment) { add(Opcodes.IINC, "", "", "", var); }
        @Override public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) { add(Opcodes.TABLESWITCH, "", "", "", -1); }
        @Override public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) { add(Opcodes.LOOKUPSWITCH, "", "", "", -1); }
        @Override public void visitMultiANewArrayInsn(String desc, int dims) { add(Opcodes.MULTIANEWARRAY, "", "", desc, -1); }
    }
}
