package org.salotto.media.bwe;

/**
 * The rate the peer reports receiving (R̂ in draft-ietf-rmcat-gcc-02 §5.5): the bytes of the packets received within
 * the last {@link #WINDOW_MICROS} of the peer's clock, over that window. AIMD decreases to a fraction of it, and does
 * not increase far above it. Bytes are summed in {@link #BUCKETS} buckets of {@link #BUCKET_MICROS} by arrival time:
 * a few hundred bytes whatever the rate.
 */
final class AcknowledgedBitrate {
    static final long BUCKET_MICROS = 10_000;
    static final int BUCKETS = 50;
    static final long WINDOW_MICROS = BUCKET_MICROS * BUCKETS;

    private final long[] bucketId = new long[BUCKETS];
    private final long[] bytes = new long[BUCKETS];
    private long newestId = Long.MIN_VALUE;
    private long newestArrival;
    private long first = Long.MIN_VALUE;

    AcknowledgedBitrate() {
        java.util.Arrays.fill(bucketId, Long.MIN_VALUE);
    }

    void add(long arrivalMicros, int size) {
        long id = Math.floorDiv(arrivalMicros, BUCKET_MICROS);
        if (newestId != Long.MIN_VALUE && id <= newestId - BUCKETS) return; // older than the window
        if (first == Long.MIN_VALUE) first = arrivalMicros;
        int slot = (int) Math.floorMod(id, (long) BUCKETS);
        if (bucketId[slot] != id) {
            bucketId[slot] = id;
            bytes[slot] = 0;
        }
        bytes[slot] += size;
        if (id > newestId) newestId = id;
        if (arrivalMicros > newestArrival) newestArrival = arrivalMicros;
    }

    /** Bits per second over the window, or -1 until the peer has reported a full window. */
    long bitrate() {
        if (first == Long.MIN_VALUE || newestArrival - first < WINDOW_MICROS) return -1;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketId[i] > newestId - BUCKETS && bucketId[i] <= newestId) sum += bytes[i];
        }
        // The newest bucket is still filling: the window is the older buckets plus what of it has passed.
        long span = (BUCKETS - 1) * BUCKET_MICROS + (newestArrival - newestId * BUCKET_MICROS) + 1;
        return sum * 8 * 1_000_000 / span;
    }
}
