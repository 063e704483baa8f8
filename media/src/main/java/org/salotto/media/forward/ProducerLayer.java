package org.salotto.media.forward;

import java.nio.charset.StandardCharsets;
import org.salotto.media.params.MediaKind;

/**
 * One RTP stream of a producer: the only one of a plain track, or one simulcast layer (RFC 8853) named by its rid,
 * whose SSRC is learnt from the RID header extension of its first packet. Its own receive statistics,
 * retransmission buffer and NACK generator (each layer numbers its packets on its own), keyframe request throttle, and
 * the size of its last keyframe when the codec says it (VP8). Loop thread only.
 */
final class ProducerLayer {
    static final long RATE_WINDOW_NANOS = 1_000_000_000L;
    final int index;
    /** Null for a stream announced by SSRC. */
    final String rid;
    /** The rid's bytes, compared with the RID element without making a string. */
    final byte[] ridBytes;
    int ssrc;
    int rtxSsrc;
    final ReceiveStatistics statistics;
    final RetransmissionBuffer retransmissions;
    final KeyframeRequestThrottle keyframes = new KeyframeRequestThrottle();
    /** Asks the publisher for this stream's lost packets: video whose codec negotiated {@code nack}; null otherwise. */
    final NackGenerator nacks;
    /** From the last keyframe, 0 when unknown. */
    int width;
    int height;
    /** Arrival of the last packet; meaningful when {@link #received}. */
    long lastPacketNanos;
    boolean received;
    /** Bytes of RTP received (originals and repairs), for {@link #bitrate}. */
    long bytes;
    private boolean windowStarted;
    private long windowStartNanos;
    private long windowStartBytes;
    private long lastWindowBitrate;
    private long previousWindowBitrate;
    private long knownBitrate;

    ProducerLayer(int index, String rid, int ssrc, int rtxSsrc, MediaKind kind, int clockRate, NackSettings nack) {
        this.index = index;
        this.rid = rid;
        this.ridBytes = rid == null ? null : rid.getBytes(StandardCharsets.US_ASCII);
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.statistics = new ReceiveStatistics(clockRate);
        this.retransmissions = kind == MediaKind.VIDEO ? new RetransmissionBuffer(1500) : null;
        this.nacks = nack == null ? null : new NackGenerator(nack);
    }

    /** Whether the element at {@code b[off, off+len)} names this layer. */
    boolean ridMatches(byte[] b, int off, int len) {
        if (ridBytes == null || len != ridBytes.length) return false;
        for (int i = 0; i < len; i++) if (b[off + i] != ridBytes[i]) return false;
        return true;
    }

    /**
     * What this stream brings in, in bits per second: the larger of the last two complete windows of {@link
     * #RATE_WINDOW_NANOS} (a keyframe in one does not halve the figure in the next); 0 before the first window ends.
     * Windows are rolled by whoever asks (each subscriber's allocator, on the loop thread), so the figure is never
     * older than a window plus an allocation interval. Allocates nothing.
     */
    long bitrate(long nowNanos) {
        if (!windowStarted) {
            windowStarted = true;
            windowStartNanos = nowNanos;
            windowStartBytes = bytes;
        } else if (nowNanos - windowStartNanos >= RATE_WINDOW_NANOS) {
            previousWindowBitrate = lastWindowBitrate;
            lastWindowBitrate = (bytes - windowStartBytes) * 8_000_000_000L / (nowNanos - windowStartNanos);
            windowStartNanos = nowNanos;
            windowStartBytes = bytes;
        }
        long rate = Math.max(lastWindowBitrate, previousWindowBitrate);
        if (rate > 0) knownBitrate = rate;
        return rate;
    }

    /**
     * The last non-zero {@link #bitrate} figure: what this layer brought in while it was sent, for a layer the
     * publisher has paused since (dynacast); 0 when it was never measured.
     */
    long knownBitrate() {
        return knownBitrate;
    }

    /** Whether packets came within {@code windowNanos} before {@code nowNanos}. */
    boolean isActive(long nowNanos, long windowNanos) {
        return received && nowNanos - lastPacketNanos <= windowNanos;
    }
}
