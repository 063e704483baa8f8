package org.salotto.loadtest;

/** Opus-sized audio: one 100-byte payload every 20 ms (50 packets per second), RTP clock 48 kHz. */
final class AudioSource extends PacedSource {
    static final int PAYLOAD_BYTES = 100;
    private static final long INTERVAL_NANOS = 20_000_000;
    private static final int SAMPLES_PER_PACKET = 960;

    private final RtpWriter writer;
    private long rtpTimestamp = (long) (Math.random() * 0xFFFFFFFFL);
    private long nextNanos;

    AudioSource(RtpWriter writer) {
        this.writer = writer;
    }

    @Override
    long run(long nowNanos) {
        if (nextNanos == 0) nextNanos = nowNanos;
        writer.send(rtpTimestamp, false, PAYLOAD_BYTES);
        rtpTimestamp = (rtpTimestamp + SAMPLES_PER_PACKET) & 0xFFFFFFFFL;
        nextNanos += INTERVAL_NANOS;
        if (nextNanos < nowNanos) nextNanos = nowNanos + INTERVAL_NANOS; // fell behind: do not burst to catch up
        return nextNanos;
    }
}
