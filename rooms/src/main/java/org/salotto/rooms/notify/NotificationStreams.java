package org.salotto.rooms.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real-time streams open now, by account: a browser tab's server-sent events (the server module's transport is a
 * {@link Sink}). At most {@code maxPerAccount} per account: a new one closes the oldest. Pushing never blocks: a sink
 * queues what it is given, and closes itself when it falls too far behind.
 */
public final class NotificationStreams {
    /** One open stream: where notifications and unread counts are handed over. */
    public interface Sink {
        /** Queues a notification; false if the sink is closed (or closed itself, being too far behind). */
        boolean notification(Notification n);

        /** Queues the account's unread count. */
        boolean unread(int count);

        /** Closes the stream (a newer tab took its place, or the server stops). */
        void close();
    }

    private final int maxPerAccount;
    private final Map<Long, List<Sink>> open = new ConcurrentHashMap<>();
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public NotificationStreams(int maxPerAccount) {
        this.maxPerAccount = maxPerAccount;
    }

    public void add(long accountId, Sink sink) {
        Sink evicted = null;
        synchronized (this) {
            List<Sink> list = open.computeIfAbsent(accountId, k -> new ArrayList<>());
            list.add(sink);
            if (list.size() > maxPerAccount) evicted = list.removeFirst();
        }
        if (evicted != null) evicted.close();
    }

    public synchronized void remove(long accountId, Sink sink) {
        List<Sink> list = open.get(accountId);
        if (list == null) return;
        list.remove(sink);
        if (list.isEmpty()) open.remove(accountId);
    }

    /** Hands the notification to each open stream of its account. */
    public void push(Notification n) {
        for (Sink s : sinks(n.accountId())) {
            if (s.notification(n)) pushed.incrementAndGet();
            else {
                dropped.incrementAndGet();
                remove(n.accountId(), s);
            }
        }
    }

    public void unread(long accountId, int count) {
        for (Sink s : sinks(accountId)) if (!s.unread(count)) remove(accountId, s);
    }

    private synchronized List<Sink> sinks(long accountId) {
        List<Sink> list = open.get(accountId);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Streams open now. */
    public synchronized int size() {
        int n = 0;
        for (List<Sink> l : open.values()) n += l.size();
        return n;
    }

    /** Notifications handed to a stream since the start ({@code salotto_notifications_pushed_total}). */
    public long pushed() {
        return pushed.get();
    }

    /** Notifications a stream could not take (it was closed, or too far behind). */
    public long dropped() {
        return dropped.get();
    }

    /** The server stops: every stream is closed. */
    public void closeAll() {
        List<Sink> all = new ArrayList<>();
        synchronized (this) {
            for (List<Sink> l : open.values()) all.addAll(l);
            open.clear();
        }
        for (Sink s : all) s.close();
    }
}
