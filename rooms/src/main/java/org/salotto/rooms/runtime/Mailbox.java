package org.salotto.rooms.runtime;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial executor: tasks run one at a time, in the order they were offered, on a virtual thread that exists only
 * while tasks wait (an idle room costs a queue head and two counters). It is what makes a room single-writer without
 * a lock. Bounded: a full mailbox refuses the task, and the caller answers an error instead of piling up work.
 */
final class Mailbox {
    private static final Logger log = LoggerFactory.getLogger(Mailbox.class);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final String name;
    private final int capacity;
    private volatile Thread runner;

    Mailbox(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
    }

    /** Queues a task; false when the mailbox is full (nothing is queued then). */
    boolean offer(Runnable task) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            return false;
        }
        tasks.add(task);
        if (running.compareAndSet(false, true)) Thread.ofVirtual().name(name).start(this::drain);
        return true;
    }

    /** Completes when every task offered before it has run. */
    java.util.concurrent.CompletableFuture<Void> barrier() {
        Barrier b = new Barrier();
        if (!offer(b)) b.reached.complete(null);
        return b.reached;
    }

    /** Fails the barriers queued now (their waiters would wait behind a task that will not end soon). */
    void failBarriers(RuntimeException why) {
        for (Runnable task : tasks) {
            if (task instanceof Barrier b) b.reached.completeExceptionally(why);
        }
    }

    private static final class Barrier implements Runnable {
        final java.util.concurrent.CompletableFuture<Void> reached = new java.util.concurrent.CompletableFuture<>();

        @Override
        public void run() {
            reached.complete(null);
        }
    }

    /** Whether the calling thread is this mailbox's runner (for assertions). */
    boolean inMailbox() {
        return Thread.currentThread() == runner;
    }

    int queued() {
        return queued.get();
    }

    private void drain() {
        runner = Thread.currentThread();
        while (true) {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                queued.decrementAndGet();
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    // A bug in one command must not stop the room: log it, go on with the next.
                    log.error("a task of {} failed", name, e);
                }
            }
            runner = null;
            running.set(false);
            // A task added after the last poll but before the flag fell found a runner and started none.
            if (tasks.isEmpty() || !running.compareAndSet(false, true)) return;
            runner = Thread.currentThread();
        }
    }
}
