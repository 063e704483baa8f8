package org.salotto.rooms.notify;

import java.util.List;

/**
 * What a room decision changes in the notifications, written in the decision's transaction: new jobs, and whether the
 * room's pending reminders are dropped first (its start moved: new ones come with the jobs; it was cancelled or ended).
 */
public record NotificationWrites(List<NotificationJob> jobs, boolean dropReminders) {
    public static final NotificationWrites NONE = new NotificationWrites(List.of(), false);

    public NotificationWrites {
        jobs = List.copyOf(jobs);
    }

    public boolean isEmpty() {
        return jobs.isEmpty() && !dropReminders;
    }
}
