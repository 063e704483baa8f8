package org.salotto.signaling;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.salotto.signaling.protocol.FrameCodec;
import org.salotto.signaling.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames waiting to go to one client, sent in order, so that a slow client never holds up the conference. A client
 * that lets {@link #CAPACITY} frames pile up is disconnected.
 *
 * <p>A virtual thread drains the queue while it holds frames and ends when it is empty; the next frame starts another.
 * At most one runs at a time, so the connection sees one sender and the frames' order. An idle client costs a queue
 * head and two counters, not a parked thread and a 1,024-slot array: a space of 1,000 listeners is mostly idle
 * outboxes.
 */
public final class Outbox {
    public static final int CAPACITY = 1024;
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /** A frame to send, or (frame null) the instruction to close. */
    private record Item(String frame, String closeReason) {
    }

    private final ConcurrentLinkedQueue<Item> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Whether a drain thread is running (or, once the outbox is finished, that none may start). */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ClientConnection connection;
    private final String name;
    private volatile boolean closed;

    public Outbox(ClientConnection connection, String name) {
        this.connection = connection;
        this.name = "outbox-" + name;
    }

    /** Encodes a frame and sends it. */
    public void send(ServerFrame frame) {
        send(FrameCodec.encode(frame));
    }

    /** Sends a frame written once for many clients (a room's batch of events). */
    public void send(FrameCodec.Encoded frame) {
        send(frame.json());
    }

    /** Sends JSON text as it is: only {@link FrameCodec}'s output belongs here (and raw frames in tests). */
    public void send(String json) {
        if (closed) return;
        if (queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            log.info("a client fell {} frames behind; disconnecting it", CAPACITY);
            closeAfterFlush("too slow");
            return;
        }
        items.add(new Item(json, null));
        startDraining();
    }

    /** Sends what is queued, then closes the connection. */
    public void closeAfterFlush(String reason) {
        if (closed) return;
        closed = true;
        items.add(new Item(null, reason));
        startDraining();
    }

    /** Stops without closing the connection (it is already closed). */
    public void stop() {
        closeAfterFlush(null);
    }

    private void startDraining() {
        if (draining.compareAndSet(false, true)) Thread.ofVirtual().name(name).start(this::drain);
    }

    private void drain() {
        while (true) {
            for (Item item; (item = items.poll()) != null; ) {
                queued.decrementAndGet();
                if (item.frame() == null) {
                    finish();
                    if (item.closeReason() != null) connection.close(item.closeReason());
                    return;
                }
                try {
                    connection.send(item.frame());
                } catch (RuntimeException e) {
                    log.debug("sending to a client failed; its outbox stops", e);
                    finish();
                    return;
                }
            }
            draining.set(false);
            // A frame added after the last poll but before the flag fell found a drain running and started none.
            if (items.isEmpty() || !draining.compareAndSet(false, true)) return;
        }
    }

    /** No frame is sent after this; draining stays set so that no drain thread starts again. */
    private void finish() {
        closed = true;
        items.clear();
    }
}
