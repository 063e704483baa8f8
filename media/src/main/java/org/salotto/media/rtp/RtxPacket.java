package org.salotto.media.rtp;

/**
 * An RTP retransmission packet, RFC 4588 §4: the original packet's header with the RTX stream's SSRC, payload type
 * and sequence number, and the original sequence number (OSN) in the first two bytes of the payload.
 *
 * <pre>
 * | RTP header (RTX SSRC, RTX PT, RTX seq) | OSN (16 bits) | original payload ... | padding |
 * </pre>
 *
 * <p>{@link #unwrap} turns one back into the original in place, without allocating: the header moves two bytes on
 * over the OSN, and takes the original sequence number, SSRC and payload type. A packet whose payload is empty is
 * padding only (a sender's bandwidth probe), with nothing to unwrap.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4588#section-4">RFC 4588 §4</a>
 */
public final class RtxPacket {
    /** Returned by {@link #unwrap} for a padding-only packet. */
    public static final int PADDING_ONLY = 0;
    /** Returned by {@link #unwrap} for a malformed packet (bad RTP, or a payload of one byte, too short for the OSN). */
    public static final int MALFORMED = -1;
    public static final int OSN_LENGTH = 2;

    private RtxPacket() {
    }

    /**
     * The original sequence number of a valid RTX packet, or -1 when its payload is too short to hold one (padding
     * only included).
     */
    public static int originalSequence(byte[] b, int off, int len) {
        int h = RtpPacket.validate(b, off, len);
        if (h < 0 || len - h - RtpPacket.paddingLength(b, off, len) < OSN_LENGTH) return -1;
        return Bytes.u16(b, off + h);
    }

    /**
     * Rewrites the RTX packet at {@code [off, off+len)} into the original packet at {@code [off+2, off+len)}: its
     * header (CSRCs, extensions, padding bit kept) moved over the OSN, with the OSN as sequence number and the given
     * SSRC and payload type. The bytes are left as they were when the packet is padding only or malformed.
     *
     * @return the original's length ({@code len - 2}, at {@code off + 2}), {@link #PADDING_ONLY} or {@link #MALFORMED}
     */
    public static int unwrap(byte[] b, int off, int len, int originalSsrc, int originalPayloadType) {
        int h = RtpPacket.validate(b, off, len);
        if (h < 0) return MALFORMED;
        int payload = len - h - RtpPacket.paddingLength(b, off, len);
        if (payload == 0) return PADDING_ONLY;
        if (payload < OSN_LENGTH) return MALFORMED;
        int osn = Bytes.u16(b, off + h);
        System.arraycopy(b, off, b, off + OSN_LENGTH, h);
        int at = off + OSN_LENGTH;
        RtpPacket.setSequenceNumber(b, at, osn);
        RtpPacket.setSsrc(b, at, originalSsrc);
        RtpPacket.setPayloadType(b, at, originalPayloadType);
        return len - OSN_LENGTH;
    }
}
