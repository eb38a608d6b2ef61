package io.lockdep4j.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Computes the default {@code jdkMonitors} from the running JDK's class files (jrt:/), by this rule:
 * a public class, or a nested class of a public class, in an exported package under {@link #PACKAGES}
 * of {@link #MODULES}, that declares a public or protected instance method that is {@code synchronized}
 * or holds a {@code synchronized} block, and that can run code the class does not control: it invokes an interface method, or a
 * virtual method that can be overridden (not private, not final, in a class that is not final),
 * directly or through the static, private and {@code super} calls it makes inside the JDK (up to
 * {@link #DEPTH} calls deep). Such a method locks the object, then calls application code or another
 * object, which may lock another instance or an application lock: the JDK's share of a deadlock.
 * Classes whose monitor no application can reach (no public or protected synchronized method) do
 * not count.
 *
 * <p>Run {@code main} to print the list (JdkMonitorDefaults is the union over JDK 17 and 25);
 * JdkMonitorDefaultsTest checks that the committed list covers the running JDK.
 */
public final class JdkMonitorScan {
    /** Modules whose classes applications use as objects with synchronized methods. */
    static final List<String> MODULES = List.of("java.base", "java.logging", "java.desktop", "java.prefs");
    /**
     * The JDK's collection, event, logging and preferences APIs: the objects applications hand their
     * own code to (keys, listeners, observers, handlers, formatters). Not java.lang, java.io, java.net,
     * java.nio, java.security (threads and I/O: their monitors guard the JDK's own machinery, every one
     * of those classes is loaded at start-up and would have to be retransformed, and their hot paths
     * would pay a hook) nor AWT/Swing (their tree lock is a toolkit discipline of its own).
     */
    static final List<String> PACKAGES = List.of("java/util/", "java/beans/");
    static final int DEPTH = 3;

    private record MethodFacts(int access, boolean directCallout, List<String> innerCalls) {}

    private final Map<String, Integer> classAccess = new HashMap<>();
    private final Map<String, String> superOf = new HashMap<>();
    private final Map<String, MethodFacts> methods = new HashMap<>(); // "owner.name desc"
    private final Map<String, List<String>> syncMethods = new HashMap<>(); // class -> public/protected synchronized instance methods
    private final Set<String> exported = new HashSet<>();
    /** Public/protected instance methods with a synchronized block on this object or one of its fields. */
    private final List<String[]> blockCandidates = new ArrayList<>(); // {class, method key, monitor field or null}
    /** Fields a constructor may set to the object itself ({@code Collections$SynchronizedCollection.mutex}). */
    private final Set<String> selfFields = new HashSet<>();
    /** Classes with a public or protected constructor: applications can subclass them. */
    private final Set<String> subclassable = new HashSet<>();
    /** What runs inside those blocks: callouts and the calls that may lead to one. */
    private final Map<String, MethodFacts> regions = new HashMap<>();

    public static void main(String[] args) throws IOException {
        for (String c : new JdkMonitorScan().scan()) {
            System.out.println(c);
        }
    }

    /** The classes the rule selects, binary names ({@code java.util.Collections$SynchronizedMap}). */
    public Set<String> scan() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String module : MODULES) {
            Module m = ModuleLayer.boot().findModule(module).orElse(null);
            if (m == null) {
                continue;
            }
            for (String p : m.getPackages()) {
                String internal = p.replace('.', '/') + "/";
                if (m.isExported(p) && PACKAGES.stream().anyMatch(internal::startsWith)) {
                    exported.add(p.replace('.', '/'));
                }
            }
            Path root = jrt.getPath("/modules", module);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".class"))::iterator) {
                    String rel = root.relativize(f).toString();
                    int slash = rel.lastIndexOf('/');
                    if (slash < 0 || !exported.contains(rel.substring(0, slash))) {
                        continue;
                    }
                    read(Files.readAllBytes(f));
                }
            }
        }
        resolveVirtuals();
        Set<String> out = new TreeSet<>();
        Map<String, Boolean> memo = new HashMap<>();
        for (String[] b : blockCandidates) {
            String c = b[0];
            boolean own = b[2] == null || b[2].startsWith("this$") || isSelfField(c, b[2]);
            if (!own || !reachable(c) || out.contains(c.replace('/', '.'))) {
                continue;
            }
            MethodFacts r = regions.get(b[1]);
            boolean calls = r != null && r.directCallout();
            for (int i = 0; r != null && !calls && i < r.innerCalls().size(); i++) {
                calls = callsOut(r.innerCalls().get(i), DEPTH - 1, memo, new HashSet<>());
            }
            if (calls) {
                out.add(c.replace('/', '.'));
            }
        }
        for (Map.Entry<String, List<String>> e : syncMethods.entrySet()) {
            String c = e.getKey();
            if (!reachable(c)) {
                continue;
            }
            for (String m : e.getValue()) {
                if (callsOut(m, DEPTH, memo, new HashSet<>())) {
                    out.add(c.replace('/', '.'));
                    break;
                }
            }
        }
        return out;
    }

    /** Whether the constructor of {@code c} or of a superclass may set field {@code f} to the object itself. */
    private boolean isSelfField(String c, String f) {
        for (String k = c; k != null; k = superOf.get(k)) {
            if (selfFields.contains(k + "." + f)) {
                return true;
            }
        }
        return false;
    }

    /** Public, or nested (at any depth) in a public class: a class applications can get instances of. */
    private boolean reachable(String c) {
        Integer a = classAccess.get(c);
        if (a == null) {
            return false;
        }
        if ((a & Opcodes.ACC_PUBLIC) != 0) {
            return true;
        }
        int d = c.lastIndexOf('$');
        return d > 0 && reachable(c.substring(0, d));
    }

    private boolean callsOut(String key, int depth, Map<String, Boolean> memo, Set<String> visiting) {
        Boolean known = memo.get(key);
        if (known != null) {
            return known;
        }
        MethodFacts f = methods.get(key);
        if (f == null || !visiting.add(key)) {
            return false;
        }
        boolean r = f.directCallout();
        if (!r && depth > 0) {
            for (String callee : f.innerCalls()) {
                if (callsOut(callee, depth - 1, memo, visiting)) {
                    r = true;
                    break;
                }
            }
        }
        if (depth == DEPTH) {
            memo.put(key, r);
        }
        return r;
    }

    /** Whether an invokevirtual can run code other than the JDK's own: the target can be overridden. */
    private boolean overridable(String owner, String name, String desc) {
        Integer ca = classAccess.get(owner);
        if (ca == null) {
            // outside the scanned packages: java.lang's Object methods run the application's
            // equals/hashCode/toString; the rest of java.lang and java.io (streams, threads) is the JDK's
            if (owner.equals("java/lang/Object")) {
                return !name.equals("getClass") && !name.equals("notify") && !name.equals("notifyAll") && !name.equals("wait");
            }
            return owner.startsWith("java/lang/Runnable") || owner.startsWith("java/lang/Iterable")
                    || owner.startsWith("java/lang/Comparable") || owner.startsWith("java/lang/CharSequence")
                    || owner.startsWith("java/lang/Appendable") || owner.startsWith("java/lang/AutoCloseable");
        }
        if ((ca & Opcodes.ACC_PUBLIC) == 0 || (ca & Opcodes.ACC_FINAL) != 0) {
            return false; // applications cannot implement or extend it
        }
        if ((ca & Opcodes.ACC_INTERFACE) == 0 && !subclassable.contains(owner)) {
            return false;
        }
        for (String c = owner; c != null; c = superOf.get(c)) {
            MethodFacts m = methods.get(c + "." + name + desc);
            if (m != null) {
                return (m.access() & (Opcodes.ACC_FINAL | Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC)) == 0;
            }
        }
        return true; // declared outside the scanned classes: assume it can be overridden
    }

    private final List<Object[]> pendingVirtuals = new ArrayList<>();

    private void read(byte[] bytes) {
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            String name;

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                this.name = name;
                classAccess.put(name, access);
                superOf.put(name, superName);
            }

            @Override
            public void visitInnerClass(String inner, String outer, String simple, int access) {
                if (inner.equals(name)) {
                    classAccess.put(name, access | (classAccess.get(name) & Opcodes.ACC_PUBLIC));
                }
            }

            @Override
            public MethodVisitor visitMethod(int access, String mname, String desc, String signature, String[] exceptions) {
                String key = name + "." + mname + desc;
                boolean visible = (access & Opcodes.ACC_STATIC) == 0 && (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0;
                if (mname.equals("<init>") && (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0) {
                    subclassable.add(name);
                }
                if (visible && (access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                    syncMethods.computeIfAbsent(name, k -> new ArrayList<>()).add(key);
                }
                List<String> inner = new ArrayList<>();
                List<String> regionInner = new ArrayList<>();
                boolean[] direct = {false, false}; // whole method, inside a block on this object's monitor
                String self = name;
                return new MethodVisitor(Opcodes.ASM9) {
                    /** Nesting of synchronized blocks on this object (or a field of it) at this point of the code. */
                    int depth;
                    /** The last instruction loaded this object ({@code ALOAD 0}) or a field of this object. */
                    boolean ownMonitor;

                    /** The field of this object the monitor was read from, or null for this object itself. */
                    String monitorField;
                    /** How many ALOAD 0 in a row just ran: {@code this.f = this} in a constructor is ALOAD 0; ALOAD 0; PUTFIELD. */
                    int thisLoads;

                    @Override
                    public void visitVarInsn(int op, int var) {
                        if (op == Opcodes.ASTORE && ownMonitor) {
                            return; // javac: load; DUP; ASTORE tmp; MONITORENTER
                        }
                        ownMonitor = op == Opcodes.ALOAD && var == 0;
                        monitorField = null;
                        thisLoads = ownMonitor ? thisLoads + 1 : 0;
                    }

                    @Override
                    public void visitFieldInsn(int op, String owner, String n, String d) {
                        if (op == Opcodes.PUTFIELD && thisLoads >= 2 && mname.equals("<init>") && owner.equals(self)) {
                            selfFields.add(self + "." + n);
                        }
                        thisLoads = 0;
                        ownMonitor = ownMonitor && monitorField == null && op == Opcodes.GETFIELD && owner.equals(self);
                        monitorField = ownMonitor ? n : null;
                    }

                    @Override
                    public void visitInsn(int op) {
                        if (op == Opcodes.MONITORENTER) {
                            if (ownMonitor || depth > 0) {
                                depth++;
                                if (visible && depth == 1) {
                                    blockCandidates.add(new String[] {self, key, monitorField});
                                }
                            }
                        } else if (op == Opcodes.MONITOREXIT) {
                            depth = Math.max(0, depth - 1);
                        } else if (op == Opcodes.DUP && ownMonitor) {
                            return;
                        }
                        ownMonitor = false;
                        thisLoads = 0;
                    }

                    private void callout() {
                        direct[0] = true;
                        if (depth > 0) {
                            direct[1] = true;
                        }
                    }

                    @Override
                    public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
                        ownMonitor = false;
                        thisLoads = 0;
                        if (op == Opcodes.INVOKEINTERFACE) {
                            pendingVirtuals.add(new Object[] {key, owner, n, d, depth > 0});
                        } else if (op == Opcodes.INVOKEVIRTUAL) {
                            pendingVirtuals.add(new Object[] {key, owner, n, d, depth > 0});
                        } else if (op == Opcodes.INVOKESTATIC || op == Opcodes.INVOKESPECIAL) {
                            if (!n.equals("<init>") || !owner.equals(self)) {
                                inner.add(owner + "." + n + d);
                                if (depth > 0) {
                                    regionInner.add(owner + "." + n + d);
                                }
                            }
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String n, String d, net.bytebuddy.jar.asm.Handle bsm, Object... args) {
                        ownMonitor = false;
                        // string concatenation calls toString() of its arguments: code the class does not control
                        if (bsm.getOwner().equals("java/lang/invoke/StringConcatFactory") && d.contains("L")) {
                            callout();
                        }
                    }

                    @Override
                    public void visitEnd() {
                        methods.put(key, new MethodFacts(access, direct[0], inner));
                        regions.put(key, new MethodFacts(access, direct[1], regionInner));
                    }
                };
            }

            @Override
            public void visitEnd() {
                // invokevirtual targets are judged once every class is read (see resolveVirtuals)
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        resolved = false;
    }

    private boolean resolved;

    /** Called by scan before judging: turns each pending invokevirtual into a direct callout or not. */
    private void resolveVirtuals() {
        if (resolved) {
            return;
        }
        for (Object[] v : pendingVirtuals) {
            String key = (String) v[0];
            if (overridable((String) v[1], (String) v[2], (String) v[3])) {
                MethodFacts f = methods.get(key);
                if (f != null && !f.directCallout()) {
                    methods.put(key, new MethodFacts(f.access(), true, f.innerCalls()));
                }
                MethodFacts r = regions.get(key);
                if ((Boolean) v[4] && r != null && !r.directCallout()) {
                    regions.put(key, new MethodFacts(r.access(), true, r.innerCalls()));
                }
            }
        }
        resolved = true;
    }
}
