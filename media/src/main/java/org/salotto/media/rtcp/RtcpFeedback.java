package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * The common layout of RTCP feedback messages, RFC 4585 §6.1: PT 205 (transport layer) or 206 (payload-specific),
 * FMT in the count field, then the sender's and the media source's SSRCs and the feedback control information (FCI).
 *
 * <pre>
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   FMT   |       PT      |          length               |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * :            Feedback Control Information (FCI)                 :
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.1">RFC 4585 §6.1</a>
 */
public final class RtcpFeedback {
    public static final int HEADER_LENGTH = 12;
    /** PSFB FMT 15: application layer feedback (REMB lives here), RFC 4585 §6.4. */
    public static final int FMT_APPLICATION_LAYER = 15;

    private RtcpFeedback() {
    }

    /** A PT 205/206 packet with a valid common header and at least the 12-byte feedback header. */
    public static boolean validate(byte[] b, int off, int len) {
        int end = RtcpPacket.contentEnd(b, off, len);
        if (end < 0 || end - off < HEADER_LENGTH) {
            return false;
        }
        int pt = RtcpPacket.packetType(b, off);
        return pt == RtcpPacket.RTPFB || pt == RtcpPacket.PSFB;
    }

    /** {@link #validate} plus the expected packet type and FMT. */
    static boolean validate(byte[] b, int off, int len, int pt, int fmt) {
        return validate(b, off, len) && RtcpPacket.packetType(b, off) == pt && RtcpPacket.count(b, off) == fmt;
    }

    public static int fmt(byte[] b, int off) {
        return RtcpPacket.count(b, off);
    }

    public static int senderSsrc(byte[] b, int off) {
        return Bytes.i32(b, off + 4);
    }

    public static int mediaSsrc(byte[] b, int off) {
        return Bytes.i32(b, off + 8);
    }

    public static void setSenderSsrc(byte[] b, int off, int ssrc) {
        Bytes.put32(b, off + 4, ssrc);
    }

    public static void setMediaSsrc(byte[] b, int off, int ssrc) {
        Bytes.put32(b, off + 8, ssrc);
    }

    /** The FCI length in bytes (packet content minus the 12-byte header, padding excluded). Validate first. */
    public static int fciLength(byte[] b, int off) {
        return RtcpPacket.contentLength(b, off) - HEADER_LENGTH;
    }

    /** Writes the 12-byte feedback header for a packet of {@code length} bytes (a multiple of 4). */
    public static void writeHeader(byte[] buf, int off, int pt, int fmt, int length, int senderSsrc, int mediaSsrc) {
        RtcpPacket.writeHeader(buf, off, fmt, pt, length);
        Bytes.put32(buf, off + 4, senderSsrc);
        Bytes.put32(buf, off + 8, mediaSsrc);
    }
}
