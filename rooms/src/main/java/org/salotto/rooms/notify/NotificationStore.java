package org.salotto.rooms.notify;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The notifications' tables (V5__people.sql): a person's notifications, the durable fan-out jobs, a scheduled room's
 * invitees and the people who asked to be reminded of it. A room decision's jobs are written by {@code Store.commit}
 * in the decision's transaction; everything here is a short transaction of its own. Blocking: virtual threads only.
 */
public interface NotificationStore {

    // ---- invitees and reminders of scheduled rooms ----

    /** Makes {@code accountIds} the room's invitees (replacing the ones before); returns the ones newly invited. */
    List<Long> setInvitees(String roomId, List<Long> accountIds, Instant at);

    List<Long> invitees(String roomId);

    /** "Remind me": idempotent; true if it is new. */
    boolean remind(String roomId, long accountId, Instant at);

    /** Idempotent; true if there was one. */
    boolean forgetReminder(String roomId, long accountId);

    boolean reminds(String roomId, long accountId);

    // ---- jobs ----

    /** Stores jobs standing alone (a room scheduled, its start moved); the worker is woken after the commit. */
    void addJobs(String roomId, NotificationWrites writes);

    /** Jobs due at {@code now}, oldest due first, at most {@code limit}. */
    List<NotificationJob> dueJobs(Instant now, int limit);

    /** When the next job is due, if any. */
    Optional<Instant> nextDue();

    /** Pending jobs of a room, due first (tests, and what a room's reminders are). */
    List<NotificationJob> jobsOf(String roomId);

    /**
     * Writes the notifications of the next batch of the job's audience (at most {@code batch} accounts above the
     * job's position, in account order, skipping the job's actor and whoever already has its dedup key) and moves the
     * job's position past them, in one transaction; deletes the job after its last batch. A job another worker moved
     * meanwhile, or deleted, writes nothing ({@link FanOut#lost}).
     */
    FanOut fanOut(NotificationJob job, int batch, String text, String link, Instant at);

    /** What one batch wrote: the notifications (to push), whether the job is done, whether it was lost to another worker. */
    record FanOut(List<Notification> written, long position, boolean finished, boolean lost) {
    }

    /** Called (on the committing thread) after jobs are committed, by this store or a room decision. */
    void onJobsAdded(Runnable listener);

    // ---- the inbox ----

    /** Newest first: at most {@code limit} notifications of the account with an id below {@code beforeId} (null: from the newest). */
    List<Notification> inbox(long accountId, Long beforeId, int limit);

    /** Oldest first: the account's notifications with an id above {@code afterId}, at most {@code limit} (a stream's resume). */
    List<Notification> after(long accountId, long afterId, int limit);

    int unread(long accountId);

    /** Marks the account's notifications read: those of {@code ids}, or all when {@code all}; returns how many changed. */
    int markRead(long accountId, List<Long> ids, boolean all, Instant at);
}
