package org.salotto.rooms.notify;

/** What a notification tells; {@link #wire()} is its name in the API (docs/api.md "Notifications"). */
public enum NotificationType {
    /** Someone you follow went live. */
    WENT_LIVE,
    /** Someone you follow opened a space. */
    SPACE_OPENED,
    /** Someone you follow opened a public call. */
    CALL_OPENED,
    /** A room was scheduled by someone you follow, or you were invited to it. */
    ROOM_SCHEDULED,
    /** A scheduled room you were invited to, or asked to be reminded of, changed its time or title. */
    ROOM_CHANGED,
    /** ... was cancelled. */
    ROOM_CANCELLED,
    /** ... starts soon (the reminder lead before its start). */
    REMINDER,
    /** ... starts now. */
    ROOM_STARTING,
    /** Someone asks to join your stage or to speak (to the host and co-hosts). */
    HAND_RAISED,
    MADE_COHOST,
    MADE_MODERATOR,
    /** You were invited onto a stage. */
    STAGE_INVITATION;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
