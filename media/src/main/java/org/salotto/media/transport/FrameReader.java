package org.salotto.media.transport;

/**
 * Cuts a TCP byte stream into the packets it carries, framed as RFC 4571 §2 frames them for ICE-TCP (RFC 6544 §3):
 * each packet preceded by its length as two bytes, big-endian. Bytes arrive in whatever pieces TCP gives: a frame
 * split across reads is gathered in a fixed buffer of {@code maxFrame} bytes; frames wholly inside one read are handed
 * on where they lie, without a copy. Nothing is allocated after construction.
 *
 * <p>Checked at the edge: a frame of length 0 (no STUN, DTLS or RTP packet is empty) or longer than {@code maxFrame}
 * makes the stream bad: {@link #feed} returns false, now and for anything fed afterwards, and the connection is to be
 * closed. One reader per connection, used by one thread at a time.
 */
public final class FrameReader {
    /** Where the frames go: {@code buf[off, off+len)}, valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        void frame(byte[] buf, int off, int len);
    }

    private final int maxFrame;
    private final byte[] partial;
    /** The length of the frame being read, or -1 while its two length bytes are not both here. */
    private int expected = -1;
    /** The first length byte when only it has come, or -1. */
    private int highByte = -1;
    /** Bytes of the current frame gathered in {@link #partial}. */
    private int have;
    private boolean bad;

    public FrameReader(int maxFrame) {
        if (maxFrame < 1 || maxFrame > 65_535) throw new IllegalArgumentException("maxFrame " + maxFrame);
        this.maxFrame = maxFrame;
        this.partial = new byte[maxFrame];
    }

    public int maxFrame() {
        return maxFrame;
    }

    /** True once a frame's length was 0 or over the limit; the stream cannot be read further. */
    public boolean isBad() {
        return bad;
    }

    /** True when no frame is part-way read (the stream ended cleanly if it ends here). */
    public boolean atBoundary() {
        return expected < 0 && highByte < 0;
    }

    /**
     * Reads {@code in[off, off+len)}, handing each complete frame to {@code sink} in order.
     *
     * @return false when the stream is bad (now or before): a frame of length 0 or longer than the limit
     */
    public boolean feed(byte[] in, int off, int len, Sink sink) {
        if (bad) return false;
        int p = off;
        int end = off + len;
        while (p < end) {
            if (expected < 0) {
                int length;
                if (highByte >= 0) {
                    length = (highByte << 8) | (in[p++] & 0xFF);
                    highByte = -1;
                } else if (end - p >= 2) {
                    length = ((in[p] & 0xFF) << 8) | (in[p + 1] & 0xFF);
                    p += 2;
                } else {
                    highByte = in[p++] & 0xFF;
                    continue;
                }
                if (length == 0 || length > maxFrame) {
                    bad = true;
                    return false;
                }
                expected = length;
                have = 0;
                continue;
            }
            if (have == 0 && end - p >= expected) { // the whole frame is in this read: no copy
                int n = expected;
                expected = -1;
                sink.frame(in, p, n);
                p += n;
                continue;
            }
            int n = Math.min(expected - have, end - p);
            System.arraycopy(in, p, partial, have, n);
            have += n;
            p += n;
            if (have == expected) {
                int frame = expected;
                expected = -1;
                have = 0;
                sink.frame(partial, 0, frame);
            }
        }
        return true;
    }
}
