package org.salotto.media.bwe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.RtpHeaderExtensions;

/** Byte-literal tests of writing the transport-wide sequence number: overwritten, appended, inserted. */
class TransportWideSequenceWriterTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] bytes(String hex, int room) {
        byte[] b = HEX.parseHex(hex.replace(" ", ""));
        return Arrays.copyOf(b, b.length + room);
    }

    private static String hex(byte[] b, int len) {
        return HEX.formatHex(b, 0, len);
    }

    @Test
    void overwritesTheElementAPacketCarriesAlready() {
        // V=2 X=1, one-byte block: audio level (id 1) then transport-cc (id 3) = 0x0102; payload AA BB.
        byte[] b = bytes("9000 0001 00000000 11111111 bede0002 109e 3101 0200 0000 aabb", 0);
        int n = TransportWideSequenceWriter.write(b, 0, b.length, b.length, 3, 0xBEEF);
        assertEquals(b.length, n);
        assertEquals("9000000100000000111111" + "11bede0002109e31beef000000aabb", hex(b, n));
    }

    @Test
    void insertsAOneByteBlockIntoAPacketWithoutExtensions() {
        byte[] b = bytes("8060 0001 00000000 11111111 aabbcc", 8);
        int n = TransportWideSequenceWriter.write(b, 0, 15, b.length, 5, 0x1234);
        assertEquals(23, n);
        assertEquals("9060000100000000" + "11111111" + "bede0001" + "51123400" + "aabbcc", hex(b, n));
        assertEquals(0x1234, RtpHeaderExtensions.transportWideSequence(b, 0, n, 5));
    }

    @Test
    void insertsATwoByteBlockForAnIdAboveFourteen() {
        byte[] b = bytes("8060 0001 00000000 11111111 aa", 8);
        int n = TransportWideSequenceWriter.write(b, 0, 13, b.length, 20, 7);
        assertEquals("906000010000000011111111" + "10000001" + "14020007" + "aa", hex(b, n));
        assertEquals(7, RtpHeaderExtensions.transportWideSequence(b, 0, n, 20));
    }

    @Test
    void appendsAWordToAnExistingBlockAndMovesThePayloadAndPadding() {
        // P=1 X=1, one-byte block with the audio level only; payload AA, 3 bytes of padding (count 3).
        byte[] b = bytes("b060 0001 00000000 11111111 bede0001 10 9e 0000 aa 0000 03", 4);
        int n = TransportWideSequenceWriter.write(b, 0, 24, b.length, 3, 0xFFFF);
        assertEquals(28, n);
        assertEquals("b060000100000000" + "11111111" + "bede0002" + "109e0000" + "31ffff00" + "aa000003", hex(b, n));
        assertEquals(0x9E & 0x7F, RtpHeaderExtensions.audioLevel(b, 0, n, 1), "the other element is untouched");
    }

    @Test
    void leavesThePacketAloneWithoutRoomOrWithAForeignBlock() {
        byte[] b = bytes("8060 0001 00000000 11111111 aabbcc", 0);
        byte[] copy = b.clone();
        assertEquals(-1, TransportWideSequenceWriter.write(b, 0, b.length, b.length, 3, 1), "no room");
        assertArrayEquals(copy, b);
        byte[] generic = bytes("9060 0001 00000000 11111111 abcd0001 01020304 aa", 4);
        byte[] genericCopy = generic.clone();
        assertEquals(-1, TransportWideSequenceWriter.write(generic, 0, 21, generic.length, 3, 1), "RFC 3550 block");
        assertArrayEquals(genericCopy, generic);
        byte[] oneByte = bytes("9060 0001 00000000 11111111 bede0001 109e0000 aa", 4);
        assertEquals(-1, TransportWideSequenceWriter.write(oneByte, 0, 21, oneByte.length, 15, 1),
                "an id the one-byte block cannot carry");
    }
}
