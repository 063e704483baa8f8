package org.salotto.media.rtcp;

import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.Hex;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100k random and mutated buffers through every function that faces the network. Passing means: nothing throws, and
 * whatever validates can be read through its accessors without throwing either.
 */
class RobustnessTest {
    private static final byte[][] SEEDS = {
            Hex.decode("906f1a2b00003a9812345678bede0002109e310123000000deadbeef"),
            Hex.decode("906000010000000100000002100000030101851400000302abcd00000102"),
            Hex.decode("a2000001000000000000000900000000a00000000baabbcc0000000005"),
            RtcpPacketTest.SR_SDES, ReportsTest.RR, FeedbackTest.PLI, FeedbackTest.FIR, FeedbackTest.NACK,
            FeedbackTest.REMB, TransportCcFeedbackTest.CAPTURED, TransportCcFeedbackTest.VECTORS,
            Hex.decode("81cb00035d93153404627965210000 00".replace(" ", "")),
    };
    private static final TransportCcFeedback.PacketVisitor IGNORE = (s, r, t) -> { };
    private static final byte[] ID_MAP = new byte[256];

    static {
        java.util.Arrays.fill(ID_MAP, (byte) 7);
    }

    @Test
    void randomAndMutatedBuffersNeverThrow() {
        Random rnd = new Random(7);
        int validRtcp = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] b;
            if (i % 3 == 0) {
                b = new byte[rnd.nextInt(80)];
                rnd.nextBytes(b);
                if (b.length > 1 && rnd.nextBoolean()) {
                    b[0] = (byte) (0x80 | (b[0] & 0x3F)); // version 2, so parsing goes deeper
                }
            } else {
                byte[] seed = SEEDS[rnd.nextInt(SEEDS.length)];
                b = java.util.Arrays.copyOf(seed, Math.max(0, seed.length + rnd.nextInt(9) - 4));
                for (int m = rnd.nextInt(4); m >= 0; m--) {
                    if (b.length > 0) {
                        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    }
                }
            }
            int off = b.length == 0 ? 0 : rnd.nextInt(4) == 0 ? rnd.nextInt(b.length) : 0;
            int len = rnd.nextInt(16) == 0 ? rnd.nextInt(200) - 50 : b.length - off;
            if (rtcp(b, off, len)) {
                validRtcp++;
            }
            rtp(b, off, len);
        }
        assertTrue(validRtcp > 1000, "mutations should still produce valid packets: " + validRtcp);
    }

    private static void rtp(byte[] b, int off, int len) {
        RtpPacket.isRtp(b, off, len);
        if (RtpPacket.validate(b, off, len) >= 0) {
            RtpPacket.payloadLength(b, off, len);
            RtpPacket.sequenceNumber(b, off);
            RtpPacket.timestamp(b, off);
            RtpPacket.ssrc(b, off);
            for (int i = 0; i < RtpPacket.csrcCount(b, off); i++) {
                RtpPacket.csrc(b, off, i);
            }
        }
        RtpPacket.headerLength(b, off, len);
        RtpHeaderExtensions.validate(b, off, len);
        for (int id = 0; id < 16; id++) {
            RtpHeaderExtensions.find(b, off, len, id);
            RtpHeaderExtensions.audioLevel(b, off, len, id);
            RtpHeaderExtensions.voiceActivity(b, off, len, id);
            RtpHeaderExtensions.transportWideSequence(b, off, len, id);
        }
        RtpHeaderExtensions.setTransportWideSequence(b, off, len, 3, 77);
        RtpHeaderExtensions.remapIds(b, off, len, ID_MAP);
    }

    private static boolean rtcp(byte[] b, int off, int len) {
        RtcpPacket.isRtcp(b, off, len);
        boolean valid = RtcpPacket.validateCompound(b, off, len);
        if (len >= 0 && off >= 0 && off + len <= b.length) {
            for (int p = RtcpPacket.first(b, off, off + len); p >= 0; p = RtcpPacket.next(b, p, off + len)) {
                RtcpPacket.packetType(b, p);
            }
        }
        if (SenderReport.validate(b, off, len)) {
            SenderReport.ntpTimestamp(b, off);
            for (int i = 0; i < SenderReport.reportCount(b, off); i++) {
                ReportBlock.cumulativeLost(b, SenderReport.reportBlockOffset(off, i));
                ReportBlock.delaySinceLastSenderReport(b, SenderReport.reportBlockOffset(off, i));
            }
        }
        if (ReceiverReport.validate(b, off, len)) {
            for (int i = 0; i < ReceiverReport.reportCount(b, off); i++) {
                ReportBlock.delaySinceLastSenderReport(b, ReceiverReport.reportBlockOffset(off, i));
            }
        }
        if (SourceDescription.validate(b, off, len)) {
            for (int i = 0; i < SourceDescription.chunkCount(b, off); i++) {
                int chunk = SourceDescription.chunkOffset(b, off, i);
                SourceDescription.chunkSsrc(b, chunk);
                int item = SourceDescription.findItem(b, chunk, SourceDescription.CNAME);
                if (item >= 0) {
                    SourceDescription.itemLength(b, item);
                }
                SourceDescription.findItem(b, chunk, 99);
            }
        }
        if (Goodbye.validate(b, off, len)) {
            for (int i = 0; i < Goodbye.sourceCount(b, off); i++) {
                Goodbye.ssrc(b, off, i);
            }
            Goodbye.reasonLength(b, off);
        }
        if (PictureLossIndication.validate(b, off, len)) {
            PictureLossIndication.mediaSsrc(b, off);
        }
        if (FullIntraRequest.validate(b, off, len)) {
            for (int i = 0; i < FullIntraRequest.entryCount(b, off); i++) {
                FullIntraRequest.entrySequence(b, off, i);
            }
        }
        if (GenericNack.validate(b, off, len)) {
            GenericNack.lostSequences(b, off, new int[GenericNack.lostCount(b, off)]);
        }
        if (ReceiverEstimatedMaxBitrate.validate(b, off, len)) {
            ReceiverEstimatedMaxBitrate.bitrate(b, off);
            for (int i = 0; i < ReceiverEstimatedMaxBitrate.ssrcCount(b, off); i++) {
                ReceiverEstimatedMaxBitrate.ssrc(b, off, i);
            }
        }
        TransportCcFeedback.validate(b, off, len);
        TransportCcFeedback.forEachPacket(b, off, len, IGNORE);
        return valid;
    }
}
