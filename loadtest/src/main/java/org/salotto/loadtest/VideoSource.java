package org.salotto.loadtest;

/**
 * Synthetic VP8 at a given bitrate: 30 frames per second, each split into packets of at most 1200 payload bytes with
 * the marker on the last, a keyframe (three times a frame's size) every few seconds and soon after a PLI or FIR. Each
 * packet starts with a VP8 payload descriptor (RFC 7741 section 4.2; S on a frame's first packet) and, on a frame's
 * first packet, a VP8 frame header (RFC 6386 section 9.1): the frame tag, whose P bit tells key from delta frames,
 * and on a keyframe the start code and the layer's width and height, which the server reads to know how large a
 * simulcast layer is. The byte before the send time (the payload's last 8 bytes) is the layer's index (1 to 3 from
 * the lowest, 0 for one encoding): a viewer that decrypts a packet learns which layer it was sent.
 *
 * <p>A simulcast layer can be paused ({@code publisherLayers}, dynacast): it sends nothing while its clock runs on, and
 * starts again with a keyframe, as a browser's encoder does when an encoding is turned back on.
 */
final class VideoSource extends PacedSource {
    private static final int FPS = 30;
    private static final long FRAME_NANOS = 1_000_000_000L / FPS;
    private static final int MAX_PAYLOAD = 1200;
    private static final int KEYFRAME_FACTOR = 3;
    /** Descriptor (1), keyframe header (10), layer index (1), send time (8). */
    static final int MIN_PAYLOAD = 20;

    private final RtpWriter writer;
    private final Metrics metrics;
    private final SimulcastLayer layer;
    private final int frameBytes;
    private final int keyframeEveryFrames;
    private long rtpTimestamp = (long) (Math.random() * 0xFFFFFFFFL);
    private long frame;
    private long nextNanos;
    volatile boolean keyframeRequested;
    private volatile boolean paused;

    VideoSource(RtpWriter writer, Metrics metrics, int kbps, int keyframeSeconds) {
        this(writer, metrics, kbps, keyframeSeconds, SimulcastLayer.SINGLE);
    }

    /** One layer of a simulcast publisher ({@link SimulcastLayer#SINGLE} for one encoding), at {@code kbps}. */
    VideoSource(RtpWriter writer, Metrics metrics, int kbps, int keyframeSeconds, SimulcastLayer layer) {
        this.writer = writer;
        this.metrics = metrics;
        this.layer = layer;
        this.frameBytes = Math.max(MIN_PAYLOAD, kbps * 1000 / 8 / FPS);
        this.keyframeEveryFrames = Math.max(1, keyframeSeconds * FPS);
    }

    SimulcastLayer layer() {
        return layer;
    }

    RtpWriter writer() {
        return writer;
    }

    boolean paused() {
        return paused;
    }

    /** Pauses or resumes sending (any thread); a resumed layer starts on a keyframe. */
    void setPaused(boolean pause) {
        if (paused == pause) return;
        if (!pause) keyframeRequested = true;
        paused = pause;
    }

    @Override
    long run(long nowNanos) {
        if (nextNanos == 0) nextNanos = nowNanos;
        if (!paused) sendFrame();
        frame++;
        rtpTimestamp = (rtpTimestamp + 90000 / FPS) & 0xFFFFFFFFL;
        nextNanos += FRAME_NANOS;
        if (nextNanos < nowNanos) nextNanos = nowNanos + FRAME_NANOS;
        return nextNanos;
    }

    private void sendFrame() {
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
            int size = Math.min(MAX_PAYLOAD, Math.max(remaining, MIN_PAYLOAD));
            remaining -= size;
            buf[at] = (byte) (first ? 0x10 : 0x00); // X=0 N=0 S=first PID=0
            if (first) writeFrameHeader(buf, at + 1, key, layer.width(), layer.height());
            buf[at + size - 9] = (byte) layer.index();
            writer.send(rtpTimestamp, remaining <= 0, size);
            first = false;
        }
    }

    /**
     * A VP8 frame header (RFC 6386 section 9.1) at {@code p}: the 3-byte frame tag (P = 0 on a keyframe, version 0,
     * show_frame, a first partition size of 0) and, on a keyframe, the start code 9d 01 2a and the width and height,
     * 14 bits each, little-endian, with no scaling. 10 bytes for a keyframe, 3 for a delta frame.
     */
    static int writeFrameHeader(byte[] buf, int p, boolean key, int width, int height) {
        buf[p] = (byte) (key ? 0x10 : 0x11);
        buf[p + 1] = 0;
        buf[p + 2] = 0;
        if (!key) return 3;
        buf[p + 3] = (byte) 0x9d;
        buf[p + 4] = 0x01;
        buf[p + 5] = 0x2a;
        buf[p + 6] = (byte) width;
        buf[p + 7] = (byte) (width >>> 8 & 0x3F);
        buf[p + 8] = (byte) height;
        buf[p + 9] = (byte) (height >>> 8 & 0x3F);
        return 10;
    }
}
