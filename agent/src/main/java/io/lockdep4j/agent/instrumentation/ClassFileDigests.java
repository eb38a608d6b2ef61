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
        Map<String, Long> known;
        synchronized (LOCK) {
            known = BY_LOADER.get(loader);
            if (known == null) {
                if (BY_LOADER.size() >= MAX_LOADERS) {
                    BY_LOADER.clear();
                }
                known = new HashMap<>();
                BY_LOADER.put(loader, known);
            }
            Long d = known.get(internalName);
            if (d != null) {
                return d;
            }
        }
        long d = read(loader, internalName);
        synchronized (LOCK) {
            if (known.size() >= MAX_NAMES) {
                known.clear();
            }
            known.put(internalName, d);
        }
        return d;
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
            byte[] b = in.readAllBytes();
            CRC32 crc = new CRC32();
            crc.update(b);
            Adler32 adler = new Adler32();
            adler.update(b);
            long d = crc.getValue() << 32 | adler.getValue();
            return d == ABSENT || d == UNREADABLE ? 1 : d;
        } catch (Throwable e) {
            return UNREADABLE;
        }
    }
}
