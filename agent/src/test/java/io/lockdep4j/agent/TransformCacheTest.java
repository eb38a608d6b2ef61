package io.lockdep4j.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformCacheTest {
    @TempDir
    Path dir;

    static final byte[] INPUT = "class file bytes".getBytes();
    static final byte[] OUTPUT = "instrumented bytes".getBytes();
    static final List<TransformCache.Intern> INTERNS = List.of(new TransformCache.Intern((byte) 0, "java.util.Vector.elementData", (byte) 4, 7));

    @Test
    void anEntryIsFoundForExactlyItsInputAndFlags() {
        TransformCache cache = TransformCache.at(dir);
        cache.store("java/util/Vector", INPUT, TransformCache.RETRANSFORM, OUTPUT, INTERNS);
        TransformCache.Hit hit = cache.lookup("java/util/Vector", INPUT, TransformCache.RETRANSFORM);
        assertArrayEquals(OUTPUT, hit.output);
        assertEquals(1, hit.interns.size());
        assertEquals("java.util.Vector.elementData", hit.interns.get(0).value);
        assertEquals(7, hit.interns.get(0).id);
        assertNull(cache.lookup("java/util/Vector", INPUT, 0), "another situation (a first load, not a retransformation)");
        assertNull(cache.lookup("java/util/Stack", INPUT, TransformCache.RETRANSFORM));
        byte[] other = INPUT.clone();
        other[3] ^= 1; // same length; the CRC in the name differs
        assertNull(cache.lookup("java/util/Vector", other, TransformCache.RETRANSFORM));
    }

    @Test
    void unchangedIsCachedToo() {
        TransformCache cache = TransformCache.at(dir);
        cache.store("java/util/Vector", INPUT, 0, null, List.of());
        TransformCache.Hit hit = cache.lookup("java/util/Vector", INPUT, 0);
        assertNull(hit.output);
        assertTrue(hit.interns.isEmpty());
    }

    @Test
    void anyDamageIsAMiss() throws Exception {
        TransformCache cache = TransformCache.at(dir);
        cache.store("java/util/Vector", INPUT, 0, OUTPUT, INTERNS);
        Path entry;
        try (Stream<Path> s = Files.list(dir)) {
            entry = s.findFirst().orElseThrow();
        }
        byte[] good = Files.readAllBytes(entry);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(entry, bad);
            TransformCache.Hit hit = cache.lookup("java/util/Vector", INPUT, 0);
            // a flipped bit in an intern's string or id is not covered by the CRC: the replay then gets other ids (a miss)
            if (hit != null) {
                assertArrayEquals(OUTPUT, hit.output, "byte " + i + " changed the output unnoticed");
            }
        }
        Files.write(entry, java.util.Arrays.copyOf(good, good.length - 1));
        assertNull(cache.lookup("java/util/Vector", INPUT, 0), "a truncated entry");
        Files.write(entry, java.util.Arrays.copyOf(good, good.length + 1));
        assertNull(cache.lookup("java/util/Vector", INPUT, 0), "trailing bytes");
    }

    @Test
    void theStartupSetRoundTrips() {
        TransformCache cache = TransformCache.at(dir);
        assertTrue(cache.startupSet().isEmpty());
        StartupSet.remember(cache, Set.of("B java.lang.Thread", "B java.lang.String", "A com.acme.Main"), Set.of("B java.lang.Thread"));
        assertEquals(Map.of("B java.lang.Thread", true, "B java.lang.String", false), cache.startupSet(),
                "another loader's classes are never trusted from the set");
    }
}
