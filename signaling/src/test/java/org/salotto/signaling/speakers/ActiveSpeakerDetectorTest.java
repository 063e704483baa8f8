package org.salotto.signaling.speakers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The floor moves only to someone who keeps talking: the detector on a clock the test moves by one 300 ms interval
 * per step, with a 900 ms takeover. Packets per interval as a browser sends them (15 of 20 ms each).
 */
class ActiveSpeakerDetectorTest {
    private static final long INTERVAL = 300_000_000L;
    private static final long TAKEOVER = 900_000_000L;
    private static final int PACKETS = 15;

    private final ActiveSpeakerDetector detector = new ActiveSpeakerDetector(TAKEOVER);
    private long now;

    /** One interval: who talks (all packets voiced, loud), everyone else silent (packets, none voiced). */
    private ActiveSpeakerDetector.State interval(List<String> everyone, String... talking) {
        now += INTERVAL;
        List<String> t = List.of(talking);
        for (String p : everyone) {
            if (t.contains(p)) detector.sample(p, PACKETS, PACKETS, 90);
            else detector.sample(p, PACKETS, 0, 0);
        }
        return detector.evaluate(now);
    }

    private static List<String> ids(ActiveSpeakerDetector.State s) {
        return s.speakers().stream().map(ActiveSpeakerDetector.Speaker::participantId).toList();
    }

    @Test
    void theFirstToSpeakTakesTheFloorInOneInterval() {
        List<String> room = List.of("ann", "bob", "cat");
        assertNull(interval(room), "silence changes nothing");
        ActiveSpeakerDetector.State s = interval(room, "bob");
        assertNotNull(s);
        assertEquals("bob", s.dominant());
        assertEquals(List.of("bob"), ids(s));
        assertEquals(90, s.speakers().getFirst().level());
        assertNull(interval(room, "bob"), "no change, no event");
    }

    @Test
    void aSpeakerWhoKeepsTalkingTakesOverAfterTheHysteresis() {
        List<String> room = List.of("ann", "bob");
        for (int i = 0; i < 10; i++) interval(room, "ann");
        assertEquals("ann", detector.current().dominant());
        // Ann stops, Bob talks: Bob speaks at once (the ring), but the floor stays with Ann while he is not yet ahead
        // for the whole takeover.
        ActiveSpeakerDetector.State s = interval(room, "bob");
        assertEquals("ann", s.dominant());
        assertEquals(List.of("bob"), ids(s));
        long bobStarted = now;
        while (detector.current().dominant().equals("ann") && now - bobStarted < 20 * INTERVAL) interval(room, "bob");
        assertEquals("bob", detector.current().dominant());
        assertEquals(List.of("bob"), ids(detector.current()));
        // Bob's medium score passes Ann's fading one in his third interval (0.58 against 0.40), then he must stay ahead
        // for the takeover: the floor moves in his sixth interval, 1.8 s after he started.
        assertEquals(6 * INTERVAL, now - bobStarted + INTERVAL, "intervals until the floor moved");
    }

    @Test
    void aCoughDoesNotTakeTheFloor() {
        List<String> room = List.of("ann", "bob");
        for (int i = 0; i < 10; i++) interval(room, "ann");
        // Ann has gone quiet for a while; Bob coughs once: one loud interval.
        for (int i = 0; i < 6; i++) interval(room);
        ActiveSpeakerDetector.State s = interval(room, "bob");
        assertEquals("ann", s.dominant());
        assertEquals(List.of("bob"), ids(s), "the cough is heard: Bob's ring lights for it");
        for (int i = 0; i < 10; i++) interval(room);
        assertEquals("ann", detector.current().dominant(), "the floor stays with Ann");
        assertEquals(List.of(), ids(detector.current()));
    }

    @Test
    void coughsBetweenWordsDoNotAddUpAcrossBreaks() {
        List<String> room = List.of("ann", "bob");
        for (int i = 0; i < 10; i++) interval(room, "ann");
        for (int i = 0; i < 6; i++) interval(room);
        for (int i = 0; i < 6; i++) {
            interval(room, "bob");
            interval(room);
            interval(room);
        }
        assertEquals("ann", detector.current().dominant());
    }

    @Test
    void twoSpeakersAreListedTheDominantFirstAndTheFloorGoesWhenItsHolderLeaves() {
        List<String> room = List.of("ann", "bob", "cat");
        for (int i = 0; i < 5; i++) interval(room, "ann");
        ActiveSpeakerDetector.State s = interval(room, "ann", "cat");
        assertEquals(List.of("ann", "cat"), ids(s));
        // Ann leaves (no longer sampled): the floor goes to who speaks, at once.
        s = interval(List.of("bob", "cat"), "cat");
        assertEquals("cat", s.dominant());
        assertEquals(List.of("cat"), ids(s));
    }

    @Test
    void aSparseSoundLightsTheRingButNeverTakesAHeldFloor() {
        // A beep of one packet in ten (Chromium's fake microphone beeps 20 ms every 500 ms), every other interval.
        detector.sample("ann", PACKETS, PACKETS, 90);
        detector.sample("bob", PACKETS, 0, 0);
        assertEquals("ann", detector.evaluate(now += INTERVAL).dominant());
        for (int i = 0; i < 20; i++) {
            detector.sample("ann", PACKETS, 0, 0);
            detector.sample("bob", 10, i % 2 == 0 ? 1 : 0, 20);
            detector.evaluate(now += INTERVAL);
            assertEquals(i % 2 == 0 ? List.of("bob") : List.of(), ids(detector.current()), "interval " + i);
        }
        assertEquals("ann", detector.current().dominant());
    }

    @Test
    void withNobodyOnTheFloorTheFirstPersonHeardTakesIt() {
        detector.sample("bob", 10, 1, 20);
        ActiveSpeakerDetector.State s = detector.evaluate(INTERVAL);
        assertEquals("bob", s.dominant());
        assertEquals(List.of("bob"), ids(s));
    }

    @Test
    void mutedPeopleSendingNothingNeverSpeak() {
        detector.sample("ann", 0, 0, 0);
        assertNull(detector.evaluate(INTERVAL));
        detector.sample("ann", PACKETS, PACKETS, 100);
        detector.sample("bob", 0, 0, 0);
        ActiveSpeakerDetector.State s = detector.evaluate(2 * INTERVAL);
        assertEquals("ann", s.dominant());
        assertEquals(List.of(new ActiveSpeakerDetector.Speaker("ann", 100)), s.speakers());
    }
}
