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

        @Override
        public void send(String json) {
            int now = sendersAtOnce.incrementAndGet();
            mostSendersAtOnce = Math.max(mostSendersAtOnce, now);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (frames) {
                frames.add(json);
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
    }

    private static void awaitFrames(RecordingConnection c, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c.frames().size() < count && System.nanoTime() < deadline) Thread.sleep(5);
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
        Thread.sleep(50); // the drain thread has ended
        outbox.send("second");
        awaitFrames(client, 2);
        assertEquals(List.of("first", "second"), client.frames());
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
