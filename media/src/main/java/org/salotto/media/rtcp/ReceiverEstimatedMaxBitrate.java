package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * Receiver estimated maximum bitrate (REMB), draft-alvestrand-rmcat-remb-03 §2.2: an application-layer feedback
 * message (PT 206, FMT 15) with the unique identifier "REMB". Media SSRC is 0; the SSRCs the estimate applies to are
 * listed in the FCI. Bitrate = mantissa · 2^exp bits per second.
 *
 * <pre>
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source (0)                     |
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * |   SSRC feedback                                               |  repeated Num SSRC times
 * </pre>
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-alvestrand-rmcat-remb-03#section-2.2">REMB §2.2</a>
 */
public final class ReceiverEstimatedMaxBitrate {
    public static final int FMT = RtcpFeedback.FMT_APPLICATION_LAYER;
    /** "REMB" in ASCII. */
    public static final int IDENTIFIER = 0x52454D42;
    private static final int MAX_MANTISSA = 0x3FFFF;

    private ReceiverEstimatedMaxBitrate() {
    }

    /** True when the packet is PT 206 FMT 15 with the "REMB" identifier in place. Safe on unvalidated input. */
    public static boolean hasIdentifier(byte[] b, int off, int len) {
        return RtcpFeedback.validate(b, off, len, RtcpPacket.PSFB, FMT)
                && RtcpFeedback.fciLength(b, off) >= 4 && Bytes.i32(b, off + 12) == IDENTIFIER;
    }

    /** {@link #hasIdentifier} plus room for the bitrate and the announced SSRC list. */
    public static boolean validate(byte[] b, int off, int len) {
        return hasIdentifier(b, off, len) && RtcpFeedback.fciLength(b, off) >= 8
                && RtcpFeedback.fciLength(b, off) >= 8 + 4 * ssrcCount(b, off);
    }

    public static int senderSsrc(byte[] b, int off) {
        return RtcpFeedback.senderSsrc(b, off);
    }

    public static int mediaSsrc(byte[] b, int off) {
        return RtcpFeedback.mediaSsrc(b, off);
    }

    public static void setSenderSsrc(byte[] b, int off, int ssrc) {
        RtcpFeedback.setSenderSsrc(b, off, ssrc);
    }

    public static void setMediaSsrc(byte[] b, int off, int ssrc) {
        RtcpFeedback.setMediaSsrc(b, off, ssrc);
    }

    /** The estimate in bits per second; {@link Long#MAX_VALUE} if mantissa · 2^exp overflows a long. */
    public static long bitrate(byte[] b, int off) {
        int exp = (b[off + 17] & 0xFF) >>> 2;
        long mantissa = Bytes.u24(b, off + 17) & MAX_MANTISSA;
        if (mantissa != 0 && exp > Long.numberOfLeadingZeros(mantissa) - 1) {
            return Long.MAX_VALUE;
        }
        return mantissa << exp;
    }

    public static int ssrcCount(byte[] b, int off) {
        return b[off + 16] & 0xFF;
    }

    public static int ssrc(byte[] b, int off, int i) {
        return Bytes.i32(b, off + 20 + 4 * i);
    }

    public static void setSsrc(byte[] b, int off, int i, int ssrc) {
        Bytes.put32(b, off + 20 + 4 * i, ssrc);
    }

    /**
     * Writes a REMB for {@code ssrcs[0..count)} (0..255). The bitrate is rounded down to what the 18-bit mantissa can
     * express; negative values are written as 0.
     *
     * @return the packet length, {@code 20 + 4 * count}, or -1 when count is out of range
     */
    public static int write(byte[] buf, int off, int senderSsrc, long bitrateBps, int[] ssrcs, int count) {
        if (count < 0 || count > 255) {
            return -1;
        }
        long br = Math.max(0, bitrateBps);
        int exp = 0;
        while ((br >>> exp) > MAX_MANTISSA) {
            exp++;
        }
        int length = 20 + 4 * count;
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.PSFB, FMT, length, senderSsrc, 0);
        Bytes.put32(buf, off + 12, IDENTIFIER);
        buf[off + 16] = (byte) count;
        Bytes.put24(buf, off + 17, exp << 18 | (int) (br >>> exp));
        for (int i = 0; i < count; i++) {
            Bytes.put32(buf, off + 20 + 4 * i, ssrcs[i]);
        }
        return length;
    }
}
