package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * One 24-byte reception report block inside a sender or receiver report, RFC 3550 §6.4.1. {@code o} is the offset of
 * the block itself (see {@link SenderReport#reportBlockOffset} and {@link ReceiverReport#reportBlockOffset}).
 *
 * <pre>
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * | fraction lost |       cumulative number of packets lost       |
 * |           extended highest sequence number received           |
 * |                      interarrival jitter                      |
 * |                         last SR (LSR)                         |
 * |                   delay since last SR (DLSR)                  |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550 §6.4.1</a>
 */
public final class ReportBlock {
    public static final int LENGTH = 24;
    private static final int MAX_LOST = 0x7F_FFFF;
    private static final int MIN_LOST = -0x80_0000;

    private ReportBlock() {
    }

    /** The SSRC of the source this block reports on. */
    public static int ssrc(byte[] b, int o) {
        return Bytes.i32(b, o);
    }

    public static void setSsrc(byte[] b, int o, int ssrc) {
        Bytes.put32(b, o, ssrc);
    }

    /** Fraction lost since the previous report, as a fixed-point number with the binary point at the left: 0..255. */
    public static int fractionLost(byte[] b, int o) {
        return b[o + 4] & 0xFF;
    }

    /** Cumulative packets lost: 24-bit signed (duplicates can make it negative), sign-extended. */
    public static int cumulativeLost(byte[] b, int o) {
        return Bytes.u24(b, o + 5) << 8 >> 8;
    }

    /** Extended highest sequence number received: cycles in the high 16 bits, unsigned 32-bit. */
    public static long extendedHighestSequence(byte[] b, int o) {
        return Bytes.u32(b, o + 8);
    }

    /** Interarrival jitter in RTP timestamp units, unsigned 32-bit. */
    public static long jitter(byte[] b, int o) {
        return Bytes.u32(b, o + 12);
    }

    /** Middle 32 bits of the NTP timestamp of the last SR received from this source, or 0. */
    public static long lastSenderReport(byte[] b, int o) {
        return Bytes.u32(b, o + 16);
    }

    /** Delay since that SR, in units of 1/65536 s, unsigned 32-bit. */
    public static long delaySinceLastSenderReport(byte[] b, int o) {
        return Bytes.u32(b, o + 20);
    }

    /**
     * Writes a block. {@code cumulativeLost} is clamped to the 24-bit signed range; 32-bit fields take the low 32
     * bits of their {@code long}.
     *
     * @return {@link #LENGTH}
     */
    public static int write(byte[] buf, int o, int ssrc, int fractionLost, int cumulativeLost,
                            long extendedHighestSequence, long jitter, long lastSenderReport,
                            long delaySinceLastSenderReport) {
        Bytes.put32(buf, o, ssrc);
        buf[o + 4] = (byte) fractionLost;
        Bytes.put24(buf, o + 5, Math.clamp(cumulativeLost, MIN_LOST, MAX_LOST));
        Bytes.put32(buf, o + 8, (int) extendedHighestSequence);
        Bytes.put32(buf, o + 12, (int) jitter);
        Bytes.put32(buf, o + 16, (int) lastSenderReport);
        Bytes.put32(buf, o + 20, (int) delaySinceLastSenderReport);
        return LENGTH;
    }
}
