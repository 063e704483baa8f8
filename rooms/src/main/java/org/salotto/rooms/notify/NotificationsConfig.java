package org.salotto.rooms.notify;

import java.time.Duration;

/**
 * Configuration {@code notifications.*} (salotto-reference.conf, docs/operations.md).
 *
 * @param batch                 recipients written per transaction of a fan-out
 * @param keepalive             a comment line on each real-time stream this often, so that proxies keep it open
 * @param reminderLead          a scheduled room's reminder goes this long before its start
 * @param maxInvitees           invitees of one scheduled room at most
 * @param maxStreamsPerAccount  open real-time streams of one account at most (browser tabs); a new one closes the oldest
 * @param pollInterval          the worker looks for due jobs at least this often (it is also woken by each commit)
 * @param streamQueue           notifications waiting to be written to one stream at most; a stream that falls further
 *                              behind is closed (the browser reconnects and resumes from its last id)
 */
public record NotificationsConfig(int batch, Duration keepalive, Duration reminderLead, int maxInvitees,
                                  int maxStreamsPerAccount, Duration pollInterval, int streamQueue) {

    public NotificationsConfig {
        if (batch < 1) throw new IllegalArgumentException("notifications.batch must be at least 1");
        if (keepalive.isNegative() || keepalive.isZero()) throw new IllegalArgumentException("notifications.keepalive must be positive");
        if (reminderLead.isNegative()) throw new IllegalArgumentException("notifications.reminder-lead must not be negative");
        if (maxInvitees < 0) throw new IllegalArgumentException("notifications.max-invitees must be at least 0");
        if (maxStreamsPerAccount < 1) throw new IllegalArgumentException("notifications.max-streams-per-account must be at least 1");
        if (pollInterval.isNegative() || pollInterval.isZero()) throw new IllegalArgumentException("notifications.poll-interval must be positive");
        if (streamQueue < 1) throw new IllegalArgumentException("notifications.stream-queue must be at least 1");
    }

    public static NotificationsConfig defaults() {
        return new NotificationsConfig(500, Duration.ofSeconds(25), Duration.ofMinutes(30), 50, 8, Duration.ofSeconds(5), 256);
    }

    public NotificationsConfig withReminderLead(Duration lead) {
        return new NotificationsConfig(batch, keepalive, lead, maxInvitees, maxStreamsPerAccount, pollInterval, streamQueue);
    }

    public NotificationsConfig withKeepalive(Duration k) {
        return new NotificationsConfig(batch, k, reminderLead, maxInvitees, maxStreamsPerAccount, pollInterval, streamQueue);
    }
}
