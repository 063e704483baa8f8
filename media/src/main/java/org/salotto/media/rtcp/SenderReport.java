package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * Sender report (SR), RFC 3550 §6.4.1, PT 200.
 *
 * <pre>
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |
 * |             NTP timestamp, least significant word             |
 * |                         RTP timestamp                         |
 * |                     sender's packet count                     |
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report block 1 ... RC ({@link ReportBlock})   |
 * |                  profile-specific extensions                  |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550 §6.4.1</a>
 */
public final class SenderReport {
    public static final int HEADER_LENGTH = 28;

    private SenderReport() {
    }

    /** PT 200, valid common header, and room for the sender info and RC report blocks. */
    public static boolean validate(byte[] b, int off, int len) {
        int end = RtcpPacket.contentEnd(b, off, len);
        return end >= 0 && RtcpPacket.packetType(b, off) == RtcpPacket.SR
                && end - off >= HEADER_LENGTH + ReportBlock.LENGTH * RtcpPacket.count(b, off);
    }

    public static int senderSsrc(byte[] b, int off) {
        return Bytes.i32(b, off + 4);
    }

    /** The 64-bit NTP timestamp (seconds since 1900 in the high word, fraction in the low word). */
    public static long ntpTimestamp(byte[] b, int off) {
        return Bytes.i64(b, off + 8);
    }

    /** The middle 32 bits of the NTP timestamp, as echoed in a report block's LSR field. */
    public static long compactNtp(byte[] b, int off) {
        return Bytes.u32(b, off + 10);
    }

    public static long rtpTimestamp(byte[] b, int off) {
        return Bytes.u32(b, off + 16);
    }

    public static long packetCount(byte[] b, int off) {
        return Bytes.u32(b, off + 20);
    }

    public static long octetCount(byte[] b, int off) {
        return Bytes.u32(b, off + 24);
    }

    public static int reportCount(byte[] b, int off) {
        return RtcpPacket.count(b, off);
    }

    /** Offset of the i-th report block. */
    public static int reportBlockOffset(int off, int i) {
        return off + HEADER_LENGTH + ReportBlock.LENGTH * i;
    }

    /** Writes an SR without report blocks. @return 28 */
    public static int write(byte[] buf, int off, int senderSsrc, long ntpTimestamp, long rtpTimestamp,
                            long packetCount, long octetCount) {
        return write(buf, off, senderSsrc, ntpTimestamp, rtpTimestamp, packetCount, octetCount, 0);
    }

    /**
     * Writes the header and sender info of an SR announcing {@code reportCount} (0..31) blocks; the caller writes each
     * with {@link ReportBlock#write} at {@link #reportBlockOffset}.
     *
     * @return the packet length, {@code 28 + 24 * reportCount}
     */
    public static int write(byte[] buf, int off, int senderSsrc, long ntpTimestamp, long rtpTimestamp,
                            long packetCount, long octetCount, int reportCount) {
        int length = HEADER_LENGTH + ReportBlock.LENGTH * reportCount;
        RtcpPacket.writeHeader(buf, off, reportCount, RtcpPacket.SR, length);
        Bytes.put32(buf, off + 4, senderSsrc);
        Bytes.put64(buf, off + 8, ntpTimestamp);
        Bytes.put32(buf, off + 16, (int) rtpTimestamp);
        Bytes.put32(buf, off + 20, (int) packetCount);
        Bytes.put32(buf, off + 24, (int) octetCount);
        return length;
    }
}
