package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * The RTCP common header, RFC 3550 §6.4, and compound-packet validation and iteration (§6.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |  length (32-bit words - 1)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>In every validator {@code len} is the number of bytes available from {@code off}; the packet's own size comes
 * from its length field and may be smaller. Padding (P bit, last byte = count) is accepted on any packet of a
 * compound, not only the last, because reduced-size RTCP (RFC 5506) senders do that.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4">RFC 3550 §6.4</a>
 */
public final class RtcpPacket {
    public static final int HEADER_LENGTH = 4;
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport-layer feedback, RFC 4585 §6.2. */
    public static final int RTPFB = 205;
    /** Payload-specific feedback, RFC 4585 §6.3. */
    public static final int PSFB = 206;
    /** Extended reports, RFC 3611. */
    public static final int XR = 207;

    private RtcpPacket() {
    }

    /** Demultiplexing check (RFC 5761 §4): at least 4 bytes, version 2, packet type 192..223. */
    public static boolean isRtcp(byte[] b, int off, int len) {
        if (!Bytes.inBounds(b, off, len) || len < HEADER_LENGTH || (b[off] & 0xC0) != 0x80) {
            return false;
        }
        int pt = b[off + 1] & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    public static int version(byte[] b, int off) {
        return (b[off] & 0xFF) >>> 6;
    }

    public static boolean padding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    /** The 5-bit count field: reception report count, source count, or feedback message type (FMT). */
    public static int count(byte[] b, int off) {
        return b[off] & 0x1F;
    }

    public static int packetType(byte[] b, int off) {
        return b[off + 1] & 0xFF;
    }

    /** The length field: packet length in 32-bit words minus one. */
    public static int lengthInWords(byte[] b, int off) {
        return Bytes.u16(b, off + 2);
    }

    /** The packet length in bytes, {@code (length + 1) * 4}, including header and padding. */
    public static int packetLength(byte[] b, int off) {
        return (lengthInWords(b, off) + 1) * 4;
    }

    /** The padding byte count (0 when P is clear). Validate first. */
    public static int paddingLength(byte[] b, int off) {
        return padding(b, off) ? b[off + packetLength(b, off) - 1] & 0xFF : 0;
    }

    /** The packet length without padding. Validate first. */
    public static int contentLength(byte[] b, int off) {
        return packetLength(b, off) - paddingLength(b, off);
    }

    /** The SSRC of the packet sender (the second word of SR, RR, feedback, APP; the first chunk's SSRC in SDES). */
    public static int senderSsrc(byte[] b, int off) {
        return Bytes.i32(b, off + 4);
    }

    public static void setSenderSsrc(byte[] b, int off, int ssrc) {
        Bytes.put32(b, off + 4, ssrc);
    }

    /** Writes a common header: version 2, no padding. {@code length} is the whole packet in bytes, a multiple of 4. */
    public static void writeHeader(byte[] buf, int off, int count, int packetType, int length) {
        buf[off] = (byte) (0x80 | (count & 0x1F));
        buf[off + 1] = (byte) packetType;
        Bytes.put16(buf, off + 2, length / 4 - 1);
    }

    /**
     * Checks the common header of the packet at {@code off} and returns the end of its content (without padding).
     *
     * @return the absolute offset where the content ends, or -1 when the header is malformed, the packet does not fit
     * in {@code len}, or the padding count is 0 or larger than the packet body
     */
    public static int contentEnd(byte[] b, int off, int len) {
        if (!isRtcp(b, off, len)) {
            return -1;
        }
        int plen = packetLength(b, off);
        if (plen > len) {
            return -1;
        }
        if (padding(b, off)) {
            int pad = b[off + plen - 1] & 0xFF;
            if (pad == 0 || pad > plen - HEADER_LENGTH) {
                return -1;
            }
            return off + plen - pad;
        }
        return off + plen;
    }

    /**
     * Validates one packet: the common header and, for the types this package knows, the type's own structure.
     * Unknown types (APP, XR, other feedback) are checked by header only.
     */
    public static boolean validate(byte[] b, int off, int len) {
        if (contentEnd(b, off, len) < 0) {
            return false;
        }
        int fmt = count(b, off);
        return switch (packetType(b, off)) {
            case SR -> SenderReport.validate(b, off, len);
            case RR -> ReceiverReport.validate(b, off, len);
            case SDES -> SourceDescription.validate(b, off, len);
            case BYE -> Goodbye.validate(b, off, len);
            case RTPFB -> switch (fmt) {
                case GenericNack.FMT -> GenericNack.validate(b, off, len);
                case TransportCcFeedback.FMT -> TransportCcFeedback.validate(b, off, len);
                default -> RtcpFeedback.validate(b, off, len);
            };
            case PSFB -> switch (fmt) {
                case PictureLossIndication.FMT -> PictureLossIndication.validate(b, off, len);
                case FullIntraRequest.FMT -> FullIntraRequest.validate(b, off, len);
                case RtcpFeedback.FMT_APPLICATION_LAYER -> !ReceiverEstimatedMaxBitrate.hasIdentifier(b, off, len)
                        ? RtcpFeedback.validate(b, off, len)
                        : ReceiverEstimatedMaxBitrate.validate(b, off, len);
                default -> RtcpFeedback.validate(b, off, len);
            };
            default -> true;
        };
    }

    /**
     * True only when {@code [off, off+len)} is a sequence of one or more packets that each {@link #validate} and whose
     * lengths exactly fill {@code len}.
     */
    public static boolean validateCompound(byte[] b, int off, int len) {
        if (!Bytes.inBounds(b, off, len) || len < HEADER_LENGTH) {
            return false;
        }
        int end = off + len;
        int p = off;
        while (p < end) {
            if (!validate(b, p, end - p)) {
                return false;
            }
            p += packetLength(b, p);
        }
        return p == end;
    }

    /**
     * Starts iteration: {@code off} when a packet whose header is version 2 and whose length fits before {@code end}
     * starts there, else -1.
     */
    public static int first(byte[] b, int off, int end) {
        return fits(b, off, end) ? off : -1;
    }

    /**
     * The offset of the packet after the one at {@code off}, or -1 when there is none (the end was reached, or what
     * follows is not a version-2 header whose length fits before {@code end}). {@code off} must come from
     * {@link #first} or {@code next}. Run {@link #validateCompound} first to inspect packets without further checks.
     */
    public static int next(byte[] b, int off, int end) {
        int q = off + packetLength(b, off);
        return fits(b, q, end) ? q : -1;
    }

    private static boolean fits(byte[] b, int q, int end) {
        return b != null && q >= 0 && end <= b.length && end - q >= HEADER_LENGTH && (b[q] & 0xC0) == 0x80
                && packetLength(b, q) <= end - q;
    }
}
