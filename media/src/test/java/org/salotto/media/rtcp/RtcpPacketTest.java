package org.salotto.media.rtcp;

import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.Hex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtcpPacketTest {
    /** What Chrome sends every second or so for a video sender: SR (no blocks) + SDES CNAME, as one datagram. */
    static final byte[] SR_SDES = Hex.decode("""
            80 c8 00 06  5d 93 15 34  e5 5f 47 a6  c7 ae 14 7b  5a d4 6e 3c  00 00 01 2c  00 03 a9 80
            81 ca 00 06  5d 93 15 34  01 10 61 62  63 64 65 66  67 68 69 6a  6b 6c 6d 6e  6f 70 00 00""");

    @Test
    void iteratesAChromeCompound() {
        int off = 2;
        byte[] b = Hex.at(off, SR_SDES);
        int end = off + SR_SDES.length;
        assertTrue(RtcpPacket.isRtcp(b, off, SR_SDES.length));
        assertTrue(RtcpPacket.validateCompound(b, off, SR_SDES.length));
        int p = RtcpPacket.first(b, off, end);
        assertEquals(off, p);
        assertEquals(RtcpPacket.SR, RtcpPacket.packetType(b, p));
        assertEquals(2, RtcpPacket.version(b, p));
        assertEquals(0, RtcpPacket.count(b, p));
        assertEquals(6, RtcpPacket.lengthInWords(b, p));
        assertEquals(28, RtcpPacket.packetLength(b, p));
        assertEquals(0x5d931534, RtcpPacket.senderSsrc(b, p));
        p = RtcpPacket.next(b, p, end);
        assertEquals(off + 28, p);
        assertEquals(RtcpPacket.SDES, RtcpPacket.packetType(b, p));
        assertEquals(-1, RtcpPacket.next(b, p, end));
    }

    @Test
    void compoundMustExactlyFillTheDatagram() {
        byte[] b = SR_SDES;
        assertFalse(RtcpPacket.validateCompound(b, 0, b.length - 4), "last packet truncated");
        byte[] longer = java.util.Arrays.copyOf(b, b.length + 4);
        assertFalse(RtcpPacket.validateCompound(longer, 0, longer.length), "trailing bytes");
        assertFalse(RtcpPacket.validateCompound(b, 0, 0));
        assertFalse(RtcpPacket.validateCompound(b, 0, 3));
        assertFalse(RtcpPacket.validateCompound(null, 0, 8));
        byte[] v1 = b.clone();
        v1[28] = 0x41; // second packet version 1
        assertFalse(RtcpPacket.validateCompound(v1, 0, v1.length));
        assertEquals(-1, RtcpPacket.next(v1, 0, v1.length));
        byte[] tooLong = b.clone();
        tooLong[3] = 0x40; // SR claims 260 bytes
        assertFalse(RtcpPacket.validateCompound(tooLong, 0, tooLong.length));
        assertEquals(-1, RtcpPacket.first(tooLong, 0, tooLong.length));
        byte[] badType = b.clone();
        badType[1] = (byte) 0xe0; // 224 is outside 192..223
        assertFalse(RtcpPacket.validateCompound(badType, 0, badType.length));
        byte[] badPad = b.clone();
        badPad[28] = (byte) 0xa1; // SDES with P set, last byte (padding count) is 0
        assertFalse(RtcpPacket.validateCompound(badPad, 0, badPad.length));
    }

    @Test
    void zeroLengthFieldMeansHeaderOnly() {
        byte[] b = Hex.decode("80 cc 00 00"); // APP with length 0: 4 bytes, structurally fine
        assertTrue(RtcpPacket.validateCompound(b, 0, 4));
        byte[] rr = Hex.decode("80 c9 00 00"); // RR with length 0: no room for the sender SSRC
        assertFalse(RtcpPacket.validateCompound(rr, 0, 4));
    }

    @Test
    void writtenCompoundValidates() {
        byte[] buf = new byte[200];
        int n = SenderReport.write(buf, 0, 1, 0x0102030405060708L, 9, 10, 11, 1);
        ReportBlock.write(buf, SenderReport.reportBlockOffset(0, 0), 2, 3, -4, 5, 6, 7, 8);
        n += SourceDescription.writeCname(buf, n, 1, "x".getBytes(), 0, 1);
        n += PictureLossIndication.write(buf, n, 1, 2);
        n += GenericNack.write(buf, n, 1, 2, new int[] {10, 12, 40}, 3);
        n += ReceiverEstimatedMaxBitrate.write(buf, n, 1, 123456789, new int[] {2}, 1);
        n += FullIntraRequest.write(buf, n, 1, 2, 3);
        n += Goodbye.write(buf, n, new int[] {1, 2}, 2, "done".getBytes());
        TransportCcFeedbackBuilder twcc = new TransportCcFeedbackBuilder();
        twcc.reset(1, 2, 0);
        twcc.add(100, 1_000_000);
        twcc.add(103, 1_002_000);
        n += twcc.write(buf, n);
        assertTrue(RtcpPacket.validateCompound(buf, 0, n));
        int count = 0;
        for (int p = RtcpPacket.first(buf, 0, n); p >= 0; p = RtcpPacket.next(buf, p, n)) {
            count++;
        }
        assertEquals(8, count); // SR(+block), SDES, PLI, NACK, REMB, FIR, BYE, transport-cc
    }
}
