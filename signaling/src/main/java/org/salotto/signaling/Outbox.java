package org.salotto.signaling;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames waiting to go to one client, sent in order by one virtual thread, so that a slow client never holds up the
 * conference. A client that lets {@link #CAPACITY} frames pile up is disconnected.
 */
public final class Outbox {
    public static final int CAPACITY = 1024;
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /** A frame to send, or (frame null) the instruction to close. */
    private record Item(String frame, String closeReason) {
    }

    private final BlockingQueue<Item> items = new ArrayBlockingQueue<>(CAPACITY + 1);
    private final ClientConnection connection;
    private volatile boolean closed;

    public Outbox(ClientConnection connection, String name) {
        this.connection = connection;
        Thread.ofVirtual().name("outbox-" + name).start(this::drain);
    }

    public void send(String json) {
        if (closed) return;
        if (items.remainingCapacity() <= 1 || !items.offer(new Item(json, null))) {
            log.info("a client fell {} frames behind; disconnecting it", CAPACITY);
            closeAfterFlush("too slow");
        }
    }

    /** Sends what is queued, then closes the connection. */
    public void closeAfterFlush(String reason) {
        if (closed) return;
        closed = true;
        items.offer(new Item(null, reason));
    }

    /** Stops without closing the connection (it is already closed). */
    public void stop() {
        closeAfterFlush(null);
    }

    private void drain() {
        try {
            while (true) {
                Item item = items.take();
                if (item.frame() == null) {
                    if (item.closeReason() != null) connection.close(item.closeReason());
                    return;
                }
                connection.send(item.frame());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("sending to a client failed", e);
        }
    }
}
