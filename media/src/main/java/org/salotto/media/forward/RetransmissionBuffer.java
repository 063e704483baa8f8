package org.salotto.media.forward;

/**
 * The last packets of one RTP stream, by sequence number, so that a subscriber's NACK (RFC 4585 §6.2.1) is answered
 * from the server instead of asking the publisher. A fixed ring of preallocated slots: storing copies bytes, never
 * allocates.
 */
final class RetransmissionBuffer {
    static final int SLOTS = 512;
    /** Packets older than this are not worth resending: the receiver's jitter buffer has moved on. */
    static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final byte[][] packets = new byte[SLOTS][];
    private final int[] lengths = new int[SLOTS];
    private final int[] sequence = new int[SLOTS];
    private final long[] storedAt = new long[SLOTS];

    RetransmissionBuffer(int packetSize) {
        for (int i = 0; i < SLOTS; i++) {
            packets[i] = new byte[packetSize];
            sequence[i] = -1;
        }
    }

    void store(byte[] buf, int off, int len, int seq, long nowNanos) {
        int slot = seq & (SLOTS - 1);
        if (len > packets[slot].length) return;
        System.arraycopy(buf, off, packets[slot], 0, len);
        lengths[slot] = len;
        sequence[slot] = seq;
        storedAt[slot] = nowNanos;
    }

    /** The slot holding this sequence number, or -1 if it is not (or no longer) stored. */
    int find(int seq, long nowNanos) {
        int slot = seq & (SLOTS - 1);
        if (sequence[slot] != seq || nowNanos - storedAt[slot] > MAX_AGE_NANOS) return -1;
        return slot;
    }

    byte[] packet(int slot) {
        return packets[slot];
    }

    int length(int slot) {
        return lengths[slot];
    }
}
