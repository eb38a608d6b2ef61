package io.lockdep4j.agent.instrumentation;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * A digest of a class file as a loader finds it ({@code getResourceAsStream}): two independent
 * 32-bit checksums (CRC-32 and Adler-32) in one long, {@link #ABSENT} when the loader finds none.
 * What the {@link io.lockdep4j.agent.TransformCache} compares to tell whether an application class's
 * supertypes are the ones its cached transformation saw. Remembered per loader (weakly) and name,
 * bounded: at most {@link #MAX_LOADERS} loaders of {@link #MAX_NAMES} names (a full table is cleared).
 */
final class ClassFileDigests {
    private ClassFileDigests() {}

    static final long ABSENT = 0;
    /** The loader found the file but it could not be read: equal only to another such read. */
    static final long UNREADABLE = 2;
    static final int MAX_LOADERS = 64;
    static final int MAX_NAMES = 8192;
    private static final Object LOCK = new Object();
    private static final Map<ClassLoader, Map<String, Long>> BY_LOADER = new WeakHashMap<>();

    /** The digest of {@code internalName}'s class file as {@code loader} (not the bootstrap loader) finds it. */
    static long of(ClassLoader loader, String internalName) {
        Map<String, Long> known = known(loader, internalName);
        synchronized (LOCK) {
            Long d = known.get(internalName);
            if (d != null) {
                return d;
            }
        }
        long d = read(loader, internalName);
        remember(known, internalName, d);
        return d;
    }

    /**
     * {@code loader} found these bytes for {@code internalName} (TypeHierarchy read them to match the
     * class being loaded against the method patterns): their digest is remembered, so that checking
     * a cached transformation's supertypes right after does not read the same class files again.
     */
    static void noteRead(ClassLoader loader, String internalName, byte[] bytes) {
        if (loader == null || bytes == null) {
            return;
        }
        Map<String, Long> known = known(loader, internalName);
        synchronized (LOCK) {
            if (known.containsKey(internalName)) {
                return;
            }
        }
        remember(known, internalName, digest(bytes));
    }

    /** The table for this loader; a java.* class file is the JDK's whichever loader asks (as in TypeHierarchy). */
    private static Map<String, Long> known(ClassLoader loader, String internalName) {
        ClassLoader key = internalName.startsWith("java/") ? ClassLoader.getPlatformClassLoader() : loader;
        synchronized (LOCK) {
            Map<String, Long> known = BY_LOADER.get(key);
            if (known == null) {
                if (BY_LOADER.size() >= MAX_LOADERS) {
                    BY_LOADER.clear();
                }
                known = new HashMap<>();
                BY_LOADER.put(key, known);
            }
            return known;
        }
    }

    private static void remember(Map<String, Long> known, String internalName, long d) {
        synchronized (LOCK) {
            if (known.size() >= MAX_NAMES) {
                known.clear();
            }
            known.put(internalName, d);
        }
    }

    /** Whether every named class file has the digest it had (names and digests side by side). */
    static boolean unchanged(ClassLoader loader, String[] names, long[] digests) {
        for (int i = 0; i < names.length; i++) {
            if (of(loader, names[i]) != digests[i]) {
                return false;
            }
        }
        return true;
    }

    private static long read(ClassLoader loader, String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                return ABSENT;
            }
            return digest(in.readAllBytes());
        } catch (Throwable e) {
            return UNREADABLE;
        }
    }

    private static long digest(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        Adler32 adler = new Adler32();
        adler.update(b);
        long d = crc.getValue() << 32 | adler.getValue();
        return d == ABSENT || d == UNREADABLE ? 1 : d;
    }
}
