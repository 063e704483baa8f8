package org.salotto.media.rtp;

/**
 * The RTP fixed header, RFC 3550 §5.1, as static functions over {@code (byte[] b, int off, int len)}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   defined by profile (0xBEDE) |           length              |  (only when X=1, RFC 3550 §5.3.1)
 * |                        header extension                       |
 * </pre>
 *
 * <p>Use {@link #isRtp} to demultiplex from RTCP (RFC 5761 §4), then {@link #validate} before any other accessor.
 * Accessors and setters do not check bounds. The 32-bit timestamp is read as an unsigned {@code long}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-5.1">RFC 3550 §5.1</a>
 */
public final class RtpPacket {
    public static final int VERSION = 2;
    public static final int FIXED_HEADER_LENGTH = 12;

    private RtpPacket() {
    }

    /**
     * Quick demultiplexing check: version 2, at least 12 bytes, and the second byte (without the marker bit) outside
     * 64..95, which RFC 5761 §4 reserves for RTCP packet types 192..223.
     */
    public static boolean isRtp(byte[] b, int off, int len) {
        if (!Bytes.inBounds(b, off, len) || len < FIXED_HEADER_LENGTH || (b[off] & 0xC0) != 0x80) {
            return false;
        }
        int pt = b[off + 1] & 0x7F;
        return pt < 64 || pt > 95;
    }

    /**
     * Checks the structure of the packet at {@code [off, off+len)}: version 2, CSRC list and header extension within
     * {@code len}, padding count (when P is set) at least 1 and not larger than what follows the header.
     * Does not look at the payload type; use {@link #isRtp} for demultiplexing.
     *
     * @return the header length including CSRCs and the extension block, or -1 if malformed
     */
    public static int validate(byte[] b, int off, int len) {
        int h = headerLength(b, off, len);
        if (h < 0) {
            return -1;
        }
        if (hasPadding(b, off)) {
            int pad = b[off + len - 1] & 0xFF;
            if (pad == 0 || pad > len - h) {
                return -1;
            }
        }
        return h;
    }

    /**
     * The header length: 12 + 4·CC, plus 4 + 4·extension length when X is set. Checks bounds.
     *
     * @return the header length, or -1 if it does not fit in {@code len} or the version is not 2
     */
    public static int headerLength(byte[] b, int off, int len) {
        if (!Bytes.inBounds(b, off, len) || len < FIXED_HEADER_LENGTH || version(b, off) != VERSION) {
            return -1;
        }
        int h = FIXED_HEADER_LENGTH + 4 * csrcCount(b, off);
        if (hasExtension(b, off)) {
            if (h + 4 > len) {
                return -1;
            }
            h += 4 + 4 * Bytes.u16(b, off + h + 2);
        }
        return h <= len ? h : -1;
    }

    /** The number of padding bytes at the end (the last byte when P is set), or 0. Validate first. */
    public static int paddingLength(byte[] b, int off, int len) {
        return hasPadding(b, off) ? b[off + len - 1] & 0xFF : 0;
    }

    /** Payload length: {@code len} minus header and padding. Validate first. */
    public static int payloadLength(byte[] b, int off, int len) {
        return len - headerLength(b, off, len) - paddingLength(b, off, len);
    }

    public static int version(byte[] b, int off) {
        return (b[off] & 0xFF) >>> 6;
    }

    public static boolean hasPadding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    public static boolean hasExtension(byte[] b, int off) {
        return (b[off] & 0x10) != 0;
    }

    public static int csrcCount(byte[] b, int off) {
        return b[off] & 0x0F;
    }

    public static boolean marker(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7F;
    }

    public static int sequenceNumber(byte[] b, int off) {
        return Bytes.u16(b, off + 2);
    }

    /** The RTP timestamp, unsigned 32-bit. */
    public static long timestamp(byte[] b, int off) {
        return Bytes.u32(b, off + 4);
    }

    public static int ssrc(byte[] b, int off) {
        return Bytes.i32(b, off + 8);
    }

    /** The i-th CSRC, {@code 0 <= i < csrcCount}. */
    public static int csrc(byte[] b, int off, int i) {
        return Bytes.i32(b, off + FIXED_HEADER_LENGTH + 4 * i);
    }

    /** Offset of the extension block's 16-bit profile field (only meaningful when X is set). */
    public static int extensionOffset(byte[] b, int off) {
        return off + FIXED_HEADER_LENGTH + 4 * csrcCount(b, off);
    }

    /** The extension block's "defined by profile" field, e.g. 0xBEDE (only meaningful when X is set). */
    public static int extensionProfile(byte[] b, int off) {
        return Bytes.u16(b, extensionOffset(b, off));
    }

    /** Sets the payload type (0..127), keeping the marker bit. */
    public static void setPayloadType(byte[] b, int off, int pt) {
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (pt & 0x7F));
    }

    public static void setMarker(byte[] b, int off, boolean marker) {
        b[off + 1] = (byte) (marker ? b[off + 1] | 0x80 : b[off + 1] & 0x7F);
    }

    public static void setSequenceNumber(byte[] b, int off, int seq) {
        Bytes.put16(b, off + 2, seq);
    }

    /** Writes the low 32 bits of {@code timestamp}. */
    public static void setTimestamp(byte[] b, int off, long timestamp) {
        Bytes.put32(b, off + 4, (int) timestamp);
    }

    public static void setSsrc(byte[] b, int off, int ssrc) {
        Bytes.put32(b, off + 8, ssrc);
    }

    /**
     * Writes a fixed 12-byte header: version 2, no padding, no extension, no CSRCs.
     *
     * @return {@link #FIXED_HEADER_LENGTH}
     */
    public static int writeHeader(byte[] buf, int off, boolean marker, int payloadType, int sequenceNumber,
                                  long timestamp, int ssrc) {
        buf[off] = (byte) 0x80;
        buf[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        Bytes.put16(buf, off + 2, sequenceNumber);
        Bytes.put32(buf, off + 4, (int) timestamp);
        Bytes.put32(buf, off + 8, ssrc);
        return FIXED_HEADER_LENGTH;
    }
}
