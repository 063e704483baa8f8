package org.salotto.loadtest;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The sending threads: a few platform threads, each with a {@link TimerWheel}, instead of a thread per participant.
 * All the sources of one publisher go to the same thread, because they share the connection's outbound SRTP context
 * and transport-wide sequence number.
 */
final class Pacer implements AutoCloseable {
    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();

    Pacer(int threads) {
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker();
            Thread t = Thread.ofPlatform().name("loadtest-pacer-" + i).daemon(true).unstarted(workers[i]);
            t.setPriority(Thread.MAX_PRIORITY);
            workers[i].thread = t;
            t.start();
        }
    }

    /** Starts the sources (first run as soon as possible), all on one thread. */
    void add(PacedSource... sources) {
        Worker w = workers[Math.floorMod(next.getAndIncrement(), workers.length)];
        long now = System.nanoTime();
        for (PacedSource s : sources) {
            s.deadlineNanos = now;
            w.pending.add(s);
        }
        LockSupport.unpark(w.thread); // it may be asleep until its next busy tick
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.running = false;
            LockSupport.unpark(w.thread);
        }
    }

    private static final class Worker implements Runnable {
        final Queue<PacedSource> pending = new ConcurrentLinkedQueue<>();
        volatile boolean running = true;
        Thread thread;

        @Override
        public void run() {
            MediaReceiver.raisePriority();
            TimerWheel wheel = new TimerWheel(System.nanoTime());
            while (running) {
                PacedSource s;
                while ((s = pending.poll()) != null) wheel.schedule(s);
                long now = System.nanoTime();
                wheel.advance(now);
                // Sleep to the next tick that has work, not to every tick: with a few speakers most 1 ms ticks are
                // empty, and on a VM each timed wake-up costs tens of microseconds of system time.
                long wakeAt = wheel.nextBusyTick(100) * TimerWheel.TICK_NANOS;
                LockSupport.parkNanos(Math.max(1, wakeAt - System.nanoTime()));
            }
        }
    }
}
