package org.salotto.rooms.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.notify.Audience;
import org.salotto.rooms.notify.Notification;
import org.salotto.rooms.notify.NotificationJob;
import org.salotto.rooms.notify.NotificationStore;
import org.salotto.rooms.notify.NotificationType;
import org.salotto.rooms.notify.NotificationWrites;
import org.salotto.rooms.notify.RoomNotifications;
import org.salotto.rooms.store.Account;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.store.StoreException;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.UnitOfWork;

/**
 * The notifications' tables on every database under {@link JdbcStore} (H2 and PostgreSQL subclasses): fan-out in
 * batches with the position in the same transaction, dedup keys, a job another worker moved, the inbox, invitees and
 * reminders, a decision's jobs.
 */
abstract class NotificationStoreContract {
    static final Instant T0 = Instant.parse("2026-12-01T18:00:00.123456Z");

    JdbcStore store;
    NotificationStore n;
    Account host;
    Room room;

    abstract DatabaseConfig freshDatabase() throws Exception;

    abstract void dropDatabase() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = JdbcStore.open(freshDatabase());
        n = store.notifications();
        host = store.createAccount("bea", "Bea", "$argon2id$fake", T0);
        room = new Room("r-space", host.id(), RoomKind.SPACE, "Sunday jam", "just_chatting", Visibility.PUBLIC, null,
                RoomState.OPEN, false, false, T0, null);
        store.createRoom(room);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) store.close();
        dropDatabase();
    }

    private List<Account> followers(int count) {
        List<Account> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Account a = store.createAccount("fan" + i, "Fan " + i, "$argon2id$fake", T0);
            follow(a.id(), host.id());
            out.add(a);
        }
        return out;
    }

    private void follow(long follower, long followee) {
        store.transactions().inTransaction("follow", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO follows (follower_id, followee_id, at) VALUES (?, ?, ?)")) {
                ps.setLong(1, follower);
                ps.setLong(2, followee);
                Columns.setInstant(ps, 3, T0);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private NotificationJob onlyJob() {
        List<NotificationJob> jobs = n.dueJobs(T0.plusSeconds(3600), 10);
        assertEquals(1, jobs.size(), "jobs: " + jobs);
        return jobs.getFirst();
    }

    @Test
    void aScheduledRoomItsInviteesAndItsJobsCommitTogetherOrNotAtAll() {
        Account c = store.createAccount("cleo", "Cleo", "$argon2id$fake", T0);
        RoomNotifications rules = new RoomNotifications(java.time.Duration.ofMinutes(30));
        java.util.concurrent.atomic.AtomicInteger woken = new java.util.concurrent.atomic.AtomicInteger();
        n.onJobsAdded(woken::incrementAndGet);
        Instant start = T0.plusSeconds(7200);
        Room later = new Room("r-later", host.id(), RoomKind.LIVE, "Later jam", "just_chatting", Visibility.PUBLIC, start,
                RoomState.SCHEDULED, false, false, T0, null);
        store.createRoom(later, new OutboxEvent(later.id(), 1, "roomCreated", "{}", T0), List.of(c.id()),
                rules.scheduled(later, "Bea", T0));
        assertEquals(RoomState.SCHEDULED, store.room(later.id()).orElseThrow().state());
        assertEquals(List.of(c.id()), n.invitees(later.id()));
        assertEquals(List.of(NotificationType.ROOM_SCHEDULED, NotificationType.REMINDER, NotificationType.ROOM_STARTING),
                n.jobsOf(later.id()).stream().map(NotificationJob::type).toList());
        assertEquals(1, store.events(later.id(), 0, 10).size());
        assertEquals(1, woken.get(), "the worker is woken once, after the commit");

        // An invitee who is no account (gone meanwhile): the creation fails as a whole, and nothing of it stays.
        Room broken = new Room("r-broken", host.id(), RoomKind.LIVE, "Broken jam", "just_chatting", Visibility.PUBLIC, start,
                RoomState.SCHEDULED, false, false, T0, null);
        assertThrows(StoreException.class, () -> store.createRoom(broken, new OutboxEvent(broken.id(), 1, "roomCreated", "{}", T0),
                List.of(c.id(), c.id() + 1000), rules.scheduled(broken, "Bea", T0)));
        assertTrue(store.room(broken.id()).isEmpty(), "no room");
        assertEquals(List.of(), n.invitees(broken.id()), "no invitees");
        assertEquals(List.of(), n.jobsOf(broken.id()), "no notification jobs");
        assertEquals(List.of(), store.events(broken.id(), 0, 10), "no outbox event");
        assertEquals(1, woken.get(), "nothing to wake the worker for");
    }

    @Test
    void aFollowersJobIsWrittenInBatchesWithItsPositionAndDeletedAfterTheLast() {
        List<Account> fans = followers(7);
        n.addJobs(room.id(), new NotificationWrites(List.of(NotificationJob.of(NotificationType.SPACE_OPENED, Audience.FOLLOWERS,
                room.id(), host.id(), "Bea", "opened:" + room.id(), T0, T0)), false));
        NotificationJob job = onlyJob();
        assertEquals(0, job.afterAccount());
        assertEquals("opened:" + room.id(), job.dedupKey());

        NotificationStore.FanOut first = n.fanOut(job, 3, "Bea opened a space: Sunday jam", "/r/r-space", T0);
        assertEquals(List.of(fans.get(0).id(), fans.get(1).id(), fans.get(2).id()),
                first.written().stream().map(Notification::accountId).toList());
        assertFalse(first.finished());
        assertEquals(fans.get(2).id(), first.position());
        assertEquals(fans.get(2).id(), onlyJob().afterAccount(), "the position is stored with the batch");

        NotificationStore.FanOut second = n.fanOut(onlyJob(), 3, "t", "/r/r-space", T0);
        assertEquals(3, second.written().size());
        NotificationStore.FanOut third = n.fanOut(onlyJob(), 3, "t", "/r/r-space", T0);
        assertEquals(1, third.written().size());
        assertTrue(third.finished());
        assertTrue(n.dueJobs(T0.plusSeconds(3600), 10).isEmpty(), "a finished job is deleted");

        for (Account fan : fans) {
            List<Notification> inbox = n.inbox(fan.id(), null, 10);
            assertEquals(1, inbox.size(), fan.username() + " is notified once");
            Notification got = inbox.getFirst();
            assertEquals(NotificationType.SPACE_OPENED, got.type());
            assertEquals("/r/r-space", got.link());
            assertEquals("bea", got.actor().username());
            assertEquals("Bea", got.actor().displayName());
            assertNull(got.actor().avatarUrl());
            assertFalse(got.read());
        }
        assertTrue(n.inbox(host.id(), null, 10).isEmpty(), "the host is not told of their own room");
    }

    @Test
    void theDedupKeyKeepsASecondJobFromNotifyingAnyoneTwice() {
        List<Account> fans = followers(3);
        NotificationJob template = NotificationJob.of(NotificationType.WENT_LIVE, Audience.FOLLOWERS, room.id(), host.id(),
                "Bea", "live:" + room.id(), T0, T0);
        n.addJobs(room.id(), new NotificationWrites(List.of(template), false));
        assertEquals(3, n.fanOut(onlyJob(), 500, "t", "/r/x", T0).written().size());
        Account late = store.createAccount("late", "Late", "$argon2id$fake", T0);
        follow(late.id(), host.id());
        n.addJobs(room.id(), new NotificationWrites(List.of(template), false));
        NotificationStore.FanOut again = n.fanOut(onlyJob(), 500, "t", "/r/x", T0);
        assertEquals(List.of(late.id()), again.written().stream().map(Notification::accountId).toList());
        for (Account fan : fans) assertEquals(1, n.inbox(fan.id(), null, 10).size());
    }

    @Test
    void aJobAnotherWorkerMovedWritesNothing() {
        followers(4);
        n.addJobs(room.id(), new NotificationWrites(List.of(NotificationJob.of(NotificationType.SPACE_OPENED,
                Audience.FOLLOWERS, room.id(), host.id(), null, null, T0, T0)), false));
        NotificationJob stale = onlyJob();
        assertEquals(2, n.fanOut(stale, 2, "t", "/r/x", T0).written().size());
        NotificationStore.FanOut lost = n.fanOut(stale, 2, "t", "/r/x", T0);
        assertTrue(lost.lost());
        assertTrue(lost.written().isEmpty());
        NotificationStore.FanOut rest = n.fanOut(onlyJob(), 2, "t", "/r/x", T0);
        assertEquals(2, rest.written().size());
    }

    @Test
    void invitationsAndRemindersAreOneAudienceAndJobsComeDueOnTime() {
        Account c = store.createAccount("cleo", "Cleo", "$argon2id$fake", T0);
        Account d = store.createAccount("dan", "Dan", "$argon2id$fake", T0);
        Account e = store.createAccount("eve", "Eve", "$argon2id$fake", T0);
        assertEquals(List.of(c.id(), d.id()), n.setInvitees(room.id(), List.of(c.id(), d.id()), T0));
        assertEquals(List.of(e.id()), n.setInvitees(room.id(), List.of(c.id(), e.id()), T0), "replaces: only eve is new");
        assertEquals(List.of(c.id(), e.id()), n.invitees(room.id()));
        assertTrue(n.remind(room.id(), d.id(), T0));
        assertFalse(n.remind(room.id(), d.id(), T0), "idempotent");
        assertTrue(n.reminds(room.id(), d.id()));
        assertTrue(n.remind(room.id(), c.id(), T0));

        Instant due = T0.plusSeconds(600);
        n.addJobs(room.id(), new NotificationWrites(List.of(NotificationJob.of(NotificationType.REMINDER,
                Audience.INVITEES_AND_REMINDED, room.id(), host.id(), null, "reminder:r-space:1", due, T0)), false));
        assertTrue(n.dueJobs(due.minusMillis(1), 10).isEmpty(), "not before its time");
        assertEquals(due, n.nextDue().orElseThrow());
        NotificationJob job = n.dueJobs(due, 10).getFirst();
        NotificationStore.FanOut out = n.fanOut(job, 500, "soon", "/r/r-space", due);
        assertEquals(List.of(c.id(), d.id(), e.id()), out.written().stream().map(Notification::accountId).toList(),
                "invitees and reminded, each once");

        assertTrue(n.forgetReminder(room.id(), d.id()));
        assertFalse(n.reminds(room.id(), d.id()));
    }

    @Test
    void aPublicRoomsRemindersGoToFollowersInviteesAndRemindedOnceEach() {
        List<Account> fans = followers(2);
        Account c = store.createAccount("cleo", "Cleo", "$argon2id$fake", T0);
        n.setInvitees(room.id(), List.of(c.id(), fans.get(0).id()), T0);
        n.remind(room.id(), fans.get(1).id(), T0);
        n.addJobs(room.id(), new NotificationWrites(List.of(NotificationJob.of(NotificationType.ROOM_STARTING,
                Audience.FOLLOWERS_INVITEES_AND_REMINDED, room.id(), host.id(), null, "starting:r-space:1", T0, T0)), false));
        NotificationStore.FanOut out = n.fanOut(onlyJob(), 500, "now", "/r/r-space", T0);
        assertEquals(List.of(fans.get(0).id(), fans.get(1).id(), c.id()),
                out.written().stream().map(Notification::accountId).toList(), "a follower invited and reminded: once");
    }

    @Test
    void aDecisionWritesItsJobsInItsTransactionAndDropsTheRoomsReminders() {
        Account c = store.createAccount("cleo", "Cleo", "$argon2id$fake", T0);
        n.addJobs(room.id(), new NotificationWrites(List.of(
                NotificationJob.of(NotificationType.REMINDER, Audience.INVITEES_AND_REMINDED, room.id(), host.id(), null, "k1", T0.plusSeconds(60), T0),
                NotificationJob.of(NotificationType.ROOM_STARTING, Audience.INVITEES_AND_REMINDED, room.id(), host.id(), null, "k2", T0.plusSeconds(120), T0)),
                false));
        assertEquals(2, n.jobsOf(room.id()).size());
        NotificationWrites writes = new NotificationWrites(List.of(
                NotificationJob.to(List.of(c.id()), NotificationType.MADE_COHOST, room.id(), host.id(), "Bea", T0)), true);
        store.commit(new UnitOfWork(room.id(), null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                null, List.of(), writes));
        List<NotificationJob> jobs = n.jobsOf(room.id());
        assertEquals(1, jobs.size());
        assertEquals(NotificationType.MADE_COHOST, jobs.getFirst().type());
        assertEquals(List.of(c.id()), jobs.getFirst().recipients());
        assertEquals(1, n.fanOut(jobs.getFirst(), 500, "Bea made you a co-host", "/r/r-space", T0).written().size());
    }

    @Test
    void aScheduledRoomsStartMovesWhileItIsScheduledOnly() {
        Instant start = T0.plusSeconds(3600);
        Room scheduled = new Room("r-later", host.id(), RoomKind.LIVE, "Later", "just_chatting", Visibility.PUBLIC, start,
                RoomState.SCHEDULED, false, false, T0, null);
        store.createRoom(scheduled);
        store.updateRoom(scheduled.withScheduledStart(start.plusSeconds(600)));
        assertEquals(start.plusSeconds(600), store.room("r-later").orElseThrow().scheduledStart());
        store.updateRoom(scheduled.withScheduledStart(start.plusSeconds(900)).withState(RoomState.OPEN, null));
        assertEquals(start.plusSeconds(600), store.room("r-later").orElseThrow().scheduledStart(), "opened: as it was");
    }

    @Test
    void theInboxPagesNewestFirstCountsUnreadAndMarksRead() {
        Account c = store.createAccount("cleo", "Cleo", "$argon2id$fake", T0);
        for (int i = 0; i < 5; i++) {
            n.addJobs(room.id(), new NotificationWrites(List.of(NotificationJob.to(List.of(c.id()), NotificationType.HAND_RAISED,
                    room.id(), null, "Guest " + i, T0)), false));
            n.fanOut(onlyJob(), 500, "Guest " + i + " asks", "/r/r-space", T0.plusSeconds(i));
        }
        List<Notification> page = n.inbox(c.id(), null, 2);
        assertEquals(List.of("Guest 4 asks", "Guest 3 asks"), page.stream().map(Notification::text).toList());
        assertNull(page.getFirst().actor(), "a guest is no account");
        List<Notification> next = n.inbox(c.id(), page.getLast().id(), 10);
        assertEquals(3, next.size());
        assertEquals(5, n.unread(c.id()));
        List<Notification> after = n.after(c.id(), next.get(2).id(), 10);
        assertEquals(List.of("Guest 1 asks", "Guest 2 asks", "Guest 3 asks", "Guest 4 asks"),
                after.stream().map(Notification::text).toList(), "oldest first after the id");

        assertEquals(2, n.markRead(c.id(), List.of(page.get(0).id(), page.get(1).id()), false, T0));
        assertEquals(3, n.unread(c.id()));
        assertTrue(n.inbox(c.id(), null, 1).getFirst().read());
        assertEquals(0, n.markRead(host.id(), List.of(next.getFirst().id()), false, T0), "not someone else's");
        assertEquals(3, n.markRead(c.id(), List.of(), true, T0));
        assertEquals(0, n.unread(c.id()));
    }
}
