package org.salotto.rooms.notify;

import java.time.Instant;

/**
 * One notification of one account, as the inbox and the real-time stream show it. {@code text} is the sentence
 * shown; {@code link} where a click goes ({@code /r/<room>}); {@code actor} who it is about, or null (a guest, an
 * account since deleted).
 */
public record Notification(long id, long accountId, NotificationType type, String roomId, String text, String link,
                           Actor actor, Instant createdAt, boolean read) {

    /** An account as a notification shows it; {@code avatarUrl} null: show initials. */
    public record Actor(String username, String displayName, String avatarUrl) {
    }
}
