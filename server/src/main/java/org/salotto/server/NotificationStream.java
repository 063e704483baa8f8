package org.salotto.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.salotto.rooms.notify.Notification;
import org.salotto.rooms.notify.NotificationStreams;
import org.salotto.rooms.notify.Notifications;
import org.salotto.server.api.ApiAnswer;
import org.salotto.signaling.protocol.BodyCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One signed-in browser tab's real-time channel: server-sent events (text/event-stream) on a response that stays
 * open. Each notification is {@code id: <id>\nevent: notification\ndata: <Notification JSON>\n\n}; a read mark sends
 * {@code event: unread}; a comment line every {@code notifications.keepalive} keeps proxies and the idle timeout from
 * closing it. {@code Last-Event-ID} (or {@code ?after=}) resends what came after that id first.
 *
 * <p>Pushing ({@link #notification}) only queues, never blocks the fan-out worker: one virtual thread per stream
 * writes the queue out. A stream whose queue fills (a client not reading) is closed; the browser reconnects with its
 * last id and misses nothing.
 */
final class NotificationStream implements NotificationStreams.Sink {
    private static final Logger log = LoggerFactory.getLogger(NotificationStream.class);
    private static final Object CLOSE = new Object();
    /** A write not done in this long: the client is gone or stuck. */
    private static final long WRITE_TIMEOUT_MS = 30_000;
    /** Tries of the stream's first reads while the database's pool is busy. */
    private static final int START_ATTEMPTS = 6;

    private final long accountId;
    private final Response response;
    private final Callback callback;
    private final Notifications notifications;
    private final Duration keepalive;
    private final BlockingQueue<Object> queue;
    private volatile boolean closed;

    NotificationStream(long accountId, Response response, Callback callback, Notifications notifications) {
        this.accountId = accountId;
        this.response = response;
        this.callback = callback;
        this.notifications = notifications;
        this.keepalive = notifications.config().keepalive();
        this.queue = new ArrayBlockingQueue<>(notifications.config().streamQueue() + 1);
    }

    /** Starts the stream: the headers, what came after {@code afterId} (null: nothing), then live notifications. */
    void start(Request request, Long afterId) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        // Proxies that buffer (nginx) would hold the events back.
        response.getHeaders().put("X-Accel-Buffering", "no");
        request.addFailureListener(failure -> close());
        // Registered before the backlog is read, so that nothing written meanwhile is missed; duplicates are skipped.
        notifications.streams().add(accountId, this);
        Thread.ofVirtual().name("notification-stream-" + accountId).start(() -> run(afterId));
    }

    @Override
    public boolean notification(Notification n) {
        return !closed && (queue.offer(n) || overflow());
    }

    @Override
    public boolean unread(int count) {
        return !closed && (queue.offer(new ApiAnswer.Unread(count)) || overflow());
    }

    private boolean overflow() {
        log.debug("a notification stream of account {} fell behind; closing it (the browser resumes)", accountId);
        close();
        return false;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        queue.clear();
        queue.offer(CLOSE);
    }

    private void run(Long afterId) {
        try {
            Set<Long> resent = new HashSet<>();
            StringBuilder first = new StringBuilder(": salotto notifications\nretry: 2000\n\n");
            if (afterId != null) {
                List<Notification> missed = retrying(() -> notifications.after(accountId, afterId));
                for (Notification n : missed) {
                    first.append(event(n));
                    resent.add(n.id());
                }
            }
            first.append(unreadEvent(retrying(() -> notifications.unread(accountId))));
            write(first.toString());
            long keepaliveMs = Math.max(1, keepalive.toMillis());
            while (!closed) {
                Object next = queue.poll(keepaliveMs, TimeUnit.MILLISECONDS);
                if (next == CLOSE) break;
                if (next == null) {
                    write(": keepalive\n\n");
                    continue;
                }
                StringBuilder out = new StringBuilder();
                // Whatever else is queued goes in the same write.
                for (Object item = next; item != null && item != CLOSE; item = queue.poll()) {
                    if (item instanceof Notification n) {
                        if (!resent.remove(n.id())) out.append(event(n));
                    } else if (item instanceof ApiAnswer.Unread u) {
                        out.append(unreadEvent(u.unread()));
                    }
                }
                if (!out.isEmpty()) write(out.toString());
            }
            callback.succeeded();
        } catch (InterruptedException e) {
            callback.succeeded();
        } catch (Exception e) {
            // The client went away (the write failed or timed out): nothing more to say to it.
            callback.failed(e);
        } finally {
            closed = true;
            notifications.streams().remove(accountId, this);
        }
    }

    /**
     * A read of the stream's start, tried again a few times (with a random pause) while the pool is exhausted: a
     * thousand tabs reconnecting at once after a restart would otherwise take every connection at the same moment.
     */
    private static <T> T retrying(java.util.function.Supplier<T> read) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (org.salotto.rooms.store.StoreException.Unavailable e) {
                if (attempt == START_ATTEMPTS) throw e;
                Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(100, 100 + 300L * attempt));
            }
        }
    }

    private void write(String text) throws Exception {
        Callback.Completable done = new Callback.Completable();
        response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
        try {
            done.get(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new java.io.IOException("a notification stream write took over " + WRITE_TIMEOUT_MS + " ms", e);
        }
    }

    static String event(Notification n) {
        return "id: " + n.id() + "\nevent: notification\ndata: " + BodyCodec.write(ApiHandler.notification(n)) + "\n\n";
    }

    private static String unreadEvent(int count) {
        return "event: unread\ndata: " + BodyCodec.write(new ApiAnswer.Unread(count)) + "\n\n";
    }
}
