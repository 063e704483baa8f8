package org.salotto.media.forward;

/**
 * An open-addressing map from int (an SSRC) to an object, so that the per-packet lookup neither boxes nor allocates.
 * Not thread-safe: used on the loop thread only.
 */
final class IntObjectMap<V> {
    private int[] keys = new int[16];
    private Object[] values = new Object[16];
    private boolean[] used = new boolean[16];
    private int size;

    @SuppressWarnings("unchecked")
    V get(int key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) return (V) values[i];
        }
        return null;
    }

    void put(int key, V value) {
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (used[i] && keys[i] != key) i = (i + 1) & mask;
        if (!used[i]) size++;
        used[i] = true;
        keys[i] = key;
        values[i] = value;
    }

    void remove(int key) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (used[i] && keys[i] != key) i = (i + 1) & mask;
        if (!used[i]) return;
        used[i] = false;
        values[i] = null;
        size--;
        // Re-insert the rest of the cluster so that lookups still find them (linear probing deletion).
        for (int j = (i + 1) & mask; used[j]; j = (j + 1) & mask) {
            int k = keys[j];
            Object v = values[j];
            used[j] = false;
            values[j] = null;
            size--;
            @SuppressWarnings("unchecked") V typed = (V) v;
            put(k, typed);
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        boolean[] oldUsed = used;
        keys = new int[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                @SuppressWarnings("unchecked") V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
