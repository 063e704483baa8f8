package org.salotto.rooms.notify;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.salotto.rooms.store.Room;

/** The sentence each notification shows, made when it is written (so it has the room's title of that moment). */
public final class NotificationTexts {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm 'UTC'", java.util.Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private NotificationTexts() {
    }

    /** {@code who}: the actor's name ("Someone" when unknown); {@code room}: null when it is gone. */
    public static String text(NotificationType type, String who, Room room, Duration lead) {
        String name = who == null || who.isBlank() ? "Someone" : who;
        String title = room == null ? "a room" : "“" + room.title() + "”";
        String kind = room == null ? "room" : room.kind().apiName();
        String when = room == null || room.scheduledStart() == null ? "later" : WHEN.format(room.scheduledStart());
        return switch (type) {
            case WENT_LIVE -> name + " went live: " + bare(room);
            case SPACE_OPENED -> name + " opened a space: " + bare(room);
            case CALL_OPENED -> name + " opened a call: " + bare(room);
            case ROOM_SCHEDULED -> name + " scheduled a " + kind + " for " + when + ": " + bare(room);
            case ROOM_CHANGED -> title + " by " + name + " changed: now " + when;
            case ROOM_CANCELLED -> name + " cancelled " + title;
            case REMINDER -> title + " by " + name + " starts in " + minutes(lead);
            case ROOM_STARTING -> title + " by " + name + " is starting now";
            case HAND_RAISED -> name + " asks to join the stage in " + title;
            case MADE_COHOST -> name + " made you a co-host in " + title;
            case MADE_MODERATOR -> name + " made you the moderator of " + title;
            case STAGE_INVITATION -> name + " invites you onto the stage in " + title;
        };
    }

    /** Where a click goes. */
    public static String link(String roomId, String linkPath) {
        return roomId == null ? "/" : linkPath + roomId;
    }

    private static String bare(Room room) {
        return room == null ? "a room" : room.title();
    }

    private static String minutes(Duration lead) {
        long m = lead.toMinutes();
        if (m >= 120 && m % 60 == 0) return (m / 60) + " hours";
        if (m >= 1) return m + (m == 1 ? " minute" : " minutes");
        long s = Math.max(0, lead.toSeconds());
        return s + (s == 1 ? " second" : " seconds");
    }
}
