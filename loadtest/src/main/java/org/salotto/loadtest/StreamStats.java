package org.salotto.loadtest;

/**
 * Reception of one SSRC at one subscriber: packets, loss from sequence gaps, and interarrival jitter as RFC 3550
 * section 6.4.1 defines it (appendix A.8). Written by one receiver thread only; read by the reporter, racily while the
 * run goes (good enough for a progress line) and exactly at the end, after the receiver threads have stopped.
 */
final class StreamStats {
    /** The stream id (a=msid) of an audience's fixed audio slot: whom it carries comes in {@code stageSlots}. */
    static final String SLOT_STREAM = "~stage";
    final ClientSdp.Stream stream;
    long received;
    /**
     * Whom the packets arriving now come from: the stream's owner, or for a fixed slot the person {@code stageSlots}
     * last named (null: the slot carries nobody). Written by the signaling thread.
     */
    volatile String owner;
    private String lastOwner;
    /** Everyone whose packets arrived on this stream (a slot carries several people in turn). */
    final java.util.Set<String> ownersHeard = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long baseSequence = -1;
    private long highestSequence; // extended: cycles in the high bits (RFC 3550 appendix A.1)
    private double lastTransit;
    private double jitter; // in RTP timestamp units
    /** Bytes received (SRTP datagrams' lengths) and the first and last arrival, ns since the run's start. */
    long bytes;
    long firstArrivalNanos = -1;
    long lastArrivalNanos;
    /**
     * Of the packets decrypted for the delay, how many each layer sent (index 0: one encoding, 1 to 3: a simulcast
     * layer from the lowest, {@link SimulcastLayer#index}); video only.
     */
    final long[] sampledByLayer = new long[SimulcastLayer.ALL.size() + 1];
    /** Video: whether the stream's first packet started a VP8 keyframe (null before it came). */
    volatile Boolean firstKeyframe;

    /**
     * The subscriber connection it came on: 0 the first, one more after each loss (a listener that came back through
     * another node gets that node's streams).
     */
    int connection;

    StreamStats(ClientSdp.Stream stream) {
        this.stream = stream;
        this.owner = isSlot() ? null : stream.ownerId();
    }

    boolean isSlot() {
        return SLOT_STREAM.equals(stream.ownerId());
    }

    void onPacket(int sequence, long rtpTimestamp, long arrivalNanosSinceStart, int length) {
        received++;
        bytes += length;
        if (firstArrivalNanos < 0) firstArrivalNanos = arrivalNanosSinceStart;
        lastArrivalNanos = arrivalNanosSinceStart;
        String o = owner;
        if (o != lastOwner) { // rare: a slot changed hands (adding a known owner allocates nothing anyway)
            lastOwner = o;
            if (o != null) ownersHeard.add(o);
        }
        double arrival = arrivalNanosSinceStart * (stream.clockRate() / 1e9);
        double transit = arrival - rtpTimestamp;
        if (baseSequence < 0) {
            baseSequence = sequence;
            highestSequence = sequence;
            lastTransit = transit;
            return;
        }
        long cycles = highestSequence & ~0xFFFFL;
        long candidate = cycles | sequence;
        // The candidate nearest the highest seen so far: sequence numbers wrap at 2^16.
        if (candidate < highestSequence - 0x8000) candidate += 0x10000;
        else if (candidate > highestSequence + 0x8000) candidate -= 0x10000;
        if (candidate > highestSequence) highestSequence = candidate;
        double d = Math.abs(transit - lastTransit);
        lastTransit = transit;
        jitter += (d - jitter) / 16;
    }

    long expected() {
        return baseSequence < 0 ? 0 : highestSequence - baseSequence + 1;
    }

    long lost() {
        return Math.max(0, expected() - received);
    }

    /** The mean bitrate received, kbit/s, from the first packet to the last; 0 with fewer than two. */
    double kbps() {
        long span = lastArrivalNanos - firstArrivalNanos;
        return firstArrivalNanos < 0 || span <= 0 ? 0 : bytes * 8e6 / span;
    }

    double jitterMillis() {
        return jitter * 1000.0 / stream.clockRate();
    }
}
