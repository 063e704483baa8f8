package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4571 framing as ICE-TCP reads it: frames split across reads, several in one read, and the bad lengths. */
class FrameReaderTest {
    private final List<byte[]> frames = new ArrayList<>();
    private final FrameReader.Sink sink = (buf, off, len) -> frames.add(Arrays.copyOfRange(buf, off, off + len));

    static byte[] framed(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            out.write(p.length >>> 8);
            out.write(p.length);
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] packet(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) p[i] = (byte) (seed + i * 7);
        return p;
    }

    @Test
    void framesCoalescedInOneReadComeOutWholeAndInOrder() {
        byte[] a = packet(20, 1);
        byte[] b = packet(1500, 2);
        byte[] c = packet(1, 3);
        FrameReader r = new FrameReader(1500);
        byte[] stream = framed(a, b, c);
        assertTrue(r.feed(stream, 0, stream.length, sink));
        assertEquals(3, frames.size());
        assertArrayEquals(a, frames.get(0));
        assertArrayEquals(b, frames.get(1));
        assertArrayEquals(c, frames.get(2));
        assertTrue(r.atBoundary());
    }

    @Test
    void framesSplitAtEveryPossiblePointComeOutTheSame() {
        byte[] a = packet(300, 4);
        byte[] b = packet(2, 5);
        byte[] c = packet(1200, 6);
        byte[] stream = framed(a, b, c);
        for (int cut1 = 0; cut1 <= stream.length; cut1 += 13) {
            for (int cut2 = cut1; cut2 <= stream.length; cut2 += 97) {
                frames.clear();
                FrameReader r = new FrameReader(1500);
                byte[] padded = new byte[stream.length + 10]; // the reads lie at an offset in a bigger buffer
                System.arraycopy(stream, 0, padded, 5, stream.length);
                assertTrue(r.feed(padded, 5, cut1, sink));
                assertTrue(r.feed(padded, 5 + cut1, cut2 - cut1, sink));
                assertTrue(r.feed(padded, 5 + cut2, stream.length - cut2, sink));
                assertEquals(3, frames.size(), "cuts at " + cut1 + " and " + cut2);
                assertArrayEquals(a, frames.get(0));
                assertArrayEquals(b, frames.get(1));
                assertArrayEquals(c, frames.get(2));
            }
        }
    }

    @Test
    void aStreamFedOneByteAtATimeGivesTheSameFrames() {
        byte[] a = packet(100, 7);
        byte[] b = packet(3, 8);
        byte[] stream = framed(a, b);
        FrameReader r = new FrameReader(1500);
        for (int i = 0; i < stream.length; i++) {
            assertTrue(r.feed(stream, i, 1, sink));
            assertEquals(i < 101 ? 0 : i < stream.length - 1 ? 1 : 2, frames.size(), "after byte " + i);
        }
        assertEquals(2, frames.size());
        assertArrayEquals(a, frames.get(0));
        assertArrayEquals(b, frames.get(1));
        assertTrue(r.atBoundary());
    }

    @Test
    void aPartOfAFrameIsHeldUntilTheRestComes() {
        byte[] a = packet(50, 9);
        byte[] stream = framed(a);
        FrameReader r = new FrameReader(1500);
        assertTrue(r.feed(stream, 0, 1, sink)); // half the length
        assertFalse(r.atBoundary());
        assertTrue(r.feed(stream, 1, 30, sink));
        assertTrue(frames.isEmpty());
        assertTrue(r.feed(stream, 31, stream.length - 31, sink));
        assertEquals(1, frames.size());
        assertArrayEquals(a, frames.getFirst());
    }

    @Test
    void aFrameOfLengthZeroMakesTheStreamBad() {
        byte[] good = packet(10, 1);
        byte[] stream = new byte[framed(good).length + 2 + framed(good).length];
        byte[] one = framed(good);
        System.arraycopy(one, 0, stream, 0, one.length);
        // two zero bytes: a frame of length 0
        System.arraycopy(one, 0, stream, one.length + 2, one.length);
        FrameReader r = new FrameReader(1500);
        assertFalse(r.feed(stream, 0, stream.length, sink));
        assertEquals(1, frames.size(), "the frame before the bad one is handed on, none after it");
        assertTrue(r.isBad());
        assertFalse(r.feed(one, 0, one.length, sink), "a bad stream stays bad");
        assertEquals(1, frames.size());
    }

    @Test
    void aFrameLongerThanTheLimitMakesTheStreamBadBeforeItsBytesAreRead() {
        FrameReader r = new FrameReader(1500);
        byte[] header = {(byte) (1501 >>> 8), (byte) 1501};
        assertFalse(r.feed(header, 0, 2, sink));
        assertTrue(r.isBad());
        FrameReader split = new FrameReader(1500);
        assertTrue(split.feed(new byte[] {(byte) 0xFF}, 0, 1, sink)); // one length byte: nothing known yet
        assertFalse(split.feed(new byte[] {(byte) 0xFF}, 0, 1, sink), "65535 is over the limit");
        FrameReader exact = new FrameReader(1500);
        byte[] max = framed(packet(1500, 3));
        assertTrue(exact.feed(max, 0, max.length, sink), "a frame of exactly the limit is fine");
        assertEquals(1, frames.size());
    }

    @Test
    void readingAllocatesNothing() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] stream = framed(packet(1200, 1), packet(100, 2), packet(40, 3));
        FrameReader r = new FrameReader(1500);
        int[] count = {0};
        FrameReader.Sink counting = (buf, off, len) -> count[0]++;
        for (int i = 0; i < 20_000; i++) { // warm-up: a frame split across the two reads, and two whole ones
            r.feed(stream, 0, 700, counting);
            r.feed(stream, 700, stream.length - 700, counting);
        }
        count[0] = 0;
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            r.feed(stream, 0, 700, counting);
            r.feed(stream, 700, stream.length - 700, counting);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, allocated + " bytes allocated reading 30,000 frames");
        assertEquals(30_000, count[0]);
        assertFalse(r.isBad());
    }
}
