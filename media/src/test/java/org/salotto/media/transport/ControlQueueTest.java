package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Control work handed to a loop whose queue is full is refused out loud: an exception and a counter, never a no-op. */
class ControlQueueTest {

    @Test
    void aFullQueueRefusesWorkWithATypedErrorAndCountsIt() throws Exception {
        MediaCounters counters = new MediaCounters();
        try (MediaLoop loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), counters, UdpIo.NIO, 8)) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(held.await(2, TimeUnit.SECONDS), "the loop never ran the holding task");
            AtomicInteger ran = new AtomicInteger();
            while (loop.remainingCapacity() > 0) loop.execute(ran::incrementAndGet);

            assertThrows(MediaBusyException.class, loop::checkRoom, "a new request is refused up front");
            long before = System.nanoTime();
            assertThrows(MediaBusyException.class, () -> loop.execute(ran::incrementAndGet));
            assertTrue(System.nanoTime() - before >= TimeUnit.MILLISECONDS.toNanos(MediaLoop.QUEUE_WAIT_MILLIS - 50),
                    "work from a control thread waits for room before it is refused");
            ExecutionException e = assertThrows(ExecutionException.class, () -> loop.submit(() -> 1).get());
            assertInstanceOf(MediaBusyException.class, e.getCause());
            assertEquals(3, counters.controlRefused(), "each refusal is counted");

            release.countDown();
            assertEquals(1, loop.submit(() -> 1).get(2, TimeUnit.SECONDS), "the loop takes work again once it drains");
            assertEquals(8, ran.get(), "everything that was queued ran");
            loop.checkRoom();
            assertEquals(3, counters.controlRefused());
        }
    }
}
