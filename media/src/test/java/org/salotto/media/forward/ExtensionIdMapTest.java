package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;

/** The shared id map gives every copy of a packet exactly what a walk of its own would, whatever the packet. */
class ExtensionIdMapTest {
    private static final byte[] IDS = new byte[256];

    static {
        for (int i = 0; i < IDS.length; i++) IDS[i] = (byte) i;
        IDS[1] = 5;  // audio level
        IDS[3] = 14; // transport-cc, not negotiated by the subscriber: an id it ignores
    }

    /** A packet with one-byte extension elements {id, length} each filled with the id, padded to a word. */
    private static byte[] packet(int seq, int... elements) {
        byte[] b = new byte[400];
        int n = RtpPacket.writeHeader(b, 0, false, 111, seq, 0, 0x1234);
        b[0] |= 0x10;
        int p = n + 4;
        for (int i = 0; i < elements.length; i += 2) {
            b[p++] = (byte) (elements[i] << 4 | (elements[i + 1] - 1));
            for (int k = 0; k < elements[i + 1]; k++) b[p++] = (byte) elements[i];
        }
        while ((p - n) % 4 != 0) b[p++] = 0;
        b[n] = (byte) 0xBE;
        b[n + 1] = (byte) 0xDE;
        b[n + 2] = (byte) ((p - n - 4) / 4 >>> 8);
        b[n + 3] = (byte) ((p - n - 4) / 4);
        for (int k = 0; k < 20; k++) b[p++] = (byte) 0xAA; // payload
        return Arrays.copyOf(b, p);
    }

    private static byte[] walked(byte[] packet) {
        byte[] copy = packet.clone();
        RtpHeaderExtensions.remapIds(copy, 0, copy.length, IDS);
        return copy;
    }

    private static void assertEveryCopyAsWalked(ExtensionIdMap map, byte[] packet, long number) {
        byte[] expected = walked(packet);
        for (int copy = 0; copy < 3; copy++) {
            byte[] out = packet.clone();
            map.apply(out, out.length, number);
            assertArrayEquals(expected, out, "copy " + copy + " of packet " + number);
        }
    }

    @Test
    void copiesOfOnePacketAndOfTheNextAreRewrittenAlike() {
        ExtensionIdMap map = new ExtensionIdMap(IDS);
        byte[] first = packet(1, 1, 1, 3, 2);
        assertEquals(5, walked(first)[16] >>> 4 & 0x0F, "the walk itself rewrites id 1 to 5");
        assertEveryCopyAsWalked(map, first, 1);
        assertEveryCopyAsWalked(map, packet(2, 3, 2), 2);            // another layout: not the last packet's block
        assertEveryCopyAsWalked(map, packet(3, 1, 1, 3, 2, 2, 4), 3); // an id the map leaves alone
    }

    @Test
    void aBlockLongerThanTheCacheIsStillRewrittenForEveryCopy() {
        ExtensionIdMap map = new ExtensionIdMap(IDS);
        int[] many = new int[2 * 8];
        for (int i = 0; i < 8; i++) {
            many[2 * i] = i % 2 == 0 ? 1 : 3;
            many[2 * i + 1] = 16;
        }
        byte[] p = packet(7, many);
        assertEquals(true, 4 * (((p[14] & 0xFF) << 8) | (p[15] & 0xFF)) > ExtensionIdMap.CACHED_BLOCK);
        assertEveryCopyAsWalked(map, p, 7);
    }

    @Test
    void aMalformedBlockIsLeftAsItIsForEveryCopy() {
        ExtensionIdMap map = new ExtensionIdMap(IDS);
        byte[] p = packet(9, 1, 1, 3, 2);
        p[16] = (byte) (1 << 4 | 15); // element 1 claims 16 bytes: past the block's end
        assertArrayEquals(p, walked(p), "the walk refuses it");
        assertEveryCopyAsWalked(map, p, 9);
    }
}
