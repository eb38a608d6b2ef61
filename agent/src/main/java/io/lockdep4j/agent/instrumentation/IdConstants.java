package io.lockdep4j.agent.instrumentation;

import java.util.Map;

/**
 * The ids that rewritten bytecode carries ({@link Interns}: lock classes, monitor sites, open sites)
 * are numbers given out in the order a JVM asks for them, so two JVMs give the same name different
 * ids once their classes load in another order (two test classes in two forks). For the
 * {@link io.lockdep4j.agent.TransformCache} to keep bytes that any later JVM can use, a cached
 * transformation emits each id as a <em>tagged</em> constant, {@code TAG | type << 16 | id} (or its
 * negation: monitor sites are passed negated), which can only come from us: a class whose own
 * constant pool already holds a value in that range is not tagged and not cached
 * ({@link #anyTagged}). Every tagged value is a {@code CONSTANT_Integer} (javac's and ASM's
 * {@code ldc} of an int above 32767), so the bytes a JVM runs are the template with those
 * constant-pool entries replaced by the ids this JVM gave ({@link #patch}); nothing else in the
 * class file moves.
 */
final class IdConstants {
    private IdConstants() {}

    /** The tag's bits: above every id (ids are below 1 << 16, types below 4), far from usual constants. */
    static final int TAG = 0x4CD00000;
    private static final int TAG_MASK = 0xFFFC0000;

    /** The constant that stands for {@code id} of this Interns type in a template (0 stays 0: "no id"). */
    static int tagged(byte type, int id) {
        return id <= 0 || id >= 1 << 16 ? id : TAG | type << 16 | id;
    }

    static boolean isTagged(int value) {
        return (value & TAG_MASK) == TAG || value != Integer.MIN_VALUE && (-value & TAG_MASK) == TAG;
    }

    /** Whether the class file's constant pool holds a tagged-looking integer already (or cannot be read). */
    static boolean anyTagged(byte[] classFile) {
        return walk(classFile, null, null) != 0;
    }

    /**
     * The template with each tagged constant replaced by {@code ids.get(tagged)} (negated for a negated
     * one); null when the template cannot be read or holds a tagged value {@code ids} does not map.
     */
    static byte[] patch(byte[] template, Map<Integer, Integer> ids) {
        byte[] out = template.clone();
        return walk(template, ids, out) == 0 ? out : null;
    }

    /**
     * Walks the constant pool; with {@code out}, writes each tagged integer's replacement into it.
     * Returns 0, or 1 when a tagged value is found without {@code ids} / not found in {@code ids},
     * or the file is not understood.
     */
    private static int walk(byte[] b, Map<Integer, Integer> ids, byte[] out) {
        try {
            return ClassFileLayout.walkConstantPool(b, new Patcher(ids, out)) < 0 ? 1 : 0;
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** Not a lambda: this runs inside class loading, where a first lambda's bootstrap may need the class being loaded. */
    private static final class Patcher implements ClassFileLayout.IntegerConstants {
        private final Map<Integer, Integer> ids;
        private final byte[] out;

        Patcher(Map<Integer, Integer> ids, byte[] out) {
            this.ids = ids;
            this.out = out;
        }

        @Override
        public boolean at(int offset, int v) {
            if (isTagged(v)) {
                boolean negated = (v & TAG_MASK) != TAG;
                Integer id = ids == null ? null : ids.get(negated ? -v : v);
                if (id == null) {
                    return false;
                }
                put4(out, offset, negated ? -id : id);
            }
            return true;
        }
    }

    private static void put4(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }
}
