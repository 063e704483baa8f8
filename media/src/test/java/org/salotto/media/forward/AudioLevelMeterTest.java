package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.Hex;
import org.salotto.media.rtp.RtpHeaderExtensions;

/**
 * The RFC 6464 levels a producer's packets carry, read into the meter: both header forms, the V bit, and every way a
 * packet can fail to carry a level (counted, never added).
 */
class AudioLevelMeterTest {
    /** One-byte form: id 1 audio level V=1 -30 dBov (0x9e), id 3 transport-cc, padding; Opus payload. */
    static final byte[] ONE_BYTE = Hex.decode("906f1a2b00003a9812345678 bede0002 109e 310123 000000 deadbeef");
    /** Two-byte form: id 1 len 1 V=0 -100 dBov (0x64), id 3 len 2. */
    static final byte[] TWO_BYTE = Hex.decode("906000010000000100000002 10000002 010164 000302abcd 00 0102");
    /** No extension block at all. */
    static final byte[] PLAIN = Hex.decode("806f00010000000100000002 deadbeef");
    /** One-byte form whose element claims 4 data bytes where the block has 2 left: malformed. */
    static final byte[] OVERRUN = Hex.decode("906f00010000000100000002 bede0001 139e0000 deadbeef");
    /** Two-byte form with an empty (0-byte) audio-level element. */
    static final byte[] EMPTY = Hex.decode("906000010000000100000002 10000001 01000000 0102");

    private static int level(byte[] b) {
        return RtpHeaderExtensions.audioLevelByte(b, 0, b.length, 1);
    }

    @Test
    void readsTheLevelAndTheVoiceBitInOneWalk() {
        assertEquals(0x9e, level(ONE_BYTE));
        assertEquals(0x64, level(TWO_BYTE));
        assertEquals(-1, level(PLAIN));
        assertEquals(-1, level(OVERRUN));
        assertEquals(-1, level(EMPTY));
        assertEquals(-1, RtpHeaderExtensions.audioLevelByte(ONE_BYTE, 0, ONE_BYTE.length, 2), "absent id");
        assertEquals(-1, RtpHeaderExtensions.audioLevelByte(ONE_BYTE, 0, 13, 1), "cut inside the block");
    }

    @Test
    void sumsWhatCameSinceTheLastTake() {
        AudioLevelMeter m = new AudioLevelMeter(1);
        m.onPacket(ONE_BYTE, 0, ONE_BYTE.length); // voiced (-30), V set
        m.onPacket(ONE_BYTE, 0, ONE_BYTE.length);
        m.onPacket(TWO_BYTE, 0, TWO_BYTE.length); // quiet (-100), V clear
        long t = m.take();
        assertEquals(3, AudioLevelMeter.packets(t));
        assertEquals(2, AudioLevelMeter.voiced(t));
        assertEquals(2, AudioLevelMeter.flagged(t));
        // loudness 97, 97, 27: mean 73.7; summed in units of 8, rounded: 96, 96, 24, mean 72
        assertEquals(72, AudioLevelMeter.loudness(t));
        assertEquals(0, AudioLevelMeter.packets(m.take()), "taken: empty again");
        assertEquals(0, AudioLevelMeter.loudness(0));
    }

    @Test
    void aPacketWithoutAReadableLevelIsCountedNotAdded() {
        AudioLevelMeter m = new AudioLevelMeter(1);
        m.onPacket(PLAIN, 0, PLAIN.length);
        m.onPacket(OVERRUN, 0, OVERRUN.length);
        m.onPacket(EMPTY, 0, EMPTY.length);
        assertEquals(0, AudioLevelMeter.packets(m.take()));
        assertEquals(3, m.missing());

        AudioLevelMeter notNegotiated = new AudioLevelMeter(0);
        notNegotiated.onPacket(ONE_BYTE, 0, ONE_BYTE.length);
        assertEquals(0, AudioLevelMeter.packets(notNegotiated.take()));
        assertEquals(1, notNegotiated.missing());
    }

    @Test
    void theExtremesStayInTheirFields() {
        AudioLevelMeter m = new AudioLevelMeter(1);
        for (int i = 0; i < 10; i++) m.add(0, true); // 0 dBov, the loudest
        long t = m.take();
        assertEquals(10, AudioLevelMeter.packets(t));
        assertEquals(10, AudioLevelMeter.voiced(t));
        assertEquals(10, AudioLevelMeter.flagged(t));
        assertEquals(127, AudioLevelMeter.loudness(t));
        for (int i = 0; i < 10; i++) m.add(127, false); // silence
        t = m.take();
        assertEquals(0, AudioLevelMeter.voiced(t));
        assertEquals(0, AudioLevelMeter.loudness(t));
    }

    @Test
    void aMeterNobodyTakesStopsCountingBeforeItsFieldsOverflow() {
        AudioLevelMeter m = new AudioLevelMeter(1);
        for (int i = 0; i < 100_000; i++) m.add(0, true);
        long t = m.take();
        assertEquals(AudioLevelMeter.MAX_PACKETS, AudioLevelMeter.packets(t));
        assertEquals(AudioLevelMeter.MAX_PACKETS, AudioLevelMeter.voiced(t));
        assertEquals(AudioLevelMeter.MAX_PACKETS, AudioLevelMeter.flagged(t));
        assertEquals(127, AudioLevelMeter.loudness(t));
    }
}
