package org.salotto.rooms.limits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * At most {@code permits} of a costly job (an Argon2id hash: 19 MiB and tens of milliseconds of a core) at once, with a
 * short queue: a caller waits at most {@code maxWait} among at most {@code queue} others of its lane, and past that is
 * refused with {@code busy} (503, try again in a second) at once. Password guessing from any number of addresses can
 * so take no more than {@code permits} cores and {@code permits} hashes' memory, and every other request keeps its
 * share.
 *
 * <p>Three lanes, in order: a freed permit goes to the longest-waiting caller of the first lane that has one. A login
 * from a browser that logged in to that account before ({@link Lane#TRUSTED}: its device cookie) goes before one from
 * an unknown browser ({@link Lane#FIRST}), which goes before one from an address that has just sent wrong passwords
 * ({@link Lane#SUSPECT}). During a guessing flood a person typing their own password so waits for the hashes already
 * running, not behind the flood's queue.
 */
public final class ConcurrencyGate {
    /** Which queue a caller waits in. */
    public enum Lane {
        TRUSTED,
        FIRST,
        SUSPECT
    }

    private final int permits;
    private final int queue;
    private final long maxWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** The waiters of each lane, by the lane's ordinal (guarded by lock). */
    private final List<ArrayDeque<Waiter>> lanes = new ArrayList<>();
    private final AtomicLong refused = new AtomicLong();
    /** Permits not held by a running job nor handed to a waiter (guarded by lock). */
    private int free;

    /** A caller waiting for a permit; {@code granted} is set by the releasing thread, under the lock. */
    private final class Waiter {
        final Condition turn = lock.newCondition();
        boolean granted;
    }

    public ConcurrencyGate(int permits, int queue, Duration maxWait) {
        if (permits < 1 || queue < 0) throw new IllegalArgumentException("permits at least 1, queue not negative");
        this.permits = permits;
        this.free = permits;
        this.queue = queue;
        this.maxWaitNanos = maxWait.toNanos();
        for (Lane ignored : Lane.values()) lanes.add(new ArrayDeque<>());
    }

    /** Runs {@code job} in the first lane once a permit is free, or refuses with {@code busy}. */
    public <T> T call(Supplier<T> job) throws RoomException {
        return call(Lane.FIRST, job);
    }

    /** Runs {@code job} once a permit is free for its lane, or refuses with {@code busy}. */
    public <T> T call(Lane lane, Supplier<T> job) throws RoomException {
        acquire(lane);
        try {
            return job.get();
        } finally {
            release();
        }
    }

    private void acquire(Lane lane) throws RoomException {
        ArrayDeque<Waiter> mine = lanes.get(lane.ordinal());
        lock.lock();
        try {
            // A caller overtakes those of the lanes after its own, never anyone of its lane or before.
            boolean ahead = false;
            for (int i = 0; i <= lane.ordinal(); i++) ahead |= !lanes.get(i).isEmpty();
            if (free > 0 && !ahead) {
                free--;
                return;
            }
            if (mine.size() >= queue) throw refuse();
            Waiter w = new Waiter();
            mine.addLast(w);
            long left = maxWaitNanos;
            try {
                while (!w.granted && left > 0) left = w.turn.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (w.granted) return;
            mine.remove(w);
            throw refuse();
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        lock.lock();
        try {
            Waiter next = null;
            for (int i = 0; i < lanes.size() && next == null; i++) next = lanes.get(i).pollFirst();
            if (next == null) {
                free++;
            } else {
                next.granted = true; // the permit passes straight to it
                next.turn.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Jobs running now. */
    public int running() {
        lock.lock();
        try {
            return permits - free;
        } finally {
            lock.unlock();
        }
    }

    /** Callers waiting for a permit now, in both lanes. */
    public int waiting() {
        lock.lock();
        try {
            int n = 0;
            for (ArrayDeque<Waiter> l : lanes) n += l.size();
            return n;
        } finally {
            lock.unlock();
        }
    }

    public long refused() {
        return refused.get();
    }

    private RoomException refuse() {
        refused.incrementAndGet();
        return new RoomException(ErrorCode.BUSY, "the server is checking too many passwords right now: try again in a moment", 1000);
    }
}
