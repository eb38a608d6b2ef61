package io.lockdep4j.agent.instrumentation;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What a class file contains that the code-rewriting instrumentations look for, found by one raw
 * pass over its bytes before Byte Buddy parses it: MONITORENTER/MONITOREXIT, ACC_SYNCHRONIZED
 * methods, {@code NEW} of a lock type, references to the file classes, calls of Files' openers. Most classes contain none
 * of these, and then {@link MonitorBlockInstrumentation}, {@link SynchronizedMethodInstrumentation},
 * {@link LockAllocationInstrumentation} and {@link FileOpenSiteInstrumentation} do not match them:
 * Byte Buddy no longer rewrites every application class.
 *
 * <p>The scan is conservative: it looks for opcode bytes anywhere in the code, so an operand that
 * happens to equal an opcode only costs a transformation, and it never misses one. A class file it
 * cannot read is assumed to contain everything. The facts of the class being transformed are
 * published to the matchers through {@link #current()}; without facts (a matcher used outside the
 * agent's transformer), every fact counts as present.
 */
public final class ClassFacts {
    public static final int MONITOR_BLOCK = 1;
    public static final int SYNCHRONIZED_METHOD = 2;
    public static final int LOCK_ALLOCATION = 4;
    public static final int FILE_SITE = 8;
    /** A {@code <clinit>} method (ClassInitInstrumentation). */
    public static final int STATIC_INITIALIZER = 16;
    /** A method name {@code wait}, {@code notify}, {@code notifyAll} or {@code sleep} in the constant pool (MonitorWaitInstrumentation). */
    public static final int WAIT_CALL = 32;
    /** A constant naming a {@code lambda$} method: the class may declare lambdas (ContextInstrumentation). */
    public static final int LAMBDA = 64;
    public static final int ALL = MONITOR_BLOCK | SYNCHRONIZED_METHOD | LOCK_ALLOCATION | FILE_SITE | STATIC_INITIALIZER | WAIT_CALL
            | LAMBDA;

    /** Classes whose {@code NEW} {@link LockAllocationInstrumentation} names. */
    private static final Set<String> ALLOCATED = LockAllocationInstrumentation.NAMED_TYPES.keySet();
    /** Classes whose mere reference makes a class a candidate for {@link FileOpenSiteInstrumentation}. */
    private static final Set<String> FILE_TYPES = Set.of("java/io/FileOutputStream", "java/io/FileInputStream",
            "java/io/RandomAccessFile", "java/nio/channels/FileChannel", "java/io/FileDescriptor");
    /**
     * Not the class {@code java/nio/file/Files} itself: most classes that name it only ask
     * {@code exists} or read whole files, and would all go to Byte Buddy. A Methodref of Files
     * whose name is one of {@link FileOpenSiteInstrumentation#FILES_OPENERS} makes a file site.
     */
    private static final String FILES = "java/nio/file/Files";

    private static final ThreadLocal<ClassFacts> CURRENT = new ThreadLocal<>();

    /** The internal name of the class being transformed (null: unknown). */
    private final String internalName;
    /** The class file being transformed. */
    private final byte[] bytes;
    /** The loader of the class being transformed (null: bootstrap), for {@link TypeHierarchy}. */
    final ClassLoader loader;
    /** Bits of the constants above; scanned when a matcher first asks (-1: not yet). */
    private int flags = -1;
    /** {@link ContextInstrumentation#lambdaContexts}, computed once per transformation. */
    java.util.List<String[]> lambdaContexts;
    /** The ids this transformation asked {@link Interns} for, when the result goes to the TransformCache (else null). */
    java.util.List<io.lockdep4j.agent.TransformCache.Intern> interns;
    /**
     * Internal names of the application class files this transformation read (its supertypes, the
     * types Byte Buddy resolved), when an application class's result goes to the TransformCache (else
     * null): a later JVM reuses the result only if its loader finds the same files ({@link ClassFileReads}).
     */
    java.util.Set<String> reads;
    /** Byte Buddy reported an error for this class: its (unchanged) result is not cached. */
    boolean failed;
    /** The class file's access flags (-1: not read), set by the scan. */
    private int access = -1;
    /** Internal names of the direct supertypes, superclass first (null: not read or unreadable), set by the scan. */
    private String[] supertypes;
    /**
     * Of each {@code CONSTANT_InvokeDynamic} returning an object, when the class may declare lambdas:
     * the returned type's internal name and the call site's method name, side by side (for a
     * lambda: its functional interface and the interface method). Null when not read.
     */
    private String[] indyTargets;
    private String className;

    ClassFacts(String internalName, byte[] bytes, ClassLoader loader) {
        this.internalName = internalName;
        this.bytes = bytes;
        this.loader = loader;
    }

    int flags() {
        int f = flags;
        if (f < 0) {
            f = scan(bytes, this);
            flags = f;
        }
        return f;
    }

    /** Whether the class may contain what {@code fact} stands for (see {@link #mayHave(int)}). */
    public boolean has(int fact) {
        return (flags() & fact) != 0;
    }

    /** The binary name ({@code com.acme.Foo$Bar}), or null when the transformer was given none. */
    public String className() {
        String n = className;
        if (n == null && internalName != null) {
            n = internalName.replace('/', '.');
            className = n;
        }
        return n;
    }

    /** True only when the class file says it is an interface (an unreadable one is not). */
    public boolean isInterface() {
        flags();
        return access >= 0 && (access & 0x0200) != 0;
    }

    /** Internal names of the direct superclass (absent for java/lang/Object) and interfaces; null when unreadable. */
    String[] supertypes() {
        flags();
        return supertypes;
    }

    /** See {@link #indyTargets}: {interface, method, interface, method, ...}; null when unreadable. */
    String[] indyTargets() {
        flags();
        return indyTargets;
    }

    /** Whether these are the facts of that class (internal name, with slashes). */
    boolean isFor(String internalName) {
        return this.internalName != null && this.internalName.equals(internalName);
    }

    byte[] bytes() {
        return bytes;
    }

    /** The facts of the class this thread is transforming, or null. */
    static ClassFacts current() {
        return CURRENT.get();
    }

    /** Publishes facts for the duration of one transformation; returns the previous ones to restore. */
    static ClassFacts enter(ClassFacts facts) {
        ClassFacts previous = CURRENT.get();
        CURRENT.set(facts);
        return previous;
    }

    static void exit(ClassFacts previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** Whether facts of this very class are published (false outside a transformation). */
    static boolean isCurrent(net.bytebuddy.description.type.TypeDescription t) {
        ClassFacts f = CURRENT.get();
        return f != null && f.isFor(t.getInternalName());
    }

    /** Whether the class being transformed may contain what {@code fact} stands for. */
    static boolean mayHave(int fact) {
        ClassFacts f = CURRENT.get();
        return f == null || (f.flags() & fact) != 0;
    }

    /** Scans a class file; never throws ({@link #ALL} when the bytes are not understood). */
    static int scan(byte[] b) {
        return scan(b, null);
    }

    /** Scans, and records the header (access, supertypes) into {@code into} when the file is understood. */
    private static int scan(byte[] b, ClassFacts into) {
        try {
            return doScan(b, into);
        } catch (RuntimeException e) {
            if (into != null) {
                into.access = -1;
                into.supertypes = null;
            }
            return ALL;
        }
    }

    /**
     * Reads only the header of a class file: its direct supertypes' internal names, superclass
     * first. Null when the bytes are not a class file this reader understands. For TypeHierarchy.
     */
    static String[] supertypesOf(byte[] b) {
        ClassFacts f = new ClassFacts(null, b, null);
        return f.supertypes();
    }

    /** See {@link #indyTargets}; null when a constant is not what it should be. */
    private static String[] indyTargets(byte[] b, int[] member, int[] utf8Offset, int[] indyNats, int indys) {
        String[] out = new String[2 * indys];
        int k = 0;
        for (int j = 0; j < indys; j++) {
            int nat = indyNats[j];
            if (nat <= 0 || nat >= member.length) {
                return null;
            }
            int name = member[nat] >>> 16;
            int desc = member[nat] & 0xFFFF;
            if (name >= utf8Offset.length || desc >= utf8Offset.length || utf8Offset[name] == 0 || utf8Offset[desc] == 0) {
                return null;
            }
            String d = utf8(b, utf8Offset[desc]);
            int r = d.lastIndexOf(')');
            if (r >= 0 && r + 1 < d.length() && d.charAt(r + 1) == 'L' && d.endsWith(";")) {
                out[k++] = d.substring(r + 2, d.length() - 1);
                out[k++] = utf8(b, utf8Offset[name]);
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static int doScan(byte[] b, ClassFacts into) {
        if (b == null || b.length < 10 || u4(b, 0) != 0xCAFEBABE) {
            return ALL;
        }
        int cpCount = u2(b, 8);
        // per constant-pool slot: 1 = a CONSTANT_Class of an allocated lock type, 2 = of a file type
        byte[] interesting = new byte[cpCount];
        int[] classNameIndex = new int[cpCount];
        int[] utf8Offset = new int[cpCount];
        // Methodref: class index << 16 | NameAndType index; NameAndType: name index << 16 | descriptor index
        int[] member = new int[cpCount];
        int filesClass = -1;
        int[] indyNats = null; // each CONSTANT_InvokeDynamic's NameAndType index
        int indys = 0;
        int codeNameIndex = -1;
        int clinitNameIndex = -1;
        int p = 10;
        for (int i = 1; i < cpCount; i++) {
            int tag = b[p] & 0xFF;
            switch (tag) {
                case 1: // Utf8
                    utf8Offset[i] = p + 1;
                    p += 3 + u2(b, p + 1);
                    break;
                case 7: // Class
                    classNameIndex[i] = u2(b, p + 1);
                    p += 3;
                    break;
                case 8: case 16: case 19: case 20: // String, MethodType, Module, Package
                    p += 3;
                    break;
                case 10: case 12: // Methodref, NameAndType
                    member[i] = u4(b, p + 1);
                    p += 5;
                    break;
                case 18: // InvokeDynamic: bootstrap method index, NameAndType index
                    if (indyNats == null || indys == indyNats.length) {
                        indyNats = indyNats == null ? new int[8] : java.util.Arrays.copyOf(indyNats, 2 * indys);
                    }
                    indyNats[indys++] = u2(b, p + 3);
                    p += 5;
                    break;
                case 3: case 4: case 9: case 11: case 17:
                    p += 5;
                    break;
                case 5: case 6: // Long, Double take two slots
                    p += 9;
                    i++;
                    break;
                case 15: // MethodHandle
                    p += 4;
                    break;
                default:
                    return ALL;
            }
        }
        int flags = 0;
        for (int i = 1; i < cpCount; i++) {
            if (utf8Offset[i] != 0 && codeNameIndex < 0 && utf8Equals(b, utf8Offset[i], "Code")) {
                codeNameIndex = i;
            }
            if (utf8Offset[i] != 0 && clinitNameIndex < 0 && utf8Equals(b, utf8Offset[i], "<clinit>")) {
                clinitNameIndex = i;
            }
            if (utf8Offset[i] != 0 && utf8StartsWith(b, utf8Offset[i], "lambda$")) {
                flags |= LAMBDA;
            }
            if (utf8Offset[i] != 0 && (utf8Equals(b, utf8Offset[i], "wait") || utf8Equals(b, utf8Offset[i], "notify")
                    || utf8Equals(b, utf8Offset[i], "notifyAll") || utf8Equals(b, utf8Offset[i], "sleep"))) {
                flags |= WAIT_CALL;
            }
            int n = classNameIndex[i];
            if (n > 0 && n < cpCount && utf8Offset[n] != 0 && startsWithJava(b, utf8Offset[n])) {
                String name = utf8(b, utf8Offset[n]);
                if (ALLOCATED.contains(name)) {
                    interesting[i] = 1;
                }
                if (FILE_TYPES.contains(name)) {
                    flags |= FILE_SITE;
                }
                if (FILES.equals(name)) {
                    filesClass = i;
                }
            }
        }
        if (filesClass > 0 && (flags & FILE_SITE) == 0 && callsFilesOpener(b, member, utf8Offset, filesClass)) {
            flags |= FILE_SITE;
        }
        if (into != null && (flags & LAMBDA) != 0) {
            into.indyTargets = indyTargets(b, member, utf8Offset, indyNats, indys);
        }
        int classAccess = u2(b, p);
        int superIndex = u2(b, p + 4);
        p += 6; // access, this, super
        int interfaceCount = u2(b, p);
        String[] supers = new String[(superIndex == 0 ? 0 : 1) + interfaceCount];
        int k = 0;
        if (superIndex != 0) {
            supers[k++] = className(b, classNameIndex, utf8Offset, superIndex);
        }
        for (int j = 0; j < interfaceCount; j++) {
            supers[k++] = className(b, classNameIndex, utf8Offset, u2(b, p + 2 + 2 * j));
        }
        p += 2 + 2 * interfaceCount; // interfaces
        if (into != null) {
            into.access = classAccess;
            into.supertypes = supers;
        }
        int fields = u2(b, p);
        p += 2;
        for (int f = 0; f < fields; f++) {
            p = skipAttributes(b, p + 6);
        }
        int methods = u2(b, p);
        p += 2;
        for (int m = 0; m < methods; m++) {
            int access = u2(b, p);
            if ((access & 0x0020) != 0 && (access & 0x0100) == 0) { // ACC_SYNCHRONIZED, not native
                flags |= SYNCHRONIZED_METHOD;
            }
            if (clinitNameIndex > 0 && u2(b, p + 2) == clinitNameIndex) {
                flags |= STATIC_INITIALIZER;
            }
            int attributes = u2(b, p + 6);
            p += 8;
            for (int a = 0; a < attributes; a++) {
                int length = u4(b, p + 2);
                if (u2(b, p) == codeNameIndex) {
                    int codeLength = u4(b, p + 10);
                    int start = p + 14;
                    int end = start + codeLength;
                    for (int c = start; c < end; c++) {
                        int op = b[c] & 0xFF;
                        if (op == 0xC2 || op == 0xC3) { // MONITORENTER, MONITOREXIT
                            flags |= MONITOR_BLOCK;
                        } else if (op == 0xBB && c + 2 < end) { // NEW
                            int index = u2(b, c + 1);
                            if (index < cpCount && interesting[index] == 1) {
                                flags |= LOCK_ALLOCATION;
                            }
                        }
                    }
                }
                p += 6 + length;
            }
        }
        if (p > b.length) {
            return ALL;
        }
        return flags;
    }

    /**
     * Whether a Methodref of {@code java/nio/file/Files} names an opener. A NameAndType slot's
     * high half is a Utf8 index, never the Class slot {@code filesClass}: the two kinds of slot
     * cannot be confused.
     */
    private static boolean callsFilesOpener(byte[] b, int[] member, int[] utf8Offset, int filesClass) {
        for (int i = 1; i < member.length; i++) {
            if (member[i] >>> 16 != filesClass) {
                continue;
            }
            int nat = member[i] & 0xFFFF;
            int name = nat < member.length ? member[nat] >>> 16 : 0;
            if (name > 0 && name < utf8Offset.length && utf8Offset[name] != 0
                    && FileOpenSiteInstrumentation.FILES_OPENERS.contains(utf8(b, utf8Offset[name]))) {
                return true;
            }
        }
        return false;
    }

    /** The name a CONSTANT_Class entry holds; throws (caught by scan) when it is not one. */
    private static String className(byte[] b, int[] classNameIndex, int[] utf8Offset, int index) {
        int n = classNameIndex[index];
        if (n <= 0 || n >= utf8Offset.length || utf8Offset[n] == 0) {
            throw new IllegalArgumentException("not a class constant: " + index);
        }
        int offset = utf8Offset[n];
        int len = u2(b, offset);
        for (int i = 0; i < len; i++) {
            if (b[offset + 2 + i] < 0) { // not ASCII: modified UTF-8 is UTF-8 for the names that occur
                return new String(b, offset + 2, len, StandardCharsets.UTF_8);
            }
        }
        return utf8(b, offset);
    }

    private static boolean utf8StartsWith(byte[] b, int offset, String ascii) {
        int len = u2(b, offset);
        if (len < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[offset + 2 + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int skipAttributes(byte[] b, int p) {
        int n = u2(b, p);
        p += 2;
        for (int a = 0; a < n; a++) {
            p += 6 + u4(b, p + 2);
        }
        return p;
    }

    private static boolean startsWithJava(byte[] b, int offset) {
        return u2(b, offset) > 5 && b[offset + 2] == 'j' && b[offset + 3] == 'a' && b[offset + 4] == 'v' && b[offset + 5] == 'a';
    }

    private static boolean utf8Equals(byte[] b, int offset, String ascii) {
        int len = u2(b, offset);
        if (len != ascii.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[offset + 2 + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(byte[] b, int offset) {
        // class names of interest are ASCII; modified UTF-8 of other names never equals them
        return new String(b, offset + 2, u2(b, offset), StandardCharsets.ISO_8859_1);
    }

    private static int u2(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static int u4(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
