package org.salotto.server;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The room WebSockets open now, and whether the server is draining. The drain sends through it to every client and
 * waits on it for clients to go; {@link RoomSocket} and {@link ApiHandler} ask it whether to refuse a join.
 */
final class RoomSockets {
    /** How often a wait checks its condition again when no socket closes (people may leave without closing). */
    private static final long RECHECK_MILLIS = 100;

    private final Set<RoomSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    void opened(RoomSocket s) {
        open.add(s);
    }

    void closed(RoomSocket s) {
        open.remove(s);
        synchronized (this) {
            notifyAll();
        }
    }

    /** True once the server drains: joins are refused, and sockets close with 1012 (service restart). */
    boolean draining() {
        return draining;
    }

    /** Starts draining; false if it had started already. */
    synchronized boolean startDraining() {
        if (draining) return false;
        draining = true;
        return true;
    }

    int count() {
        return open.size();
    }

    List<RoomSocket> all() {
        return List.copyOf(open);
    }

    /** The rooms that have a socket open now. */
    Set<String> roomIds() {
        Set<String> ids = new HashSet<>();
        for (RoomSocket s : open) ids.add(s.roomId());
        return ids;
    }

    /**
     * Waits until {@code done} holds or the deadline ({@link System#nanoTime()}) passes; checks again whenever a socket
     * closes and every {@value #RECHECK_MILLIS} ms. Returns whether {@code done} held.
     */
    boolean awaitUntil(BooleanSupplier done, long deadlineNanos) throws InterruptedException {
        while (!done.getAsBoolean()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return false;
            synchronized (this) {
                long millis = Math.max(1, Math.min(RECHECK_MILLIS, TimeUnit.NANOSECONDS.toMillis(left)));
                wait(millis);
            }
        }
        return true;
    }
}
