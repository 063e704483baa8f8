package org.salotto.rooms.notify;

import java.time.Clock;
import java.util.List;
import org.salotto.rooms.store.Store;

/**
 * The notifications as the server uses them: the inbox, marking read, the real-time streams and the fan-out worker
 * ({@link Notifier}), and the rules that turn room decisions into jobs ({@link RoomNotifications}).
 */
public final class Notifications implements AutoCloseable {
    /** Notifications a stream resends at most when it resumes after an id. */
    public static final int MAX_RESUME = 100;

    private final NotificationStore store;
    private final NotificationsConfig config;
    private final Clock clock;
    private final NotificationStreams streams;
    private final Notifier notifier;
    private final RoomNotifications rules;

    public Notifications(Store store, NotificationsConfig config, Clock clock, String linkPath) {
        this.store = store.notifications();
        this.config = config;
        this.clock = clock;
        this.streams = new NotificationStreams(config.maxStreamsPerAccount());
        this.notifier = new Notifier(store, streams, config, clock, linkPath);
        this.rules = new RoomNotifications(config.reminderLead());
    }

    /** A page of the inbox, newest first; {@code next}: the id to ask {@code before} for the next page, or null. */
    public record Page(List<Notification> notifications, int unread, Long next) {
    }

    public Page inbox(long accountId, Long beforeId, int limit) {
        List<Notification> list = store.inbox(accountId, beforeId, limit + 1);
        Long next = null;
        if (list.size() > limit) {
            list = list.subList(0, limit);
            next = list.getLast().id();
        }
        return new Page(List.copyOf(list), store.unread(accountId), next);
    }

    /** Marks read ({@code ids}, or all); every open stream of the account is told the new unread count. */
    public void markRead(long accountId, List<Long> ids, boolean all) {
        store.markRead(accountId, ids, all, clock.instant());
        streams.unread(accountId, store.unread(accountId));
    }

    /** What a stream resuming after {@code afterId} missed, oldest first, at most {@link #MAX_RESUME}. */
    public List<Notification> after(long accountId, long afterId) {
        return store.after(accountId, afterId, MAX_RESUME);
    }

    public int unread(long accountId) {
        return store.unread(accountId);
    }

    public NotificationStreams streams() {
        return streams;
    }

    public Notifier notifier() {
        return notifier;
    }

    public RoomNotifications rules() {
        return rules;
    }

    public NotificationsConfig config() {
        return config;
    }

    public NotificationStore store() {
        return store;
    }

    @Override
    public void close() {
        notifier.close();
        streams.closeAll();
    }
}
