package org.salotto.rooms.notify;

import java.time.Instant;
import java.util.List;

/**
 * Notifications still to be written, durably: a row of {@code notification_jobs}. The worker ({@link Notifier}) takes it
 * once {@code dueAt} has come and writes a notification for each account of its {@link Audience} above
 * {@code afterAccount}, a batch per transaction.
 *
 * @param id          0 for a job not yet stored
 * @param actorId     the account the notification is about (the host, the person who raised a hand), or null
 * @param actorName   the name to show when it is not the actor account's display name (a guest's), or null
 * @param dedupKey    when set, a person gets at most one notification with this key, whatever retries happen
 * @param recipients  the accounts of {@link Audience#ACCOUNTS}, else empty
 */
public record NotificationJob(long id, NotificationType type, Audience audience, String roomId, Long actorId,
                              String actorName, String dedupKey, List<Long> recipients, long afterAccount, Instant dueAt,
                              Instant createdAt) {

    public NotificationJob {
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

    /** A new job for everyone in {@code audience}. */
    public static NotificationJob of(NotificationType type, Audience audience, String roomId, Long actorId, String actorName,
                                     String dedupKey, Instant dueAt, Instant at) {
        return new NotificationJob(0, type, audience, roomId, actorId, actorName, dedupKey, List.of(), 0, dueAt, at);
    }

    /** A new job for a few named accounts, due now. */
    public static NotificationJob to(List<Long> accounts, NotificationType type, String roomId, Long actorId,
                                     String actorName, Instant at) {
        return new NotificationJob(0, type, Audience.ACCOUNTS, roomId, actorId, actorName, null, accounts, 0, at, at);
    }

    /** A reminder of a scheduled room ({@link NotificationType#REMINDER} or {@link NotificationType#ROOM_STARTING}). */
    public boolean isReminder() {
        return type == NotificationType.REMINDER || type == NotificationType.ROOM_STARTING;
    }
}
