package io.lockdep4j.agent;

import io.lockdep4j.agent.instrumentation.ClassFileLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The instrumented bytes of classes, kept on disk between JVM starts. Most of the agent's start
 * was Byte Buddy: building the agent (about a thousand shaded classes loaded) and rewriting the dozen
 * JDK classes that are loaded before {@code premain} (ReentrantLock, the file streams, Thread...),
 * then every application class with a lock, the same bytes every time. A CI run forks a JVM per test
 * class; each paid that again (a second per fork for Commons Pool's tests). A JVM that finds here
 * every class it must transform runs without loading Byte Buddy at all; Byte Buddy is built the
 * first time a class is not here.
 *
 * <p>What is cached: JDK classes (boot and platform loaders: their bytes and supertypes come from
 * the JDK, which the key names) and application classes as they load (a JVM per test class loads the
 * same JUnit, Surefire and project classes every time). An entry holds the exact input class file
 * (compared byte for byte, not by hash), the output (or "unchanged") as a template whose ids are
 * tagged constants, a CRC of it, the ids the transformation was given ({@link Intern}, asked again
 * at a reuse and patched in: another JVM gives other ids), and for an application class the other
 * class files the transformation read (its supertypes, what Byte Buddy resolved) with their digests,
 * which the class's loader must find unchanged. The directory's name is a fingerprint of everything
 * else the result depends on: the agent jar's entries, the options in effect, the JVM (version,
 * vendor, java.home). Where the bytes on disk are wrong in any way, the entry is a miss and Byte
 * Buddy runs, as without a cache.
 *
 * <p>Safety: the cache lives in the per-user 0700 directory of {@link BootstrapJarCache} (whatever
 * is read here runs in the boot loader); files are written under unique names and moved into place,
 * so a concurrent JVM never reads half an entry. {@code transformCache=false} turns it off.
 */
public final class TransformCache {
    private static final int MAGIC = 0x4c44344a; // "LD4J"
    private static final int VERSION = 2; // 2: templates with tagged ids; the class files an application class's result read
    private static final String STARTUP_SET = "startup-set.txt";
    private static final long PRUNE_AFTER_MILLIS = 24L * 3600 * 1000;
    private static final long ENTRY_LIFETIME_MILLIS = 7 * PRUNE_AFTER_MILLIS;
    private static final String PRUNED_MARKER = "pruned.txt";

    /** The entry's transformation ran at the agent's start (retransformation of loaded classes). */
    public static final int AT_START = 1;
    /** The class was already loaded (a retransformation), not being loaded. */
    public static final int RETRANSFORM = 2;

    private final Path dir;

    private TransformCache(Path dir) {
        this.dir = dir;
    }

    /** One id a transformation was given: {@code type} is the registry (see the instrumentation's Interns). */
    public static final class Intern {
        public final byte type;
        public final String value;
        public final byte kind;
        public final int id;

        public Intern(byte type, String value, byte kind, int id) {
            this.type = type;
            this.value = value;
            this.kind = kind;
            this.id = id;
        }
    }

    /**
     * A cached transformation: {@code output} null means the class is left as it is; else a template
     * whose ids are tagged constants. {@code readNames} and {@code readDigests}: the other class files
     * it read, side by side (none for a JDK class).
     */
    public static final class Hit {
        public final byte[] output;
        public final List<Intern> interns;
        public final String[] readNames;
        public final long[] readDigests;

        Hit(byte[] output, List<Intern> interns, String[] readNames, long[] readDigests) {
            this.output = output;
            this.interns = interns;
            this.readNames = readNames;
            this.readDigests = readDigests;
        }
    }

