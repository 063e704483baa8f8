package org.salotto.media.rtp;

/**
 * The RTP payload for redundant audio data, RFC 2198 §3, as Chromium sends it for Opus ({@code red/48000/2} with
 * {@code fmtp 111/111}): a header per block, then the blocks in the same order, the primary (newest) encoding last.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |1|   block PT  |  timestamp offset         |   block length    |   a redundant block's header (F=1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0|   block PT  |                                                   the last header: the primary's (F=0)
 * +-+-+-+-+-+-+-+-+
 * | redundant block data ... | primary block data (the rest of the payload, before any padding) |
 * </pre>
 *
 * <p>Static functions over a whole RTP packet {@code (byte[] b, int off, int len)}, allocation-free and never
 * throwing, like the rest of this package. A RED payload is well formed here when its headers and redundant blocks lie
 * inside the payload, the primary block has at least one byte, and every block carries the one payload type given
 * (Salotto accepts RED around Opus only, so a block of anything else is refused as malformed).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2198#section-3">RFC 2198 §3</a>
 */
public final class RedPayload {
    /** Returned for a packet that is not valid RTP or whose RED payload is malformed. */
    public static final int MALFORMED = -1;
    /** Any payload type inside: for {@code blockPayloadType} arguments. */
    public static final int ANY_PAYLOAD_TYPE = -1;

    private static final int FOLLOW = 0x80;
    private static final int FULL_HEADER_LENGTH = 4;

    private RedPayload() {
    }

    /**
     * Where the primary block of the RED packet at {@code [off, off+len)} starts, as an index into {@code b}; its
     * length is the rest of the payload (before any padding).
     *
     * @param blockPayloadType the payload type every block must carry, or {@link #ANY_PAYLOAD_TYPE}
     * @return the index of the primary block's first byte, or {@link #MALFORMED}
     */
    public static int primaryOffset(byte[] b, int off, int len, int blockPayloadType) {
        int h = RtpPacket.validate(b, off, len);
        if (h < 0) return MALFORMED;
        int end = off + len - RtpPacket.paddingLength(b, off, len);
        int p = off + h;
        int redundant = 0;
        while (true) {
            if (p >= end) return MALFORMED;
            int first = b[p] & 0xFF;
            if (blockPayloadType != ANY_PAYLOAD_TYPE && (first & 0x7F) != blockPayloadType) return MALFORMED;
            if ((first & FOLLOW) == 0) {
                p++;
                break;
            }
            if (p + FULL_HEADER_LENGTH > end) return MALFORMED;
            redundant += ((b[p + 2] & 0x03) << 8) | (b[p + 3] & 0xFF);
            p += FULL_HEADER_LENGTH;
        }
        int primary = p + redundant;
        return primary < end ? primary : MALFORMED;
    }

    /** Whether the packet is valid RTP with a well-formed RED payload (see {@link #primaryOffset}). */
    public static boolean isValid(byte[] b, int off, int len, int blockPayloadType) {
        return primaryOffset(b, off, len, blockPayloadType) >= 0;
    }

    /**
     * Rewrites the RED packet at {@code [off, off+len)} in place into a packet of its primary block alone: the RTP
     * header (CSRCs and extensions kept) followed by the primary block's data, without the padding (the P bit is
     * cleared). The payload type is left as it is: the caller sets the primary's. The bytes are left as they were
     * when the packet is malformed.
     *
     * @return the new length, or {@link #MALFORMED}
     */
    public static int toPrimary(byte[] b, int off, int len, int blockPayloadType) {
        int primary = primaryOffset(b, off, len, blockPayloadType);
        if (primary < 0) return MALFORMED;
        int h = RtpPacket.headerLength(b, off, len);
        int n = off + len - RtpPacket.paddingLength(b, off, len) - primary;
        System.arraycopy(b, primary, b, off + h, n);
        b[off] &= (byte) 0xDF;
        return h + n;
    }

    /**
     * Sets the payload type of every block header of the well-formed RED packet at {@code [off, off+len)} to
     * {@code payloadType} (the F bit kept): a subscriber that numbers Opus differently from the publisher gets its
     * own number inside the RED payload too.
     *
     * @return false, with the bytes left as they were, when the packet is malformed
     */
    public static boolean setBlockPayloadTypes(byte[] b, int off, int len, int payloadType) {
        if (primaryOffset(b, off, len, ANY_PAYLOAD_TYPE) < 0) return false;
        int p = off + RtpPacket.headerLength(b, off, len);
        while (true) {
            int first = b[p] & 0xFF;
            b[p] = (byte) ((first & FOLLOW) | (payloadType & 0x7F));
            if ((first & FOLLOW) == 0) return true;
            p += FULL_HEADER_LENGTH;
        }
    }

    /** How many blocks the well-formed RED packet carries, the primary included; 0 when it is malformed. */
    public static int blockCount(byte[] b, int off, int len) {
        if (primaryOffset(b, off, len, ANY_PAYLOAD_TYPE) < 0) return 0;
        int p = off + RtpPacket.headerLength(b, off, len);
        int n = 1;
        while ((b[p] & FOLLOW) != 0) {
            n++;
            p += FULL_HEADER_LENGTH;
        }
        return n;
    }
}
