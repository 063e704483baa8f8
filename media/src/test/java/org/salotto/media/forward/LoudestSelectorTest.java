package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ranking of an audience's slots, on an injected clock: 200 ms intervals, a 600 ms takeover. */
class LoudestSelectorTest {
    private static final long INTERVAL = 200_000_000L;
    private static final long TAKEOVER = 600_000_000L;
    private static final int SPEECH = 90; // about -37 dBov
    private static final int NOISE = 20; // about -107 dBov
    private long now;

    /** One interval: each source's loudness in order, then an evaluation. */
    private boolean interval(LoudestSelector s, int... loudness) {
        now += INTERVAL;
        for (int i = 0; i < loudness.length; i++) s.sample(i, loudness[i]);
        return s.evaluate(now);
    }

    @Test
    void aStageNoLargerThanTheSlotsFillsThemAndNeverSwitches() {
        LoudestSelector s = new LoudestSelector(3, TAKEOVER);
        for (int i = 0; i < 3; i++) s.add(i);
        assertTrue(interval(s, SPEECH, NOISE, NOISE));
        for (int k = 0; k < 50; k++) {
            assertFalse(interval(s, k % 2 == 0 ? SPEECH : NOISE, k % 3 == 0 ? SPEECH : NOISE, SPEECH),
                    "three speakers, three slots: nothing ever moves");
        }
        for (int i = 0; i < 3; i++) assertTrue(s.slotOf(i) >= 0);
    }

    @Test
    void theThreeLoudestOfThirteenHoldTheSlots() {
        LoudestSelector s = new LoudestSelector(3, TAKEOVER);
        for (int i = 0; i < 13; i++) s.add(i);
        int[] levels = new int[13];
        java.util.Arrays.fill(levels, NOISE);
        levels[4] = SPEECH;
        levels[7] = SPEECH - 5;
        levels[11] = SPEECH - 10;
        for (int k = 0; k < 10; k++) interval(s, levels);
        // The first evaluation filled the slots before any level told them apart; the loud ones took over since.
        assertTrue(s.slotOf(4) >= 0 && s.slotOf(7) >= 0 && s.slotOf(11) >= 0,
                "slots: " + s.sourceIn(0) + " " + s.sourceIn(1) + " " + s.sourceIn(2));
    }

    @Test
    void aChallengerTakesTheQuietestSlotOnlyAfterOutTalkingItForTheTakeover() {
        LoudestSelector s = new LoudestSelector(2, TAKEOVER);
        for (int i = 0; i < 3; i++) s.add(i);
        for (int k = 0; k < 10; k++) interval(s, SPEECH, SPEECH - 20, NOISE);
        assertEquals(0, s.slotOf(0) >= 0 ? 0 : -1);
        assertTrue(s.slotOf(1) >= 0);
        assertEquals(LoudestSelector.NONE, s.slotOf(2));
        int slotOfOne = s.slotOf(1);
        // Source 2 starts talking: a short burst (two intervals) is not enough to take a slot.
        interval(s, SPEECH, SPEECH - 20, SPEECH);
        interval(s, SPEECH, SPEECH - 20, SPEECH);
        interval(s, SPEECH, SPEECH - 20, NOISE);
        interval(s, SPEECH, SPEECH - 20, NOISE);
        assertEquals(LoudestSelector.NONE, s.slotOf(2), "a burst shorter than the takeover moves nothing");
        // It keeps talking: after the takeover it has the quietest holder's slot, and the loudest keeps its own.
        long start = now;
        while (s.slotOf(2) == LoudestSelector.NONE) {
            interval(s, SPEECH, SPEECH - 20, SPEECH);
            assertTrue(now - start <= TAKEOVER + 3 * INTERVAL, "taken within the takeover and a few intervals");
        }
        assertTrue(now - start >= TAKEOVER, "not before the takeover");
        assertEquals(slotOfOne, s.slotOf(2), "the quietest holder's slot");
        assertEquals(LoudestSelector.NONE, s.slotOf(1));
        assertTrue(s.slotOf(0) >= 0);
    }

    @Test
    void twoAsLoudAsEachOtherDoNotFlap() {
        LoudestSelector s = new LoudestSelector(1, TAKEOVER);
        s.add(0);
        s.add(1);
        interval(s, SPEECH, SPEECH);
        int holder = s.sourceIn(0);
        for (int k = 0; k < 100; k++) {
            int a = SPEECH + (k % 2 == 0 ? 3 : -3);
            int b = SPEECH + (k % 2 == 0 ? -3 : 3);
            assertFalse(interval(s, a, b), "within the margin: no switch");
        }
        assertEquals(holder, s.sourceIn(0));
    }

    @Test
    void aSourceThatGoesFreesItsSlotForTheNextLoudest() {
        LoudestSelector s = new LoudestSelector(1, TAKEOVER);
        s.add(0);
        s.add(1);
        for (int k = 0; k < 5; k++) interval(s, SPEECH, NOISE);
        assertEquals(0, s.sourceIn(0));
        s.remove(0);
        assertEquals(LoudestSelector.NONE, s.sourceIn(0));
        assertTrue(interval(s, 0, NOISE));
        assertEquals(1, s.sourceIn(0), "the slot is refilled at the next evaluation, without waiting for a takeover");
    }
}