    /** The cache for this agent jar, options and JVM; null when off or when no trustworthy directory exists. */
    static TransformCache open(AgentOptions options) {
        if (!options.transformCache) {
            return null;
        }
        try {
            Path base = BootstrapJarCache.cacheDirectory();
            if (base == null) {
                return null;
            }
            String name = "transforms-" + fingerprint(options);
            Path dir = base.resolve(name);
            try {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // reused
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis())); // in use: not pruned
            pruneSiblings(base, name);
            pruneEntries(dir);
            return new TransformCache(dir);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A cache in this directory (tests). */
    static TransformCache at(Path dir) {
        return new TransformCache(dir);
    }

    /** Whether a class of this loader is the JDK's: the boot and platform loaders (their bytes and supertypes are fixed by the JDK). */
    public static boolean jdkLoader(ClassLoader loader) {
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    /**
     * Whether this transformation's result may be cached: any JDK class; an application class when
     * it is being loaded (a retransformation resolves its supertypes from the loaded classes, not
     * from the class files whose digests the entry keeps).
     */
    public static boolean cacheable(ClassLoader loader, Class<?> redefined) {
        return jdkLoader(loader) || redefined == null;
    }

    /** The cached transformation of exactly these bytes, or null. Never throws. */
    public Hit lookup(String internalName, byte[] input, int flags) {
        input = keyOf(input, flags);
        Path file = entry(internalName, input, flags);
        if (file == null) {
            return null;
        }
        try {
            byte[] all = Files.readAllBytes(file);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
            if (in.readInt() != MAGIC || in.readInt() != VERSION || !in.readUTF().equals(internalName) || in.readInt() != flags) {
                return null;
            }
            byte[] cachedInput = new byte[length(in)];
            in.readFully(cachedInput);
            if (!Arrays.equals(cachedInput, input)) {
                return null;
            }
            int outLength = in.readInt();
            byte[] output = null;
            if (outLength >= 0) {
                output = new byte[length(in, outLength)];
                in.readFully(output);
            }
            long crc = in.readLong();
            if (crc != crc(output)) {
                return null;
            }
            int n = length(in);
            List<Intern> interns = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                interns.add(new Intern(in.readByte(), in.readUTF(), in.readByte(), in.readInt()));
            }
            int reads = length(in);
            String[] readNames = new String[reads];
            long[] readDigests = new long[reads];
            for (int i = 0; i < reads; i++) {
                readNames[i] = in.readUTF();
                readDigests[i] = in.readLong();
            }
            return in.available() == 0 ? new Hit(output, interns, readNames, readDigests) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A count or length read from an entry: never more than the bytes left (a damaged entry must not allocate a gigabyte). */
    private static int length(DataInputStream in) throws IOException {
        return length(in, in.readInt());
    }

    private static int length(DataInputStream in, int n) throws IOException {
        if (n < 0 || n > in.available()) {
            throw new IOException("damaged entry");
        }
        return n;
    }

    /** Runs a miss, and a store and its atomic move, on a scratch entry (see TransformPipeline.warmUp). */
    public void warmUp(byte[] someClass) {
        lookup("io/lockdep4j/WarmUp", someClass, 0);
        store("io/lockdep4j/WarmUp", someClass, 0, someClass, List.of(new Intern((byte) 0, "", (byte) 0, 0)),
                new String[] {"io/lockdep4j/WarmUp"}, new long[] {1});
        lookup("io/lockdep4j/WarmUp", someClass, 0);
        try {
            Files.deleteIfExists(entry("io/lockdep4j/WarmUp", someClass, 0));
        } catch (IOException | RuntimeException e) {
            // a scratch file left behind
        }
    }

    /** Keeps a JDK class's transformation (see the other store). */
    public void store(String internalName, byte[] input, int flags, byte[] output, List<Intern> interns) {
        store(internalName, input, flags, output, interns, new String[0], new long[0]);
    }

    /**
     * Keeps a transformation ({@code output} null: unchanged; else the template) with the other class
     * files it read and their digests. Never throws; a failed write is only a later miss.
     */
    public void store(String internalName, byte[] input, int flags, byte[] output, List<Intern> interns, String[] readNames,
            long[] readDigests) {
        input = keyOf(input, flags);
        Path file = entry(internalName, input, flags);
        if (file == null) {
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(input.length + (output == null ? 0 : output.length) + 256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(internalName);
            out.writeInt(flags);
            out.writeInt(input.length);
            out.write(input);
            out.writeInt(output == null ? -1 : output.length);
            if (output != null) {
                out.write(output);
            }
            out.writeLong(crc(output));
            out.writeInt(interns.size());
            for (Intern i : interns) {
                out.writeByte(i.type);
                out.writeUTF(i.value);
                out.writeByte(i.kind);
                out.writeInt(i.id);
            }
            out.writeInt(readNames.length);
            for (int i = 0; i < readNames.length; i++) {
                out.writeUTF(readNames[i]);
                out.writeLong(readDigests[i]);
            }
            write(file, bytes.toByteArray());
        } catch (IOException | RuntimeException e) {
            // a miss next time
        }
    }

    /**
     * The classes a start found loaded before {@code premain} (names with a loader mark, see
     * {@link #startupKey}), each with whether the start rewrote it. Empty when there is none yet.
     */
    Map<String, Boolean> startupSet() {
        Map<String, Boolean> set = new HashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve(STARTUP_SET), StandardCharsets.UTF_8)) {
                if (line.length() > 2 && (line.charAt(0) == '+' || line.charAt(0) == '-')) {
                    set.put(line.substring(1), line.charAt(0) == '+');
                }
            }
        } catch (IOException | RuntimeException e) {
            return Collections.emptyMap();
        }
        return set;
    }

    /** Replaces the start-up set (merged by the caller with the one read at start). */
    void writeStartupSet(Map<String, Boolean> set) {
        StringBuilder text = new StringBuilder(set.size() * 48);
        for (Map.Entry<String, Boolean> e : set.entrySet()) {
            text.append(e.getValue() ? '+' : '-').append(e.getKey()).append('\n');
        }
        try {
            write(dir.resolve(STARTUP_SET), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // the next start takes the slow path again
        }
    }

    /** A loaded class's key in the start-up set: its name and B (boot), P (platform) or A (any other loader). */
    public static String startupKey(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        return (loader == null ? "B " : loader == ClassLoader.getPlatformClassLoader() ? "P " : "A ") + c.getName();
    }

    /**
     * What an entry is keyed by and compares: the input, with a retransformation's methods in
     * canonical order (HotSpot reconstitutes them in an order that changes from run to run; see
     * {@link ClassFileLayout}).
     */
    private static byte[] keyOf(byte[] input, int flags) {
        return input != null && (flags & RETRANSFORM) != 0 ? ClassFileLayout.methodsInCanonicalOrder(input) : input;
    }

    private Path entry(String internalName, byte[] input, int flags) {
        if (internalName == null || internalName.length() > 180 || input == null) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(input);
        return dir.resolve(internalName.replace('/', '.') + "." + input.length + "." + Long.toHexString(crc.getValue()) + "." + flags);
    }

    private static long crc(byte[] bytes) {
        if (bytes == null) {
            return -1;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        // not ProcessHandle.current().pid(): its first use starts a thread pool (55 ms of a start)
        Path tmp = file.resolveSibling(file.getFileName() + "." + Long.toHexString(System.nanoTime())
                + Integer.toHexString(System.identityHashCode(new Object())) + ".tmp");
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Everything but the class bytes that a cached result depends on: the agent jar (every entry's
     * name and CRC, so a rebuilt agent never reuses an old one's bytes), the options in effect, the JVM.
     */
    private static String fingerprint(AgentOptions options) throws IOException {
        return new Fingerprint().of(options);
    }

    private static final class Fingerprint {
        private final CRC32 crc = new CRC32();
        private final java.util.zip.Adler32 adler = new java.util.zip.Adler32();

        String of(AgentOptions options) throws IOException {
            java.security.CodeSource source = TransformCache.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                throw new IOException("the agent jar is unknown");
            }
            Path jar;
            try {
                jar = Path.of(source.getLocation().toURI());
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                throw new IOException(e);
            }
            if (!Files.isRegularFile(jar)) {
                throw new IOException("the agent is not a jar"); // classes on a class path: a developer's build, no cache
            }
            update(centralDirectory(jar));
            for (Map.Entry<String, String> o : options.effective.entrySet()) {
                update(o.getKey());
                update(o.getValue());
            }
            for (String p : new String[] {"java.vm.name", "java.vm.vendor", "java.vm.version", "java.runtime.version", "java.home"}) {
                update(String.valueOf(System.getProperty(p)));
            }
            // two independent 32-bit checksums of the same text: no two configurations a user runs share a name
            return Long.toHexString(crc.getValue()) + "-" + Long.toHexString(adler.getValue());
        }

        private void update(String s) {
            update(s.getBytes(StandardCharsets.UTF_8));
        }

        private void update(byte[] b) {
            crc.update(b);
            crc.update(0);
            adler.update(b);
            adler.update(0);
        }
    }

    /**
     * The jar's central directory: every entry's name, CRC and sizes in one read (a ZipFile walk over
     * its two thousand entries took 30 ms of each start). Zip64 jars are read entry by entry.
     */
    static byte[] centralDirectory(Path jar) throws IOException {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(jar.toFile(), "r")) {
            long length = file.length();
            int tail = (int) Math.min(length, 22 + 65535);
            byte[] end = new byte[tail];
            file.seek(length - tail);
            file.readFully(end);
            for (int i = tail - 22; i >= 0; i--) { // the end-of-central-directory record, found from the back
                if (end[i] == 0x50 && end[i + 1] == 0x4b && end[i + 2] == 0x05 && end[i + 3] == 0x06) {
                    long size = le32(end, i + 12);
                    long offset = le32(end, i + 16);
                    if (size == 0xffffffffL || offset == 0xffffffffL || offset + size > length) {
                        break;
                    }
                    byte[] directory = new byte[(int) size];
                    file.seek(offset);
                    file.readFully(directory);
                    return directory;
                }
            }
        }
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                names.write((entry.getName() + "\0" + Long.toHexString(entry.getCrc()) + "\0").getBytes(StandardCharsets.UTF_8));
            }
        }
        return names.toByteArray();
    }

    private static long le32(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }

    /**
     * Removes entries written more than {@link #ENTRY_LIFETIME_MILLIS} ago, at most once a day (a
     * marker file's time): application classes change with every build, and the bytes of each
     * version would otherwise stay. An entry still in use is written again at its next miss.
     */
    private static void pruneEntries(Path dir) {
        long now = System.currentTimeMillis();
        Path marker = dir.resolve(PRUNED_MARKER);
        try {
            if (Files.exists(marker) && now - Files.getLastModifiedTime(marker).toMillis() < PRUNE_AFTER_MILLIS) {
                return;
            }
            write(marker, new byte[0]);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    if (!n.equals(STARTUP_SET) && !n.equals(PRUNED_MARKER)
                            && now - Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis() > ENTRY_LIFETIME_MILLIS) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // pruning is best effort
        }
    }

    /** Removes the cache directories of other agent builds, options or JVMs not used for a day. */
    private static void pruneSiblings(Path base, String keep) {
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, "transforms-*")) {
            for (Path d : dirs) {
                if (d.getFileName().toString().equals(keep)) {
                    continue;
                }
                FileTime used = Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS);
                if (now - used.toMillis() > PRUNE_AFTER_MILLIS) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                        for (Path f : files) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            // pruning is best effort
        }
    }
}
