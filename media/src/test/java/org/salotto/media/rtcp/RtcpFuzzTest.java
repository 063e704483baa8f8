package org.salotto.media.rtcp;

import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer targets for the RTCP readers that see every decrypted SRTCP packet from a browser: the compound check and
 * each type's own validator and accessors. Contract: a validator answers true or false, never throws; once it says
 * true, every accessor of that type stays inside the packet. The input sits at the very end of its array (three bytes
 * of junk before it, none after), so a read past its length throws. Round trips where a writer exists: NACK, REMB,
 * BYE, PLI, FIR read back what they wrote. Corpus: {@code src/test/resources/org/salotto/media/rtcp/RtcpFuzzTestInputs/}
 * (packets from the byte-literal tests and a browser's feedback).
 */
class RtcpFuzzTest {
    private static final int AT = 3;

    /** The packet at offset {@link #AT} of an array that ends where the packet ends. */
    private static byte[] place(byte[] packet) {
        byte[] b = new byte[AT + packet.length];
        Arrays.fill(b, 0, AT, (byte) 0x81);
        System.arraycopy(packet, 0, b, AT, packet.length);
        return b;
    }

    @FuzzTest(maxDuration = "30s")
    void compound(byte[] datagram) {
        byte[] b = place(datagram);
        int len = datagram.length;
        if (!RtcpPacket.validateCompound(b, AT, len)) return;
        int end = AT + len;
        int seen = 0;
        int last = AT;
        for (int p = RtcpPacket.first(b, AT, end); p >= 0; p = RtcpPacket.next(b, p, end)) {
            assertTrue(RtcpPacket.validate(b, p, end - p), "a packet of a valid compound does not validate");
            readAny(b, p, end - p);
            seen += RtcpPacket.packetLength(b, p);
            last = p;
        }
        assertEquals(len, seen, "iteration does not cover the compound");
        assertEquals(end, last + RtcpPacket.packetLength(b, last));
    }

    @FuzzTest(maxDuration = "30s")
    void senderReport(byte[] packet) {
        byte[] b = place(packet);
        if (!SenderReport.validate(b, AT, packet.length)) return;
        SenderReport.senderSsrc(b, AT);
        SenderReport.ntpTimestamp(b, AT);
        SenderReport.compactNtp(b, AT);
        SenderReport.rtpTimestamp(b, AT);
        SenderReport.packetCount(b, AT);
        SenderReport.octetCount(b, AT);
        for (int i = 0; i < SenderReport.reportCount(b, AT); i++) readBlock(b, SenderReport.reportBlockOffset(AT, i));
    }

    @FuzzTest(maxDuration = "30s")
    void receiverReport(byte[] packet) {
        byte[] b = place(packet);
        if (!ReceiverReport.validate(b, AT, packet.length)) return;
        ReceiverReport.senderSsrc(b, AT);
        for (int i = 0; i < ReceiverReport.reportCount(b, AT); i++) {
            readBlock(b, ReceiverReport.reportBlockOffset(AT, i));
        }
    }

    @FuzzTest(maxDuration = "30s")
    void sourceDescription(byte[] packet) {
        byte[] b = place(packet);
        if (!SourceDescription.validate(b, AT, packet.length)) return;
        for (int i = 0; i < SourceDescription.chunkCount(b, AT); i++) {
            int chunk = SourceDescription.chunkOffset(b, AT, i);
            SourceDescription.chunkSsrc(b, chunk);
            for (int type = SourceDescription.CNAME; type <= SourceDescription.PRIV; type++) {
                int item = SourceDescription.findItem(b, chunk, type);
                if (item >= 0) {
                    int n = SourceDescription.itemLength(b, item);
                    assertTrue(item + 2 + n <= b.length, "item text past the packet");
                }
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void goodbye(byte[] packet) {
        byte[] b = place(packet);
        if (!Goodbye.validate(b, AT, packet.length)) return;
        int n = Goodbye.sourceCount(b, AT);
        int[] ssrcs = new int[n];
        for (int i = 0; i < n; i++) ssrcs[i] = Goodbye.ssrc(b, AT, i);
        int reasonLength = Goodbye.reasonLength(b, AT);
        byte[] reason = null;
        if (reasonLength >= 0) {
            int at = Goodbye.reasonOffset(b, AT);
            assertTrue(at + reasonLength <= b.length, "reason past the packet");
            reason = Arrays.copyOfRange(b, at, at + reasonLength);
        }
        byte[] again = new byte[4 + 4 * 31 + 256 + 3];
        int written = Goodbye.write(again, 0, ssrcs, n, reason);
        assertTrue(Goodbye.validate(again, 0, written));
        assertEquals(n, Goodbye.sourceCount(again, 0));
        for (int i = 0; i < n; i++) assertEquals(ssrcs[i], Goodbye.ssrc(again, 0, i));
        assertEquals(reasonLength, Goodbye.reasonLength(again, 0));
    }

    @FuzzTest(maxDuration = "30s")
    void pictureLossIndication(byte[] packet) {
        byte[] b = place(packet);
        if (!PictureLossIndication.validate(b, AT, packet.length)) return;
        int sender = PictureLossIndication.senderSsrc(b, AT);
        int media = PictureLossIndication.mediaSsrc(b, AT);
        byte[] again = new byte[PictureLossIndication.LENGTH];
        PictureLossIndication.write(again, 0, sender, media);
        assertTrue(PictureLossIndication.validate(again, 0, again.length));
        assertEquals(sender, PictureLossIndication.senderSsrc(again, 0));
        assertEquals(media, PictureLossIndication.mediaSsrc(again, 0));
    }

    @FuzzTest(maxDuration = "30s")
    void fullIntraRequest(byte[] packet) {
        byte[] b = place(packet);
        if (!FullIntraRequest.validate(b, AT, packet.length)) return;
        FullIntraRequest.senderSsrc(b, AT);
        FullIntraRequest.mediaSsrc(b, AT);
        for (int i = 0; i < FullIntraRequest.entryCount(b, AT); i++) {
            int ssrc = FullIntraRequest.entrySsrc(b, AT, i);
            int seq = FullIntraRequest.entrySequence(b, AT, i);
            byte[] again = new byte[20];
            int written = FullIntraRequest.write(again, 0, 1, ssrc, seq);
            assertTrue(FullIntraRequest.validate(again, 0, written));
            assertEquals(ssrc, FullIntraRequest.entrySsrc(again, 0, 0));
            assertEquals(seq, FullIntraRequest.entrySequence(again, 0, 0));
        }
    }

    @FuzzTest(maxDuration = "30s")
    void genericNack(byte[] packet) {
        byte[] b = place(packet);
        if (!GenericNack.validate(b, AT, packet.length)) return;
        int sender = GenericNack.senderSsrc(b, AT);
        int media = GenericNack.mediaSsrc(b, AT);
        int[] lost = new int[GenericNack.lostCount(b, AT)];
        assertEquals(lost.length, GenericNack.lostSequences(b, AT, lost));
        if (lost.length == 0) return;
        // Written again, the same set of sequence numbers (a PID may repeat inside the input; the writer packs).
        byte[] again = new byte[GenericNack.maxLength(lost.length)];
        int written = GenericNack.write(again, 0, sender, media, lost, lost.length);
        assertTrue(GenericNack.validate(again, 0, written));
        int[] back = new int[GenericNack.lostCount(again, 0)];
        GenericNack.lostSequences(again, 0, back);
        assertArrayEquals(Arrays.stream(lost).distinct().sorted().toArray(),
                Arrays.stream(back).distinct().sorted().toArray());
    }

    @FuzzTest(maxDuration = "30s")
    void receiverEstimatedMaxBitrate(byte[] packet) {
        byte[] b = place(packet);
        if (!ReceiverEstimatedMaxBitrate.hasIdentifier(b, AT, packet.length)
                || !ReceiverEstimatedMaxBitrate.validate(b, AT, packet.length)) {
            return;
        }
        long bitrate = ReceiverEstimatedMaxBitrate.bitrate(b, AT);
        assertTrue(bitrate >= 0);
        int n = ReceiverEstimatedMaxBitrate.ssrcCount(b, AT);
        int[] ssrcs = new int[n];
        for (int i = 0; i < n; i++) ssrcs[i] = ReceiverEstimatedMaxBitrate.ssrc(b, AT, i);
        if (bitrate == Long.MAX_VALUE) return; // overflow is reported, not representable again
        byte[] again = new byte[20 + 4 * n];
        ReceiverEstimatedMaxBitrate.write(again, 0, ReceiverEstimatedMaxBitrate.senderSsrc(b, AT), bitrate, ssrcs, n);
        assertTrue(ReceiverEstimatedMaxBitrate.validate(again, 0, again.length));
        assertEquals(bitrate, ReceiverEstimatedMaxBitrate.bitrate(again, 0));
        for (int i = 0; i < n; i++) assertEquals(ssrcs[i], ReceiverEstimatedMaxBitrate.ssrc(again, 0, i));
    }

    @FuzzTest(maxDuration = "30s")
    void transportCc(byte[] packet) {
        byte[] b = place(packet);
        boolean valid = TransportCcFeedback.validate(b, AT, packet.length);
        int[] visits = {0};
        int visited = TransportCcFeedback.forEachPacket(b, AT, packet.length, (seq, received, micros) -> {
            assertTrue(seq >= 0 && seq <= 0xFFFF);
            visits[0]++;
        });
        if (!valid) {
            assertEquals(-1, visited);
            assertEquals(0, visits[0]);
            return;
        }
        assertEquals(TransportCcFeedback.packetStatusCount(b, AT), visited);
        assertEquals(visited, visits[0]);
        TransportCcFeedback.baseSequence(b, AT);
        TransportCcFeedback.referenceTimeMicros(b, AT);
        TransportCcFeedback.feedbackPacketCount(b, AT);
    }

    private static void readAny(byte[] b, int p, int len) {
        int fmt = RtcpPacket.count(b, p);
        switch (RtcpPacket.packetType(b, p)) {
            case RtcpPacket.SR -> {
                for (int i = 0; i < SenderReport.reportCount(b, p); i++) readBlock(b, SenderReport.reportBlockOffset(p, i));
            }
            case RtcpPacket.RR -> {
                for (int i = 0; i < ReceiverReport.reportCount(b, p); i++) {
                    readBlock(b, ReceiverReport.reportBlockOffset(p, i));
                }
            }
            case RtcpPacket.SDES -> {
                for (int i = 0; i < SourceDescription.chunkCount(b, p); i++) {
                    SourceDescription.findItem(b, SourceDescription.chunkOffset(b, p, i), SourceDescription.CNAME);
                }
            }
            case RtcpPacket.BYE -> {
                for (int i = 0; i < Goodbye.sourceCount(b, p); i++) Goodbye.ssrc(b, p, i);
                Goodbye.reasonLength(b, p);
            }
            case RtcpPacket.RTPFB -> {
                if (fmt == GenericNack.FMT) GenericNack.lostSequences(b, p, new int[GenericNack.lostCount(b, p)]);
                if (fmt == TransportCcFeedback.FMT) TransportCcFeedback.forEachPacket(b, p, len, (s, r, t) -> { });
            }
            case RtcpPacket.PSFB -> {
                if (fmt == FullIntraRequest.FMT) {
                    for (int i = 0; i < FullIntraRequest.entryCount(b, p); i++) FullIntraRequest.entrySsrc(b, p, i);
                }
                if (fmt == RtcpFeedback.FMT_APPLICATION_LAYER && ReceiverEstimatedMaxBitrate.hasIdentifier(b, p, len)) {
                    ReceiverEstimatedMaxBitrate.bitrate(b, p);
                    for (int i = 0; i < ReceiverEstimatedMaxBitrate.ssrcCount(b, p); i++) {
                        ReceiverEstimatedMaxBitrate.ssrc(b, p, i);
                    }
                }
            }
            default -> {
                // APP, XR and unknown types are checked by header only: a 4-byte one has no sender SSRC to read.
                if (RtcpPacket.packetLength(b, p) >= 8) RtcpPacket.senderSsrc(b, p);
            }
        }
    }

    private static void readBlock(byte[] b, int o) {
        assertTrue(o + ReportBlock.LENGTH <= b.length, "report block past the packet");
        ReportBlock.ssrc(b, o);
        ReportBlock.fractionLost(b, o);
        ReportBlock.cumulativeLost(b, o);
        ReportBlock.extendedHighestSequence(b, o);
        ReportBlock.jitter(b, o);
        ReportBlock.lastSenderReport(b, o);
        ReportBlock.delaySinceLastSenderReport(b, o);
    }

    /** Writes the corpus: each type as the writers (and so our server) produce it, and the compounds browsers send. */
    @Test
    void writeSeeds() {
        byte[] sr = new byte[28 + 24];
        SenderReport.write(sr, 0, 0x11223344, 0xE6F1_2345_6789_ABCDL, 48000, 1200, 160_000, 1);
        ReportBlock.write(sr, SenderReport.reportBlockOffset(0, 0), 0xCAFEBABE, 12, 345, 70_000, 80, 0x12345678, 6554);
        byte[] rr = new byte[8 + 48];
        ReceiverReport.write(rr, 0, 0x55667788, 2);
        ReportBlock.write(rr, ReceiverReport.reportBlockOffset(0, 0), 0x01020304, 0, 0, 1000, 3, 0, 0);
        ReportBlock.write(rr, ReceiverReport.reportBlockOffset(0, 1), 0x05060708, 255, -5, 65_600, 900, 7, 8);
        byte[] cname = "f3Qm9kLrT0x/EwZ1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] sdes = new byte[64];
        sdes = Arrays.copyOf(sdes, SourceDescription.writeCname(sdes, 0, 0x11223344, cname, 0, cname.length));
        byte[] bye = new byte[64];
        bye = Arrays.copyOf(bye, Goodbye.write(bye, 0, new int[] {0x11223344, 0x55667788}, 2,
                "leaving".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        byte[] pli = new byte[PictureLossIndication.LENGTH];
        PictureLossIndication.write(pli, 0, 1, 0xCAFEBABE);
        byte[] fir = new byte[20];
        FullIntraRequest.write(fir, 0, 1, 0xCAFEBABE, 7);
        byte[] nack = new byte[GenericNack.maxLength(6)];
        nack = Arrays.copyOf(nack, GenericNack.write(nack, 0, 1, 0xCAFEBABE, new int[] {100, 101, 103, 116, 117, 65535}, 6));
        byte[] remb = new byte[28];
        ReceiverEstimatedMaxBitrate.write(remb, 0, 1, 2_500_000, new int[] {0xCAFEBABE, 0x0BADF00D}, 2);
        TransportCcFeedbackBuilder tcc = new TransportCcFeedbackBuilder();
        tcc.reset(1, 0xCAFEBABE, 9);
        long t = 1_000_000;
        for (int seq = 65530, i = 0; i < 40; i++, seq = (seq + 1) & 0xFFFF) {
            if (i % 7 == 3) continue; // lost
            tcc.add(seq, t += (i % 5 == 0 ? 70_000 : 1_250)); // small and large deltas
        }
        byte[] twcc = new byte[tcc.length()];
        tcc.write(twcc, 0);

        seed("senderReport", "sr-one-block", sr);
        seed("receiverReport", "rr-two-blocks", rr);
        seed("sourceDescription", "sdes-cname", sdes);
        seed("goodbye", "bye-two-with-reason", bye);
        seed("pictureLossIndication", "pli", pli);
        seed("fullIntraRequest", "fir", fir);
        seed("genericNack", "nack-wrapping", nack);
        seed("receiverEstimatedMaxBitrate", "remb-two-ssrcs", remb);
        seed("transportCc", "twcc-40-with-losses", twcc);
        seed("compound", "sr-sdes", concat(sr, sdes));
        seed("compound", "rr-sdes-bye", concat(rr, sdes, bye));
        seed("compound", "rr-remb-pli-fir-nack-twcc", concat(rr, remb, pli, fir, nack, twcc));
        seed("compound", "reduced-size-pli", pli);
    }

    private static void seed(String method, String name, byte[] packet) {
        assertTrue(RtcpPacket.validateCompound(packet, 0, packet.length), name);
        FuzzSeeds.write(RtcpFuzzTest.class, method, name, packet);
    }

    private static byte[] concat(byte[]... packets) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : packets) out.writeBytes(p);
        return out.toByteArray();
    }
}
