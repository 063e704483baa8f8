package org.salotto.media.pacer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pacer alone, on a clock the test gives it (every call takes the time): a burst leaves at the pacing rate, the
 * queue is bounded and drops what does not fit, retransmissions overtake queued media, padding never waits, and the
 * path allocates nothing once the queue's buffers exist.
 */
class PacerTest {
    private static final long MS = 1_000_000L;
    private static final int SIZE = 1200;

    /** What left the pacer: the first byte of each packet (its number in the test) and when. */
    private final List<Integer> sent = new ArrayList<>();
    private final List<Long> sentAt = new ArrayList<>();
    private long sentBytes;
    private final Pacer.Sink sink = (buf, off, len, now) -> {
        sent.add(buf[off] & 0xFF);
        sentAt.add(now);
        sentBytes += len;
    };

    private static byte[] packet(int number) {
        byte[] p = new byte[1564];
        p[0] = (byte) number;
        return p;
    }

    @Test
    void aKeyframeBurstLeavesAtThePacingRate() {
        Pacer pacer = new Pacer(new PacerSettings(2.5, 256), 1564, sink);
        pacer.setEstimate(300_000); // a 300 kbit/s downlink: paced at 750 kbit/s, 93,750 bytes a second
        assertEquals(750_000, pacer.rate());
        long t0 = 1_000 * MS;
        for (int i = 0; i < 40; i++) {
            int outcome = pacer.send(packet(i), 0, SIZE, Pacer.MEDIA, t0);
            assertTrue(outcome == Pacer.SENT || outcome == Pacer.QUEUED);
        }
        // 20 ms of budget to begin with (1,875 bytes): two packets go at once, the rest wait.
        assertEquals(2, sent.size());
        assertEquals(38, pacer.queued());
        double bytesPerNano = 750_000 / 8e9;
        long t = t0;
        while (!pacer.isEmpty()) {
            t += 10 * MS; // the media loop's tick
            pacer.drain(t);
            // Never ahead of the rate: the first burst, the rate since, and one packet the budget may end below zero.
            assertTrue(sentBytes <= 1875 + bytesPerNano * (t - t0) + SIZE, "ahead of the pacing rate at " + (t - t0) / MS + " ms");
            assertTrue(t - t0 < 1_000 * MS, "the queue never drained");
        }
        // 48,000 bytes at 93,750 bytes a second: about 490 ms, not at once and not much later.
        long took = sentAt.getLast() - t0;
        assertTrue(took >= 450 * MS && took <= 520 * MS, "the burst took " + took / MS + " ms");
        for (int i = 0; i < 40; i++) assertEquals(i, sent.get(i), "in order");
    }

    @Test
    void whileNothingWaitsAPacketGoesAtOnce() {
        Pacer pacer = new Pacer(PacerSettings.DEFAULT, 1564, sink);
        pacer.setEstimate(1_000_000);
        long t = 0;
        // 100 packets of 1,200 bytes a second (960 kbit/s), spaced: far below the pacing rate, none waits.
        for (int i = 0; i < 100; i++) {
            t += 10 * MS;
            assertEquals(Pacer.SENT, pacer.send(packet(i), 0, SIZE, Pacer.MEDIA, t));
            assertEquals(t, sentAt.getLast());
        }
        assertEquals(0, pacer.queuedPackets());
    }

    @Test
    void theQueueIsBoundedAndDropsWhatDoesNotFit() {
        Pacer pacer = new Pacer(new PacerSettings(2.5, 16), 1564, sink);
        pacer.setEstimate(100_000);
        int dropped = 0;
        for (int i = 0; i < 100; i++) {
            if (pacer.send(packet(i), 0, SIZE, Pacer.MEDIA, 0) == Pacer.DROPPED) dropped++;
        }
        assertEquals(1, sent.size()); // 20 ms at 250 kbit/s: 625 bytes, one packet
        assertEquals(16, pacer.queued());
        assertEquals(83, dropped);
        assertEquals(83, pacer.droppedPackets());
        assertEquals(16, pacer.deepest());
        long t = 0;
        while (!pacer.isEmpty()) pacer.drain(t += 10 * MS);
        // The first packet, then the 16 that waited, in order; the rest were dropped at the door.
        for (int i = 0; i < 17; i++) assertEquals(i, sent.get(i));
        assertEquals(17, sent.size());
    }

    @Test
    void retransmissionsOvertakeQueuedMedia() {
        Pacer pacer = new Pacer(PacerSettings.DEFAULT, 1564, sink);
        pacer.setEstimate(400_000); // 1 Mbit/s paced: 2,500 bytes of budget at first
        for (int i = 0; i < 10; i++) pacer.send(packet(i), 0, SIZE, Pacer.MEDIA, 0);
        assertEquals(3, sent.size());
        assertEquals(Pacer.QUEUED, pacer.send(packet(100), 0, SIZE, Pacer.RETRANSMISSION, 0));
        pacer.drain(10 * MS); // 1,250 bytes more: the budget allows one packet, and the retransmission goes first
        assertEquals(100, sent.get(3));
    }

    @Test
    void paddingGoesOnlyWhenNothingWaits() {
        Pacer pacer = new Pacer(PacerSettings.DEFAULT, 1564, sink);
        pacer.setEstimate(400_000);
        assertEquals(Pacer.SENT, pacer.send(packet(1), 0, 267, Pacer.PADDING, 0));
        for (int i = 0; i < 10; i++) pacer.send(packet(i), 0, SIZE, Pacer.MEDIA, 0);
        int before = sent.size();
        assertEquals(Pacer.REFUSED, pacer.send(packet(2), 0, 267, Pacer.PADDING, 0));
        assertEquals(before, sent.size(), "padding is never queued behind media");
        long t = 0;
        while (!pacer.isEmpty()) pacer.drain(t += 10 * MS);
        t += 100 * MS;
        assertEquals(Pacer.SENT, pacer.send(packet(3), 0, 267, Pacer.PADDING, t));
    }

    @Test
    void withoutAnEstimateNothingIsPaced() {
        Pacer pacer = new Pacer(PacerSettings.DEFAULT, 1564, sink);
        pacer.setEstimate(-1);
        for (int i = 0; i < 50; i++) assertEquals(Pacer.SENT, pacer.send(packet(i), 0, SIZE, Pacer.MEDIA, 0));
        assertEquals(50, sent.size());
    }

    @Test
    void sendingAndDrainingAllocateNothingOnceTheQueueHasGrown() {
        long[] count = new long[1];
        Pacer pacer = new Pacer(new PacerSettings(2.5, 64), 1564, (buf, off, len, now) -> count[0] += len);
        pacer.setEstimate(1_000_000);
        byte[] p = packet(1);
        long t = 0;
        for (int round = 0; round < 2_000; round++) { // bursts of 30 packets every 33 ms (keyframes all the time)
            for (int i = 0; i < 30; i++) pacer.send(p, 0, SIZE, i % 10 == 9 ? Pacer.RETRANSMISSION : Pacer.MEDIA, t);
            for (int k = 0; k < 3; k++) pacer.drain(t += 11 * MS);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 2_000; round++) {
            for (int i = 0; i < 30; i++) pacer.send(p, 0, SIZE, i % 10 == 9 ? Pacer.RETRANSMISSION : Pacer.MEDIA, t);
            for (int k = 0; k < 3; k++) pacer.drain(t += 11 * MS);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // 60,000 packets: one byte each would be 60 KB; the allocation counter itself costs a few hundred bytes.
        assertTrue(allocated < 4_096, allocated + " bytes allocated");
        assertTrue(count[0] > 0);
    }
}
