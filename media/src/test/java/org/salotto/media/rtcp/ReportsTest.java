package org.salotto.media.rtcp;

import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.Hex;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportsTest {
    static final byte[] RR = Hex.decode("""
            81 c9 00 07  00 00 00 01
            5d 93 15 34  0a ff ff fe  00 01 1a 2b  00 00 00 c8  47 a6 c7 ae  00 01 80 00""");

    @Test
    void senderReport() {
        byte[] b = RtcpPacketTest.SR_SDES;
        assertTrue(SenderReport.validate(b, 0, b.length));
        assertEquals(0x5d931534, SenderReport.senderSsrc(b, 0));
        assertEquals(0xe55f47a6c7ae147bL, SenderReport.ntpTimestamp(b, 0));
        assertEquals(0x47a6c7aeL, SenderReport.compactNtp(b, 0));
        assertEquals(0x5ad46e3cL, SenderReport.rtpTimestamp(b, 0));
        assertEquals(300, SenderReport.packetCount(b, 0));
        assertEquals(240000, SenderReport.octetCount(b, 0));
        assertEquals(0, SenderReport.reportCount(b, 0));
        byte[] out = new byte[28];
        assertEquals(28, SenderReport.write(out, 0, 0x5d931534, 0xe55f47a6c7ae147bL, 0x5ad46e3cL, 300, 240000));
        assertEquals(HexFormat.of().formatHex(b, 0, 28), HexFormat.of().formatHex(out));
    }

    @Test
    void receiverReportWithBlock() {
        byte[] b = RR;
        assertTrue(ReceiverReport.validate(b, 0, b.length));
        assertTrue(RtcpPacket.validateCompound(b, 0, b.length));
        assertEquals(1, ReceiverReport.senderSsrc(b, 0));
        assertEquals(1, ReceiverReport.reportCount(b, 0));
        int o = ReceiverReport.reportBlockOffset(0, 0);
        assertEquals(0x5d931534, ReportBlock.ssrc(b, o));
        assertEquals(10, ReportBlock.fractionLost(b, o));
        assertEquals(-2, ReportBlock.cumulativeLost(b, o));
        assertEquals(0x11a2bL, ReportBlock.extendedHighestSequence(b, o));
        assertEquals(200, ReportBlock.jitter(b, o));
        assertEquals(0x47a6c7aeL, ReportBlock.lastSenderReport(b, o));
        assertEquals(0x18000L, ReportBlock.delaySinceLastSenderReport(b, o));

        byte[] out = new byte[32];
        int n = ReceiverReport.write(out, 0, 1, 1);
        ReportBlock.write(out, ReceiverReport.reportBlockOffset(0, 0), 0x5d931534, 10, -2, 0x11a2b, 200,
                0x47a6c7aeL, 0x18000);
        assertEquals(32, n);
        assertEquals(HexFormat.of().formatHex(b), HexFormat.of().formatHex(out));
    }

    @Test
    void cumulativeLostIsClampedTo24BitsSigned() {
        byte[] out = new byte[24];
        ReportBlock.write(out, 0, 1, 0, 1 << 30, 0, 0, 0, 0);
        assertEquals(0x7FFFFF, ReportBlock.cumulativeLost(out, 0));
        ReportBlock.write(out, 0, 1, 0, -(1 << 30), 0, 0, 0, 0);
        assertEquals(-0x800000, ReportBlock.cumulativeLost(out, 0));
    }

    @Test
    void reportCountBeyondLengthIsRejected() {
        byte[] b = RR.clone();
        b[0] = (byte) 0x82; // RC=2 in a packet with room for 1
        assertFalse(ReceiverReport.validate(b, 0, b.length));
        assertFalse(ReceiverReport.validate(RR, 0, RR.length - 1));
        assertFalse(SenderReport.validate(RR, 0, RR.length), "an RR is not an SR");
        byte[] sr = RtcpPacketTest.SR_SDES.clone();
        sr[0] = (byte) 0x81; // RC=1 but no block
        assertFalse(SenderReport.validate(sr, 0, sr.length));
    }

    @Test
    void sourceDescription() {
        byte[] b = RtcpPacketTest.SR_SDES;
        int off = 28;
        assertTrue(SourceDescription.validate(b, off, b.length - off));
        assertEquals(1, SourceDescription.chunkCount(b, off));
        int chunk = SourceDescription.chunkOffset(b, off, 0);
        assertEquals(0x5d931534, SourceDescription.chunkSsrc(b, chunk));
        int item = SourceDescription.findItem(b, chunk, SourceDescription.CNAME);
        assertEquals("abcdefghijklmnop", new String(b, item + 2, SourceDescription.itemLength(b, item)));
        assertEquals(-1, SourceDescription.findItem(b, chunk, SourceDescription.TOOL));

        byte[] out = new byte[28];
        byte[] cname = "abcdefghijklmnop".getBytes();
        assertEquals(28, SourceDescription.writeCname(out, 0, 0x5d931534, cname, 0, cname.length));
        assertEquals(HexFormat.of().formatHex(b, off, off + 28), HexFormat.of().formatHex(out));
        // A 2-byte CNAME needs exactly one null octet: 4 + 4 + 2 + 2 = 12, then a whole word of nulls.
        assertEquals(16, SourceDescription.writeCname(out, 0, 7, cname, 0, 2));
        assertTrue(SourceDescription.validate(out, 0, 16));
        assertEquals(-1, SourceDescription.writeCname(out, 0, 7, new byte[300], 0, 300));
    }

    @Test
    void sourceDescriptionMalformed() {
        byte[] b = java.util.Arrays.copyOfRange(RtcpPacketTest.SR_SDES, 28, 56);
        byte[] noNull = b.clone();
        noNull[26] = 'q';
        noNull[27] = 'r';
        assertFalse(SourceDescription.validate(noNull, 0, noNull.length), "no terminating null octet");
        byte[] longItem = b.clone();
        longItem[9] = 30;
        assertFalse(SourceDescription.validate(longItem, 0, longItem.length), "item beyond the packet");
        byte[] twoChunks = b.clone();
        twoChunks[0] = (byte) 0x82;
        assertFalse(SourceDescription.validate(twoChunks, 0, twoChunks.length), "SC=2 with one chunk");
    }

    @Test
    void goodbye() {
        byte[] b = Hex.decode("81 cb 00 03  5d 93 15 34  04 62 79 65  21 00 00 00");
        assertTrue(Goodbye.validate(b, 0, b.length));
        assertEquals(1, Goodbye.sourceCount(b, 0));
        assertEquals(0x5d931534, Goodbye.ssrc(b, 0, 0));
        assertEquals(4, Goodbye.reasonLength(b, 0));
        assertEquals("bye!", new String(b, Goodbye.reasonOffset(b, 0), 4));
        byte[] out = new byte[16];
        assertEquals(16, Goodbye.write(out, 0, new int[] {0x5d931534}, 1, "bye!".getBytes()));
        assertEquals(HexFormat.of().formatHex(b), HexFormat.of().formatHex(out));
        assertEquals(8, Goodbye.write(out, 0, 42));
        assertTrue(Goodbye.validate(out, 0, 8));
        assertEquals(-1, Goodbye.reasonLength(out, 0));

        byte[] longReason = b.clone();
        longReason[8] = 9;
        assertFalse(Goodbye.validate(longReason, 0, longReason.length));
        byte[] manySsrcs = b.clone();
        manySsrcs[0] = (byte) 0x85;
        assertFalse(Goodbye.validate(manySsrcs, 0, manySsrcs.length));
    }
}
