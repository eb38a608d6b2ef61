package io.lockdep4j.agent.bootstrap;

/**
 * A fixed-capacity open-addressing map from non-zero long keys to long values, for chains and
 * edges. Readers do not lock: a racy read that misses only sends the caller to the slow path,
 * which re-reads under the owner's lock. Writers must hold the owner's lock.
 */
final class LongTable {
    private final long[] keys;
    private final long[] values;
    private final int mask;
    private final int limit;
    private int size;
    volatile boolean full;

    LongTable(int capacityPowerOfTwo) {
        keys = new long[capacityPowerOfTwo];
        values = new long[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
        limit = capacityPowerOfTwo / 4 * 3;
    }

    private static int slot(long key, int mask) {
        return (int) (key ^ (key >>> 32)) & mask;
    }

    /** The value for this key, or 0 when absent. */
    long get(long key) {
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == 0) {
                return 0;
            }
        }
    }

    /** Puts or replaces; returns false when the table is full. Caller holds the owner's lock. */
    boolean put(long key, long value) {
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return true;
            }
            if (k == 0) {
                if (size >= limit) {
                    full = true;
                    return false;
                }
                values[i] = value;
                keys[i] = key;
                size++;
                return true;
            }
        }
    }

    int size() {
        return size;
    }
}
