package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The index estimate of RFC 3711 §3.3.1 / Appendix A and the §3.3.2 replay window, at their edges. */
class RolloverAndReplayTest {

    private static long index(long roc, int seq) {
        return (roc << 16) | seq;
    }

    @Test
    void firstPacketHasRolloverCounterZero() {
        assertEquals(index(0, 40000), SrtpContext.estimateIndex(-1, 40000));
    }

    @Test
    void highestInTheLowerHalf() {
        long highest = index(5, 100);
        assertEquals(index(5, 101), SrtpContext.estimateIndex(highest, 101));
        assertEquals(index(5, 100 + 0x8000), SrtpContext.estimateIndex(highest, 100 + 0x8000));
        assertEquals(index(4, 101 + 0x8000), SrtpContext.estimateIndex(highest, 101 + 0x8000), "late from ROC-1");
        assertEquals(index(4, 65535), SrtpContext.estimateIndex(highest, 65535));
        assertEquals(-1, SrtpContext.estimateIndex(index(0, 100), 65535), "ROC-1 does not exist");
    }

    @Test
    void highestInTheUpperHalf() {
        long highest = index(5, 65000);
        assertEquals(index(6, 0), SrtpContext.estimateIndex(highest, 0), "wrapped");
        assertEquals(index(6, 65000 - 0x8000 - 1), SrtpContext.estimateIndex(highest, 65000 - 0x8000 - 1));
        assertEquals(index(5, 65000 - 0x8000), SrtpContext.estimateIndex(highest, 65000 - 0x8000));
        assertEquals(index(5, 64000), SrtpContext.estimateIndex(highest, 64000));
    }

    @Test
    void windowSlidesBySmallAndLargeSteps() {
        ReplayWindow w = new ReplayWindow();
        assertEquals(0, w.check(1000));
        w.accept(1000);
        assertEquals(SrtpError.REPLAYED, w.check(1000));
        assertEquals(0, w.check(999));
        w.accept(1064); // 1000 is now 64 behind: moved into the older word
        assertEquals(SrtpError.REPLAYED, w.check(1000));
        assertEquals(0, w.check(1001));
        w.accept(1127); // 1000 is 127 behind: the last slot
        assertEquals(SrtpError.REPLAYED, w.check(1000));
        assertEquals(SrtpError.TOO_OLD, w.check(999));
        w.accept(1128);
        assertEquals(SrtpError.TOO_OLD, w.check(1000));
        assertEquals(SrtpError.REPLAYED, w.check(1064));
        w.accept(1064 + 127 + 64); // 1064 falls 191 behind
        assertEquals(SrtpError.TOO_OLD, w.check(1064));
        assertEquals(SrtpError.REPLAYED, w.check(1128), "127 behind, moved by a shift of 64 or more");
        w.accept(100_000); // jump past the whole window
        assertEquals(SrtpError.TOO_OLD, w.check(1255));
        assertEquals(0, w.check(99_999));
        w.accept(99_900); // 100 behind, accepted late
        assertEquals(SrtpError.REPLAYED, w.check(99_900));
        assertEquals(0, w.check(99_901));
        assertEquals(100_000, w.highest());
    }
}
