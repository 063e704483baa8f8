package org.salotto.loadtest;

/**
 * Synthetic VP8 at a given bitrate: 30 frames per second, each split into packets of at most 1200 payload bytes with
 * the marker on the last, a keyframe (three times a frame's size) every few seconds and soon after a PLI or FIR. Each
 * packet starts with a VP8 payload descriptor (RFC 7741 section 4.2; S on a frame's first packet) and, on a frame's
 * first packet, the first byte of a VP8 frame header whose P bit tells key from delta frames.
 */
final class VideoSource extends PacedSource {
    private static final int FPS = 30;
    private static final long FRAME_NANOS = 1_000_000_000L / FPS;
    private static final int MAX_PAYLOAD = 1200;
    private static final int KEYFRAME_FACTOR = 3;

    private final RtpWriter writer;
    private final Metrics metrics;
    private final int frameBytes;
    private final int keyframeEveryFrames;
    private long rtpTimestamp = (long) (Math.random() * 0xFFFFFFFFL);
    private long frame;
    private long nextNanos;
    volatile boolean keyframeRequested;

    VideoSource(RtpWriter writer, Metrics metrics, int kbps, int keyframeSeconds) {
        this.writer = writer;
        this.metrics = metrics;
        this.frameBytes = Math.max(16, kbps * 1000 / 8 / FPS);
        this.keyframeEveryFrames = Math.max(1, keyframeSeconds * FPS);
    }

    @Override
    long run(long nowNanos) {
        if (nextNanos == 0) nextNanos = nowNanos;
        boolean key = frame % keyframeEveryFrames == 0 || keyframeRequested;
        if (key) {
            keyframeRequested = false;
            metrics.keyframesSent.increment();
        }
        int remaining = key ? frameBytes * KEYFRAME_FACTOR : frameBytes;
        byte[] buf = writer.buffer();
        int at = writer.payloadOffset();
        boolean first = true;
        while (remaining > 0) {
            int size = Math.min(MAX_PAYLOAD, Math.max(remaining, 10)); // room for descriptor, header byte, send time
            remaining -= size;
            buf[at] = (byte) (first ? 0x10 : 0x00); // X=0 N=0 S=first PID=0
            buf[at + 1] = (byte) (key ? 0x00 : 0x01); // VP8 frame tag: P=0 for a keyframe (only read on S packets)
            writer.send(rtpTimestamp, remaining <= 0, size);
            first = false;
        }
        frame++;
        rtpTimestamp = (rtpTimestamp + 90000 / FPS) & 0xFFFFFFFFL;
        nextNanos += FRAME_NANOS;
        if (nextNanos < nowNanos) nextNanos = nowNanos + FRAME_NANOS;
        return nextNanos;
    }
}
