package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * Receiver report (RR), RFC 3550 §6.4.2, PT 201: the SR without sender info.
 *
 * <pre>
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * |                     SSRC of packet sender                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report block 1 ... RC ({@link ReportBlock})   |
 * |                  profile-specific extensions                  |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.2">RFC 3550 §6.4.2</a>
 */
public final class ReceiverReport {
    public static final int HEADER_LENGTH = 8;

    private ReceiverReport() {
    }

    /** PT 201, valid common header, and room for RC report blocks. */
    public static boolean validate(byte[] b, int off, int len) {
        int end = RtcpPacket.contentEnd(b, off, len);
        return end >= 0 && RtcpPacket.packetType(b, off) == RtcpPacket.RR
                && end - off >= HEADER_LENGTH + ReportBlock.LENGTH * RtcpPacket.count(b, off);
    }

    public static int senderSsrc(byte[] b, int off) {
        return Bytes.i32(b, off + 4);
    }

    public static int reportCount(byte[] b, int off) {
        return RtcpPacket.count(b, off);
    }

    /** Offset of the i-th report block. */
    public static int reportBlockOffset(int off, int i) {
        return off + HEADER_LENGTH + ReportBlock.LENGTH * i;
    }

    /**
     * Writes the header of an RR announcing {@code reportCount} (0..31) blocks; the caller writes each with
     * {@link ReportBlock#write} at {@link #reportBlockOffset}.
     *
     * @return the packet length, {@code 8 + 24 * reportCount}
     */
    public static int write(byte[] buf, int off, int senderSsrc, int reportCount) {
        int length = HEADER_LENGTH + ReportBlock.LENGTH * reportCount;
        RtcpPacket.writeHeader(buf, off, reportCount, RtcpPacket.RR, length);
        Bytes.put32(buf, off + 4, senderSsrc);
        return length;
    }
}
