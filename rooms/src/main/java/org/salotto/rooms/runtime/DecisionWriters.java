package org.salotto.rooms.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.StoreException;
import org.salotto.rooms.store.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the rooms' decisions: {@link #WRITERS} serial writers, a room always on the same one, so that a room's
 * decisions are written in the order they were made while rooms write in parallel.
 *
 * <p>A database outage ({@link StoreException.Unavailable}) does not lose a decision. The room has already carried it
 * out (its people were told, the media changed), so the writer keeps the unit of work and tries it again, with a
 * backoff from {@link #FIRST_RETRY} up to {@link #MAX_RETRY}, until the database takes it; the decisions queued behind
 * it wait, so they are stored in order once it is back. Whoever waited for the first attempt (an HTTP request) is
 * answered {@code unavailable} at once rather than held. While a writer is stalled, a read that must first see its
 * room's pending writes ({@link #settled}) is answered {@code unavailable} too instead of waiting for the outage to end.
 * Any other failure (a bug, a constraint) would fail again: it is counted, logged and dropped, as before.
 */
final class DecisionWriters {
    static final int WRITERS = 8;
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(DecisionWriters.class);

    private final Store store;
    private final Mailbox[] writers = new Mailbox[WRITERS];
    /** 1 while a writer retries a decision the database did not take. */
    private final AtomicIntegerArray stalled = new AtomicIntegerArray(WRITERS);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean closed;

    DecisionWriters(Store store) {
        this.store = store;
        for (int i = 0; i < WRITERS; i++) writers[i] = new Mailbox("room-writer-" + i, Integer.MAX_VALUE);
    }

    /** Writes one decision after the room's earlier ones; completes when it is stored, or with the first failure. */
    CompletableFuture<Void> write(UnitOfWork work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (work.isEmpty()) {
            done.complete(null);
            return done;
        }
        int w = writerIndex(work.roomId());
        writers[w].offer(() -> store(w, work, done));
        return done;
    }

    private void store(int w, UnitOfWork work, CompletableFuture<Void> done) {
        Duration backoff = FIRST_RETRY;
        for (int attempt = 0; ; attempt++) {
            try {
                store.commit(work);
                done.complete(null);
                if (attempt > 0) {
                    stalled.set(w, 0);
                    log.info("room {}: a decision held during a database outage is stored, after {} attempts",
                            work.roomId(), attempt + 1);
                }
                return;
            } catch (StoreException.Unavailable e) {
                retries.incrementAndGet();
                if (attempt == 0) {
                    stall(w);
                    log.warn("room {}: the database cannot be reached; the decision is kept and retried until it is: {}",
                            work.roomId(), e.getMessage());
                    done.completeExceptionally(e);
                }
                if (closed) {
                    log.error("room {}: the server stops with a decision not stored (the database is unreachable)", work.roomId());
                    return;
                }
                try {
                    Thread.sleep(backoff); // a virtual thread: sleeping costs no carrier
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                log.error("room {}: writing a decision failed", work.roomId(), e);
                done.completeExceptionally(e);
                return;
            }
        }
    }

    private void stall(int w) {
        stalled.set(w, 1);
        // Reads already waiting for this writer would wait for the whole outage: answer them now.
        writers[w].failBarriers(outage());
    }

    private static StoreException.Unavailable outage() {
        return new StoreException.Unavailable("this room's decisions wait for the database", null);
    }

    /**
     * Completes when every decision of the room's writer offered so far is stored; at once with
     * {@link StoreException.Unavailable} while that writer is held by an outage.
     */
    CompletableFuture<Void> settled(String roomId) {
        int w = writerIndex(roomId);
        if (stalled.get(w) == 1) return CompletableFuture.failedFuture(outage());
        CompletableFuture<Void> reached = writers[w].barrier();
        // A stall that began between the check and the offer may have missed this barrier in failBarriers.
        if (stalled.get(w) == 1) reached.completeExceptionally(outage());
        return reached;
    }

    /** Decisions whose writes failed for another reason than an outage, and were dropped. */
    long failures() {
        return failures.get();
    }

    /** Attempts that found the database unreachable. */
    long retries() {
        return retries.get();
    }

    /** Writers holding a decision now, waiting for the database to come back. */
    int stalledWriters() {
        int n = 0;
        for (int i = 0; i < WRITERS; i++) n += stalled.get(i);
        return n;
    }

    /**
     * The server stops: waits up to {@code wait} for the decisions offered so far to be stored, then stops retrying;
     * a decision still held then (the database unreachable) is logged as lost.
     */
    void close(java.time.Duration wait) {
        CompletableFuture<?>[] all = new CompletableFuture<?>[WRITERS];
        for (int i = 0; i < WRITERS; i++) all[i] = writers[i].barrier();
        try {
            CompletableFuture.allOf(all).get(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("the server stops with room decisions not yet stored: {}", e.toString());
        }
        closed = true;
    }

    private static int writerIndex(String roomId) {
        return Math.floorMod(roomId.hashCode(), WRITERS);
    }
}
