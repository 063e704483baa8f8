package org.salotto.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboxTest {

    /** Records what reaches the client; {@link #send} may be held shut to play a slow client. */
    private static final class RecordingConnection implements ClientConnection {
        final List<String> frames = new ArrayList<>();
        final AtomicInteger sendersAtOnce = new AtomicInteger();
        volatile int mostSendersAtOnce;
        volatile String closedWith;
        final CountDownLatch closed = new CountDownLatch(1);
        volatile CountDownLatch gate = new CountDownLatch(0);
        /** The thread of the latest send: an outbox's drain thread. */
        volatile Thread lastSender;

        @Override
        public void send(String json) {
            int now = sendersAtOnce.incrementAndGet();
            mostSendersAtOnce = Math.max(mostSendersAtOnce, now);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lastSender = Thread.currentThread();
            synchronized (frames) {
                frames.add(json);
                frames.notifyAll();
            }
            sendersAtOnce.decrementAndGet();
        }

        @Override
        public void close(String reason) {
            closedWith = reason;
            closed.countDown();
        }

        List<String> frames() {
            synchronized (frames) {
                return List.copyOf(frames);
            }
        }

        /** Waits until {@code count} frames have arrived (woken by each send), at most {@code timeoutNanos}. */
        void awaitSize(int count, long timeoutNanos) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            synchronized (frames) {
                for (long left = timeoutNanos; frames.size() < count && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(frames, left);
                }
            }
        }
    }

    private static void awaitFrames(RecordingConnection c, int count) throws InterruptedException {
        c.awaitSize(count, TimeUnit.SECONDS.toNanos(10));
        assertEquals(count, c.frames().size(), "frames delivered");
    }

    @Test
    void framesFromManyThreadsArriveWholeInEachSendersOrderAndOneAtATime() throws Exception {
        RecordingConnection client = new RecordingConnection();
        Outbox outbox = new Outbox(client, "test");
        int senders = 4;
        int each = 200; // below CAPACITY in total, so nothing counts as a slow client
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    outbox.send(sender + ":" + i);
                    if (i % 50 == 0) Thread.onSpinWait();
                }
            }));
        }
        for (Thread t : threads) t.join();
        awaitFrames(client, senders * each);
        int[] next = new int[senders];
        for (String frame : client.frames()) {
            int sender = Integer.parseInt(frame.substring(0, frame.indexOf(':')));
            int i = Integer.parseInt(frame.substring(frame.indexOf(':') + 1));
            assertEquals(next[sender]++, i, "sender " + sender + "'s frames out of order");
        }
        assertEquals(1, client.mostSendersAtOnce, "the connection had more than one sender at a time");
    }

    @Test
    void anIdleOutboxStillSendsTheNextFrame() throws Exception {
        RecordingConnection client = new RecordingConnection();
        Outbox outbox = new Outbox(client, "test");
        outbox.send("first");
        awaitFrames(client, 1);
        Thread drain = client.lastSender;
        assertTrue(drain.join(java.time.Duration.ofSeconds(5)), "the drain thread has not ended");
        outbox.send("second");
        awaitFrames(client, 2);
        assertEquals(List.of("first", "second"), client.frames());
        assertTrue(client.lastSender != drain, "the second frame was sent by a new drain thread");
    }

    @Test
    void closeAfterFlushSendsWhatIsQueuedThenClosesAndSendsNothingMore() throws Exception {
        RecordingConnection client = new RecordingConnection();
        client.gate = new CountDownLatch(1);
        Outbox outbox = new Outbox(client, "test");
        for (int i = 0; i < 10; i++) outbox.send("f" + i);
        outbox.closeAfterFlush("room ended");
        outbox.send("after close");
        client.gate.countDown();
        assertTrue(client.closed.await(10, TimeUnit.SECONDS), "never closed");
        assertEquals("room ended", client.closedWith);
        assertEquals(10, client.frames().size());
        assertEquals("f9", client.frames().get(9));
    }

    @Test
    void aClientThatFallsCapacityFramesBehindIsDisconnected() throws Exception {
        RecordingConnection client = new RecordingConnection();
        client.gate = new CountDownLatch(1);
        Outbox outbox = new Outbox(client, "test");
        for (int i = 0; i < Outbox.CAPACITY + 100; i++) outbox.send("f" + i);
        client.gate.countDown();
        assertTrue(client.closed.await(10, TimeUnit.SECONDS), "a slow client was not disconnected");
        assertEquals("too slow", client.closedWith);
        assertTrue(client.frames().size() <= Outbox.CAPACITY + 1, "sent " + client.frames().size());
    }
}
