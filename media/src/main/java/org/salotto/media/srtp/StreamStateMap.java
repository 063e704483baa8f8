package org.salotto.media.srtp;

/**
 * SSRC to {@link StreamState}, open addressing with linear probing over an {@code int[]} of keys: no boxing, no
 * allocation on lookup. Grows (allocating) only when a new SSRC arrives; holds at most {@code limit} SSRCs so a peer
 * cannot make it grow without end. No removal: SSRCs in one DTLS session are few and the context dies with it.
 */
final class StreamStateMap {

    private final int limit;
    private int[] keys;
    private StreamState[] values;
    private int size;
    /** One-entry cache: consecutive packets usually share an SSRC. */
    private StreamState last;

    StreamStateMap(int limit) {
        this.limit = limit;
        keys = new int[16];
        values = new StreamState[16];
    }

    private static int slot(int ssrc, int mask) {
        int h = ssrc * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    /** The state for {@code ssrc}, or {@code null}. */
    StreamState get(int ssrc) {
        StreamState cached = last;
        if (cached != null && cached.ssrc == ssrc) {
            return cached;
        }
        int mask = keys.length - 1;
        for (int i = slot(ssrc, mask); ; i = (i + 1) & mask) {
            StreamState v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                last = v;
                return v;
            }
        }
    }

    boolean isFull() {
        return size >= limit;
    }

    int size() {
        return size;
    }

    /** The state for {@code ssrc}, created if absent; {@code null} if absent and the map is full. */
    StreamState getOrCreate(int ssrc) {
        StreamState v = get(ssrc);
        if (v != null) {
            return v;
        }
        if (isFull()) {
            return null;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        v = new StreamState(ssrc);
        insert(keys, values, ssrc, v);
        size++;
        last = v;
        return v;
    }

    private static void insert(int[] keys, StreamState[] values, int ssrc, StreamState v) {
        int mask = keys.length - 1;
        int i = slot(ssrc, mask);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = ssrc;
        values[i] = v;
    }

    private void grow() {
        int[] newKeys = new int[keys.length * 2];
        StreamState[] newValues = new StreamState[keys.length * 2];
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null) {
                insert(newKeys, newValues, keys[i], values[i]);
            }
        }
        keys = newKeys;
        values = newValues;
    }
}
