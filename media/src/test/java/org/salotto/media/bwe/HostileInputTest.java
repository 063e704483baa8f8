package org.salotto.media.bwe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.salotto.media.rtcp.TransportCcFeedbackBuilder;
import org.salotto.media.rtp.RtpPacket;

/**
 * What a subscriber sends is hostile until proven otherwise: mutated feedback never throws and never takes the
 * estimate out of its bounds; the number writer never throws on a mutated outgoing packet and never writes past the
 * room it is given.
 */
class HostileInputTest {
    private static final BandwidthSettings SETTINGS = new BandwidthSettings(100_000, 1_000_000, 5_000_000);

    @Test
    void mutatedFeedbackIsRejectedOrReadWithinBounds() {
        Random random = new Random(20261202);
        SendSideBandwidthEstimator e = new SendSideBandwidthEstimator(SETTINGS);
        e.setExtensionId(3);
        byte[] packet = new byte[1600];
        long now = 1_000_000_000L;
        for (int i = 0; i < 3000; i++) {
            RtpPacket.writeHeader(packet, 0, false, 96, i, 0, 1);
            e.onSend(packet, 0, 600, packet.length, now += 1_000_000);
        }
        TransportCcFeedbackBuilder b = new TransportCcFeedbackBuilder();
        byte[] valid = new byte[1200];
        byte[] mutated = new byte[1200];
        int rejected = 0;
        for (int round = 0; round < 20_000; round++) {
            b.reset(1, 2, round);
            int first = random.nextInt(4000);
            for (int k = 0; k < 1 + random.nextInt(60); k++) {
                b.add((first + k + random.nextInt(3)) & 0xFFFF, 10_000_000L + round * 50_000L + k * random.nextInt(5000));
            }
            int len = b.write(valid, 0);
            System.arraycopy(valid, 0, mutated, 0, len);
            for (int m = random.nextInt(4); m >= 0; m--) mutated[random.nextInt(len)] = (byte) random.nextInt(256);
            int cut = random.nextInt(8) == 0 ? random.nextInt(len + 1) : len;
            if (e.onFeedback(mutated, 0, cut, now += 50_000_000L) < 0) rejected++;
            long estimate = e.availableBitrate();
            assertTrue(estimate >= SETTINGS.minBitrate() && estimate <= SETTINGS.maxBitrate(), "out of bounds: " + estimate);
        }
        assertTrue(rejected > 0, "some mutations are malformed and rejected");
    }

    @Test
    void theWriterNeverThrowsNorWritesPastItsRoom() {
        Random random = new Random(7);
        byte[] buf = new byte[300];
        for (int round = 0; round < 100_000; round++) {
            int len = 12 + random.nextInt(100);
            random.nextBytes(buf);
            buf[0] = (byte) (0x80 | (buf[0] & 0x3F)); // version 2, anything else random
            if (random.nextBoolean()) { // a plausible one-byte extension block
                buf[0] = (byte) ((buf[0] & 0xF0) | 0x10);
                buf[12] = (byte) 0xBE;
                buf[13] = (byte) 0xDE;
                buf[14] = 0;
                buf[15] = (byte) random.nextInt(4);
            }
            int capacity = len + random.nextInt(12);
            byte[] guard = new byte[buf.length - capacity];
            System.arraycopy(buf, capacity, guard, 0, guard.length);
            int n = TransportWideSequenceWriter.write(buf, 0, len, capacity, 1 + random.nextInt(20), random.nextInt(65536));
            assertTrue(n == -1 || n >= len && n <= capacity, "length " + n + " for " + len + " in " + capacity);
            for (int i = 0; i < guard.length; i++) {
                if (buf[capacity + i] != guard[i]) throw new AssertionError("wrote past the room at round " + round);
            }
        }
    }
}
