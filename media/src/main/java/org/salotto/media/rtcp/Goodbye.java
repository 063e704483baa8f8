package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * Goodbye (BYE), RFC 3550 §6.6, PT 203: SC source identifiers and an optional reason.
 *
 * <pre>
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * |                           SSRC/CSRC                           |
 * :                              ...                              :
 * |     length    |               reason for leaving            ... (opt)
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.6">RFC 3550 §6.6</a>
 */
public final class Goodbye {
    private Goodbye() {
    }

    /** PT 203, SC SSRCs inside the packet, and a reason (if any bytes follow) that fits. */
    public static boolean validate(byte[] b, int off, int len) {
        int end = RtcpPacket.contentEnd(b, off, len);
        if (end < 0 || RtcpPacket.packetType(b, off) != RtcpPacket.BYE) {
            return false;
        }
        int p = off + RtcpPacket.HEADER_LENGTH + 4 * RtcpPacket.count(b, off);
        return p <= end && (p == end || p + 1 + (b[p] & 0xFF) <= end);
    }

    public static int sourceCount(byte[] b, int off) {
        return RtcpPacket.count(b, off);
    }

    public static int ssrc(byte[] b, int off, int i) {
        return Bytes.i32(b, off + RtcpPacket.HEADER_LENGTH + 4 * i);
    }

    public static void setSsrc(byte[] b, int off, int i, int ssrc) {
        Bytes.put32(b, off + RtcpPacket.HEADER_LENGTH + 4 * i, ssrc);
    }

    /** The reason's length in bytes, or -1 when the packet has none. Validate first. */
    public static int reasonLength(byte[] b, int off) {
        int p = off + RtcpPacket.HEADER_LENGTH + 4 * RtcpPacket.count(b, off);
        return p < off + RtcpPacket.contentLength(b, off) ? b[p] & 0xFF : -1;
    }

    /** Offset of the reason's first text byte (meaningful when {@link #reasonLength} is not -1). */
    public static int reasonOffset(byte[] b, int off) {
        return off + RtcpPacket.HEADER_LENGTH + 4 * RtcpPacket.count(b, off) + 1;
    }

    /** Writes a BYE for one SSRC without a reason. @return 8 */
    public static int write(byte[] buf, int off, int ssrc) {
        RtcpPacket.writeHeader(buf, off, 1, RtcpPacket.BYE, 8);
        Bytes.put32(buf, off + 4, ssrc);
        return 8;
    }

    /**
     * Writes a BYE for {@code ssrcs[0..count)} (count 0..31) with an optional reason.
     *
     * @param reason UTF-8 bytes of at most 255, or null for none
     * @return the packet length (zero-filled to a word boundary), or -1 when count or reason is out of range
     */
    public static int write(byte[] buf, int off, int[] ssrcs, int count, byte[] reason) {
        if (count < 0 || count > 31 || (reason != null && reason.length > 255)) {
            return -1;
        }
        int p = off + RtcpPacket.HEADER_LENGTH;
        for (int i = 0; i < count; i++, p += 4) {
            Bytes.put32(buf, p, ssrcs[i]);
        }
        if (reason != null) {
            buf[p++] = (byte) reason.length;
            System.arraycopy(reason, 0, buf, p, reason.length);
            p += reason.length;
        }
        while (((p - off) & 3) != 0) {
            buf[p++] = 0;
        }
        int length = p - off;
        RtcpPacket.writeHeader(buf, off, count, RtcpPacket.BYE, length);
        return length;
    }
}
