package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * Full intra request (FIR), RFC 5104 §4.3.1: PT 206 (PSFB), FMT 4. The media SSRC field SHALL be 0; the targets are
 * the FCI entries, each an SSRC and an 8-bit command sequence number the sender increments per new request.
 *
 * <pre>
 * |V=2|P|  FMT=4  |    PT=206     |          length               |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source (0)                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                              SSRC                             |  FCI entry, repeated
 * | Seq nr.       |    Reserved = 0                               |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5104#section-4.3.1">RFC 5104 §4.3.1</a>
 */
public final class FullIntraRequest {
    public static final int FMT = 4;
    public static final int ENTRY_LENGTH = 8;

    private FullIntraRequest() {
    }

    /** PT 206 FMT 4 with at least one whole FCI entry and no partial entry. */
    public static boolean validate(byte[] b, int off, int len) {
        if (!RtcpFeedback.validate(b, off, len, RtcpPacket.PSFB, FMT)) {
            return false;
        }
        int fci = RtcpFeedback.fciLength(b, off);
        return fci >= ENTRY_LENGTH && fci % ENTRY_LENGTH == 0;
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

    public static int entryCount(byte[] b, int off) {
        return RtcpFeedback.fciLength(b, off) / ENTRY_LENGTH;
    }

    /** The SSRC of the i-th FCI entry: the stream that should send a decoder refresh point. */
    public static int entrySsrc(byte[] b, int off, int i) {
        return Bytes.i32(b, entryOffset(off, i));
    }

    public static void setEntrySsrc(byte[] b, int off, int i, int ssrc) {
        Bytes.put32(b, entryOffset(off, i), ssrc);
    }

    /** The i-th entry's command sequence number, 0..255. */
    public static int entrySequence(byte[] b, int off, int i) {
        return b[entryOffset(off, i) + 4] & 0xFF;
    }

    public static void setEntrySequence(byte[] b, int off, int i, int seq) {
        b[entryOffset(off, i) + 4] = (byte) seq;
    }

    /** Writes a FIR with one entry; media SSRC 0 as RFC 5104 requires. @return 20 */
    public static int write(byte[] buf, int off, int senderSsrc, int targetSsrc, int sequence) {
        int length = RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH;
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.PSFB, FMT, length, senderSsrc, 0);
        Bytes.put32(buf, off + 12, targetSsrc);
        Bytes.put32(buf, off + 16, (sequence & 0xFF) << 24);
        return length;
    }

    private static int entryOffset(int off, int i) {
        return off + RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * i;
    }
}
