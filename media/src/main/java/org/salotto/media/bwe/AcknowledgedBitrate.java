package org.salotto.media.bwe;

/**
 * The rate the peer reports receiving (R̂ in draft-ietf-rmcat-gcc-02 §5.5): the bytes of the packets received within
 * the last {@link #WINDOW_MICROS} of the peer's clock, over that window. AIMD decreases to a fraction of it, and does
 * not increase far above it. A fixed ring of packets; nothing allocated.
 */
final class AcknowledgedBitrate {
    static final long WINDOW_MICROS = 500_000;
    private static final int CAPACITY = 4096;
    private static final int MASK = CAPACITY - 1;

    private final long[] arrival = new long[CAPACITY];
    private final int[] size = new int[CAPACITY];
    private int head; // next write
    private int tail; // oldest kept
    private long bytes;
    private long newest = Long.MIN_VALUE;
    private long first = Long.MIN_VALUE;

    void add(long arrivalMicros, int bytes) {
        if (first == Long.MIN_VALUE) first = arrivalMicros;
        if (arrivalMicros > newest) newest = arrivalMicros;
        if (head - tail == CAPACITY) drop();
        arrival[head & MASK] = arrivalMicros;
        size[head & MASK] = bytes;
        head++;
        this.bytes += bytes;
        while (tail != head && arrival[tail & MASK] <= newest - WINDOW_MICROS) drop();
    }

    private void drop() {
        bytes -= size[tail & MASK];
        tail++;
    }

    /** Bits per second over the window, or -1 until the peer has reported a full window. */
    long bitrate() {
        if (first == Long.MIN_VALUE || newest - first < WINDOW_MICROS) return -1;
        return bytes * 8 * 1_000_000 / WINDOW_MICROS;
    }
}
