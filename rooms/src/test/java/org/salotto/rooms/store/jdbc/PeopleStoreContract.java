package org.salotto.rooms.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.people.AdminAction;
import org.salotto.rooms.people.Follow;
import org.salotto.rooms.people.PeopleStore;
import org.salotto.rooms.people.Person;
import org.salotto.rooms.people.Report;
import org.salotto.rooms.store.Account;
import org.salotto.rooms.store.Room;

/**
 * Profiles, avatars, follows and their pages, the rooms people find, reports and the admin log with what each action
 * changes: the same tests on every database under {@link JdbcStore} (H2 and PostgreSQL subclasses).
 */
abstract class PeopleStoreContract {
    static final Instant T0 = Instant.parse("2026-12-01T18:00:00.123456Z");

    JdbcStore store;
    PeopleStore people;
    Account ada;
    Account bea;
    Account cy;
    private int roomsMade;

    abstract DatabaseConfig freshDatabase() throws Exception;

    abstract void dropDatabase() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = JdbcStore.open(freshDatabase());
        people = store.people();
        ada = store.createAccount("Ada", "Ada L", "$argon2id$fake", T0);
        bea = store.createAccount("bea", "Bea", "$argon2id$fake", T0.plusSeconds(1));
        cy = store.createAccount("cy", "Cy", "$argon2id$fake", T0.plusSeconds(2));
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) store.close();
        dropDatabase();
    }

    @Test
    void aProfileIsReadByUsernameInAnyCaseAndChanged() {
        Person p = people.personByUsername("ADA").orElseThrow();
        assertEquals(ada.id(), p.id());
        assertEquals("Ada", p.username());
        assertEquals("", p.bio());
        assertNull(p.avatarVersion());
        assertFalse(p.storedAdmin());
        assertFalse(p.suspended());
        people.updateProfile(ada.id(), "Ada Lovelace", "Counting engines");
        Person changed = people.person(ada.id()).orElseThrow();
        assertEquals("Ada Lovelace", changed.displayName());
        assertEquals("Counting engines", changed.bio());
        assertEquals("Ada Lovelace", store.account(ada.id()).orElseThrow().displayName(), "one display name: the account's");
        assertTrue(people.personByUsername("nobody").isEmpty());
        assertEquals(Set.of(ada.id(), cy.id()), people.people(List.of(ada.id(), cy.id(), 999L)).keySet());
        assertEquals(ada.id(), people.firstAccountId().orElseThrow());
        people.setAdmin(bea.id(), true);
        assertTrue(people.person(bea.id()).orElseThrow().storedAdmin());
    }

    @Test
    void anAvatarIsReplacedWithAGreaterVersionEvenAfterItWasDeleted() {
        byte[] first = {1, 2, 3};
        long v1 = people.putAvatar(ada.id(), "image/png", first, T0);
        assertArrayEquals(first, people.avatar(ada.id()).orElseThrow().image());
        assertEquals(v1, people.person(ada.id()).orElseThrow().avatarVersion());
        long v2 = people.putAvatar(ada.id(), "image/png", new byte[] {4}, T0);
        assertTrue(v2 > v1, "a new upload has a new URL even in the same millisecond");
        assertArrayEquals(new byte[] {4}, people.avatar(ada.id()).orElseThrow().image());
        assertTrue(people.deleteAvatar(ada.id()));
        assertFalse(people.deleteAvatar(ada.id()));
        assertTrue(people.avatar(ada.id()).isEmpty());
        assertNull(people.person(ada.id()).orElseThrow().avatarVersion());
        long v3 = people.putAvatar(ada.id(), "image/png", new byte[] {5}, T0.plusSeconds(60));
        assertTrue(v3 > v2, "a URL a browser cached for good is never reused");
    }

    @Test
    void followsAreIdempotentCountedAndPagedNewestFirst() {
        people.follow(bea.id(), ada.id(), T0);
        people.follow(bea.id(), ada.id(), T0.plusSeconds(50));
        people.follow(cy.id(), ada.id(), T0.plusSeconds(5));
        people.follow(ada.id(), cy.id(), T0);
        assertEquals(2, people.followerCount(ada.id()));
        assertEquals(1, people.followingCount(ada.id()));
        assertEquals(Set.of(ada.id()), people.followedAmong(bea.id(), List.of(ada.id(), cy.id())));

        List<Follow> first = people.followers(ada.id(), null, 1);
        assertEquals(List.of("cy"), first.stream().map(f -> f.person().username()).toList(), "newest follow first");
        Follow last = first.get(0);
        List<Follow> second = people.followers(ada.id(), new PeopleStore.FollowCursor(last.at(), last.person().id()), 5);
        assertEquals(List.of("bea"), second.stream().map(f -> f.person().username()).toList());
        assertEquals(T0.truncatedTo(java.time.temporal.ChronoUnit.MICROS), second.get(0).at(), "following again keeps the first date");
        assertEquals(List.of("cy"), people.following(ada.id(), null, 10).stream().map(f -> f.person().username()).toList());

        people.unfollow(bea.id(), ada.id());
        people.unfollow(bea.id(), ada.id());
        assertEquals(1, people.followerCount(ada.id()));
    }

    @Test
    void followersWithTheSameDatePageByAccountWithoutLossOrRepeat() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long id = store.createAccount("fan" + i, "Fan " + i, "$argon2id$fake", T0).id();
            people.follow(id, ada.id(), T0);
            ids.add(id);
        }
        List<Long> seen = new ArrayList<>();
        PeopleStore.FollowCursor cursor = null;
        while (true) {
            List<Follow> page = people.followers(ada.id(), cursor, 3);
            for (Follow f : page) seen.add(f.person().id());
            if (page.size() < 3) break;
            Follow last = page.get(page.size() - 1);
            cursor = new PeopleStore.FollowCursor(last.at(), last.person().id());
        }
        assertEquals(ids.reversed(), seen);
    }

    @Test
    void scheduledRoomsForSomeoneAreTheirInvitationsRemindersAndFollowedHostsSoonestFirst() {
        Room later = room("r-later", ada, RoomKind.LIVE, Visibility.PUBLIC, T0.plusSeconds(7200), false);
        Room soon = room("r-soon", bea, RoomKind.SPACE, Visibility.PUBLIC, T0.plusSeconds(600), false);
        Room invitedTo = room("r-invite", bea, RoomKind.CALL, Visibility.PRIVATE, T0.plusSeconds(3600), false);
        room("r-private", bea, RoomKind.CALL, Visibility.PRIVATE, T0.plusSeconds(60), false);
        insert("INSERT INTO room_invitees (room_id, account_id, at) VALUES (?, ?, ?)", invitedTo.id(), cy.id());
        insert("INSERT INTO room_reminders (room_id, account_id, at) VALUES (?, ?, ?)", later.id(), cy.id());
        assertEquals(List.of("r-soon", "r-later"), ids(people.scheduledPublicRooms(null, 10)));
        assertEquals(List.of("r-later"), ids(people.scheduledPublicRooms(ada.id(), 10)));
        assertEquals(List.of("r-invite", "r-later"), ids(people.scheduledRoomsFor(cy.id(), 10)));
        people.follow(cy.id(), bea.id(), T0);
        assertEquals(List.of("r-soon", "r-invite", "r-later"), ids(people.scheduledRoomsFor(cy.id(), 10)),
                "a followed host's public room, not their private one");
        assertEquals(Set.of("r-later"), people.remindedAmong(cy.id(), List.of("r-later", "r-soon", "r-invite")));
        assertEquals(Set.of("r-invite"), people.invitedAmong(cy.id(), List.of("r-later", "r-soon", "r-invite")));
        assertEquals(Set.of(), people.remindedAmong(ada.id(), List.of("r-later")));
        assertEquals(soon.id(), people.scheduledPublicRooms(bea.id(), 1).get(0).id());
    }

    @Test
    void reportsKeepTheirContextAndAreCountedPerReporter() {
        Room r = room("r-1", bea, RoomKind.LIVE, Visibility.PUBLIC, null, false);
        Report made = people.createReport(new Report(0, ada.id(), Report.Kind.COMMENT, r.id(), "a:" + bea.id(), "Bea", "c-1",
                "buy my stuff", "spam", Report.State.OPEN, T0, null, null));
        assertTrue(made.id() > 0);
        Report read = people.report(made.id()).orElseThrow();
        assertEquals(made, read);
        people.createReport(new Report(0, ada.id(), Report.Kind.ROOM, r.id(), "a:" + bea.id(), "Bea", null, "Friday",
                "bad", Report.State.OPEN, T0.plusSeconds(10), null, null));
        assertEquals(2, people.reportsSince(ada.id(), T0));
        assertEquals(1, people.reportsSince(ada.id(), T0.plusSeconds(1)));
        assertEquals(0, people.reportsSince(cy.id(), T0));
        assertTrue(people.reportedComment(ada.id(), r.id(), "c-1"));
        assertFalse(people.reportedComment(cy.id(), r.id(), "c-1"));
        assertEquals(List.of(Report.Kind.ROOM, Report.Kind.COMMENT), people.reports(true, 10).stream().map(Report::kind).toList());
    }

    @Test
    void adminActionsAreLoggedWithWhatTheyChangeInOneTransaction() {
        Report report = people.createReport(new Report(0, ada.id(), Report.Kind.ROOM, null, "a:" + bea.id(), "Bea", null,
                "ctx", "why", Report.State.OPEN, T0, null, null));
        store.createSession(new byte[] {1, 2}, bea.id(), T0.plusSeconds(86_400 * 365L * 10));
        AdminAction suspend = people.act(new AdminAction(0, ada.id(), AdminAction.Action.SUSPEND, report.id(), null, bea.id(),
                "spam", T0.plusSeconds(5)), Report.State.ACTIONED);
        assertTrue(suspend.id() > 0);
        assertTrue(people.suspended(bea.id()));
        assertTrue(people.person(bea.id()).orElseThrow().suspended());
        assertTrue(store.sessionAccount(new byte[] {1, 2}, T0).isEmpty(), "a suspended account's sessions end");
        Report resolved = people.report(report.id()).orElseThrow();
        assertEquals(Report.State.ACTIONED, resolved.state());
        assertEquals(ada.id(), resolved.resolvedBy());
        assertTrue(people.reports(true, 10).isEmpty());
        assertEquals(1, people.reports(false, 10).size());

        // A report resolved stays as it was resolved.
        people.act(new AdminAction(0, ada.id(), AdminAction.Action.DISMISS, report.id(), null, null, null, T0.plusSeconds(6)),
                Report.State.DISMISSED);
        assertEquals(Report.State.ACTIONED, people.report(report.id()).orElseThrow().state());

        people.act(new AdminAction(0, ada.id(), AdminAction.Action.RESTORE, null, null, bea.id(), null, T0.plusSeconds(7)), null);
        assertFalse(people.suspended(bea.id()));
        List<AdminAction> log = people.actions(10);
        assertEquals(List.of(AdminAction.Action.RESTORE, AdminAction.Action.DISMISS, AdminAction.Action.SUSPEND),
                log.stream().map(AdminAction::action).toList());
        assertEquals(suspend, log.get(2));
    }

    private Room room(String id, Account host, RoomKind kind, Visibility v, Instant start, boolean practice) {
        Room r = new Room(id, host.id(), kind, "Room " + id, "hanging_out", v, start,
                start == null ? RoomState.OPEN : RoomState.SCHEDULED, false, false, T0.plusSeconds(++roomsMade),
                null, practice);
        store.createRoom(r);
        return r;
    }

    private void insert(String sql, String roomId, long accountId) {
        store.transactions().inTransaction("test rows", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, roomId);
                ps.setLong(2, accountId);
                Columns.setInstant(ps, 3, T0);
                return ps.executeUpdate();
            }
        });
    }

    private static List<String> ids(List<Room> rooms) {
        return rooms.stream().map(Room::id).toList();
    }
}
