package org.salotto.rooms.notify;

/**
 * Who a {@link NotificationJob} goes to, walked by account id in batches. The names are stored
 * ({@code notification_jobs.audience}): do not rename them.
 */
public enum Audience {
    /** The followers of the job's actor (the host). */
    FOLLOWERS,
    /** The followers of the host and the room's invitees: a public room scheduled. */
    FOLLOWERS_AND_INVITEES,
    /** The room's invitees and the people who asked to be reminded of it. */
    INVITEES_AND_REMINDED,
    /** The host's followers, the room's invitees and the people reminded: a public scheduled room's reminders and changes. */
    FOLLOWERS_INVITEES_AND_REMINDED,
    /** The accounts listed in the job (a hand raised: the host and co-hosts; made co-host: that person). */
    ACCOUNTS
}
