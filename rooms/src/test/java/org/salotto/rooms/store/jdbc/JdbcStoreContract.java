package org.salotto.rooms.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.store.Account;
import org.salotto.rooms.store.ApiKey;
import org.salotto.rooms.store.Ban;
import org.salotto.rooms.store.Block;
import org.salotto.rooms.store.Identities;
import org.salotto.rooms.store.Membership;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.store.RoomTimer;
import org.salotto.rooms.store.UnitOfWork;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.StoreException;

/**
 * What every database under {@link JdbcStore} must do. Each subclass gives an empty database per test; the test
 * methods are the same for all, so H2 and PostgreSQL are held to one contract.
 */
abstract class JdbcStoreContract {
    /** A fixed instant with nanoseconds, to show what precision survives the database. */
    static final Instant T0 = Instant.parse("2026-03-14T15:09:26.535897932Z");

    DatabaseConfig config;
    JdbcStore store;

    /** A new, empty database for one test. */
    abstract DatabaseConfig freshDatabase() throws Exception;

    /** Drops what {@link #freshDatabase()} made. */
    abstract void dropDatabase() throws Exception;

    /** A config whose database cannot be opened. */
    abstract DatabaseConfig unreachableDatabase() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        config = freshDatabase();
        store = JdbcStore.open(config);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) store.close();
        dropDatabase();
    }

    /** Closes the store and opens it again on the same database, as a restarted server would. */
    void restart() {
        store.close();
        store = null;
        store = JdbcStore.open(config);
    }

    static Instant ms(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Account account(String username) {
        return store.createAccount(username, "The " + username, "$argon2id$fake$" + username, T0);
    }

    static Room room(String id, long host, Visibility visibility, RoomState state, Instant createdAt) {
        return new Room(id, host, RoomKind.SPACE, "Room " + id, "study_break", visibility, null, state, false, false,
                createdAt, null);
    }

    // ---- opening and migrations ----

    @Test
    void firstOpenMigratesAndASecondOpenIsANoOp() {
        assertTrue(store.migrationsApplied() >= 1, "the first open applies the migrations");
        Account a = account("alice");
        restart();
        assertEquals(0, store.migrationsApplied(), "the schema is current: nothing to apply");
        restart();
        assertEquals(0, store.migrationsApplied());
        assertEquals(a, store.account(a.id()).orElseThrow());
    }

    @Test
    void anUnreachableDatabaseFailsWithAMessageThatNamesIt() throws Exception {
        DatabaseConfig bad = unreachableDatabase();
        StoreException e = assertThrows(StoreException.class, () -> JdbcStore.open(bad).close());
        assertTrue(e.getMessage().contains(bad.url()), () -> "message names the database: " + e.getMessage());
    }

    // ---- accounts ----

    @Test
    void accountsAreFoundByIdAndByUsernameInAnyCase() {
        Account alice = store.createAccount("Alice", "Alice Liddell", "$argon2id$h", T0);
        assertTrue(alice.id() > 0);
        assertEquals("Alice", alice.username());
        assertEquals(ms(T0), ms(alice.createdAt()));

        Account read = store.account(alice.id()).orElseThrow();
        assertEquals(alice.id(), read.id());
        assertEquals("Alice", read.username(), "the username keeps the case it was made with");
        assertEquals("Alice Liddell", read.displayName());
        assertEquals("$argon2id$h", read.passwordHash());
        assertEquals(ms(T0), ms(read.createdAt()));

        assertEquals(alice.id(), store.accountByUsername("alice").orElseThrow().id());
        assertEquals(alice.id(), store.accountByUsername("ALICE").orElseThrow().id());
        assertTrue(store.accountByUsername("bob").isEmpty());
        assertTrue(store.account(alice.id() + 1000).isEmpty());
    }

    @Test
    void aUsernameTakenInAnyCaseIsAConflict() {
        Account first = account("Carol");
        assertThrows(StoreException.Conflict.class, () -> account("carol"));
        assertThrows(StoreException.Conflict.class, () -> account("CAROL"));
        Account other = account("Caroline");
        assertNotEquals(first.id(), other.id());
        assertEquals("Carol", store.accountByUsername("carol").orElseThrow().username());
    }

    @Test
    void textRoundTripsInUnicode() {
        Account a = store.createAccount("zoë", "Zoë 🎧 Ωmega", "h", T0);
        assertEquals("Zoë 🎧 Ωmega", store.account(a.id()).orElseThrow().displayName());
        assertEquals(a.id(), store.accountByUsername("ZOË").orElseThrow().id());
        store.createRoom(new Room("r-uni", a.id(), RoomKind.LIVE, "Café ☕", "🎲 board games", Visibility.PUBLIC, null,
                RoomState.OPEN, false, false, T0, null));
        Room r = store.room("r-uni").orElseThrow();
        assertEquals("Café ☕", r.title());
        assertEquals("🎲 board games", r.activity());
    }

    @Test
    void aFailureThatIsNotAUniqueValueIsAPlainStoreException() {
        // A session for an account that does not exist breaks a foreign key, not a unique constraint.
        StoreException e = assertThrows(StoreException.class, () -> store.createSession(bytes("t"), 424242, T0));
        assertFalse(e instanceof StoreException.Conflict, "a foreign key failure is not a Conflict");
    }

    // ---- sessions ----

    @Test
    void sessionsExpireAndCanBeDeleted() {
        Account a = account("dave");
        byte[] token = bytes("token-hash-1");
        Instant expires = T0.plus(Duration.ofHours(1));
        store.createSession(token, a.id(), expires);

        assertEquals(a.id(), store.sessionAccount(token, T0).orElseThrow());
        assertEquals(a.id(), store.sessionAccount(bytes("token-hash-1"), expires.minusMillis(1)).orElseThrow(),
                "found by an equal array, not the same one");
        assertTrue(store.sessionAccount(token, expires).isEmpty(), "expired at its expiry instant");
        assertTrue(store.sessionAccount(token, expires.plus(Duration.ofDays(1))).isEmpty());
        assertTrue(store.sessionAccount(bytes("token-hash-2"), T0).isEmpty());

        byte[] other = bytes("token-hash-2");
        store.createSession(other, a.id(), expires);
        store.deleteSession(token);
        assertTrue(store.sessionAccount(token, T0).isEmpty());
        assertEquals(a.id(), store.sessionAccount(other, T0).orElseThrow(), "only that session is gone");
        store.deleteSession(token); // deleting a missing session is fine
    }

    @Test
    void expiredSessionsArePurgedAndAnAccountCanEndAllOfItsOwn() {
        Account a = account("erin");
        Account b = account("frank");
        store.createSession(bytes("erin-old"), a.id(), T0.plus(Duration.ofHours(1)));
        store.createSession(bytes("erin-new"), a.id(), T0.plus(Duration.ofHours(2)));
        store.createSession(bytes("erin-phone"), a.id(), T0.plus(Duration.ofHours(3)));
        store.createSession(bytes("frank"), b.id(), T0.plus(Duration.ofHours(2)));

        assertEquals(1, store.deleteExpiredSessions(T0.plus(Duration.ofMinutes(90))), "only the expired row goes");
        assertEquals(0, store.deleteExpiredSessions(T0.plus(Duration.ofMinutes(90))), "it is gone, not just expired");
        assertTrue(store.sessionAccount(bytes("erin-old"), T0).isEmpty(), "the row is deleted: not even its past is there");
        assertEquals(a.id(), store.sessionAccount(bytes("erin-new"), T0).orElseThrow());

        assertEquals(2, store.deleteSessionsOf(a.id()), "log out everywhere: both of her browsers");
        assertTrue(store.sessionAccount(bytes("erin-new"), T0).isEmpty());
        assertTrue(store.sessionAccount(bytes("erin-phone"), T0).isEmpty());
        assertEquals(b.id(), store.sessionAccount(bytes("frank"), T0).orElseThrow(), "another account keeps its session");
    }

    // ---- API keys ----

    @Test
    void apiKeysAreListedAndDeletedOnlyByTheirAccount() {
        Account a = account("erin");
        Account b = account("frank");
        ApiKey a1 = new ApiKey("key-a1", a.id(), "bot", new byte[] {1, 2, 3, (byte) 0xff}, T0);
        ApiKey a2 = new ApiKey("key-a2", a.id(), "ci", new byte[] {4}, T0.plusSeconds(1));
        ApiKey b1 = new ApiKey("key-b1", b.id(), "app", new byte[] {5, 6}, T0);
        store.createApiKey(a2);
        store.createApiKey(a1);
        store.createApiKey(b1);

        ApiKey read = store.apiKey("key-a1").orElseThrow();
        assertEquals("key-a1", read.id());
        assertEquals(a.id(), read.accountId());
        assertEquals("bot", read.name());
        assertArrayEquals(new byte[] {1, 2, 3, (byte) 0xff}, read.secretHash());
        assertEquals(ms(T0), ms(read.createdAt()));
        assertTrue(store.apiKey("key-zz").isEmpty());

        assertEquals(List.of("key-a1", "key-a2"), store.apiKeysOf(a.id()).stream().map(ApiKey::id).toList(), "oldest first");
        assertEquals(List.of("key-b1"), store.apiKeysOf(b.id()).stream().map(ApiKey::id).toList());

        assertThrows(StoreException.Conflict.class, () -> store.createApiKey(new ApiKey("key-a1", b.id(), "x", new byte[] {9}, T0)));

        assertFalse(store.deleteApiKey("key-a1", b.id()), "another account's key");
        assertTrue(store.apiKey("key-a1").isPresent());
        assertTrue(store.deleteApiKey("key-a1", a.id()));
        assertFalse(store.deleteApiKey("key-a1", a.id()), "already gone");
        assertTrue(store.apiKey("key-a1").isEmpty());
        assertEquals(List.of("key-a2"), store.apiKeysOf(a.id()).stream().map(ApiKey::id).toList());
    }

    // ---- rooms ----

    @Test
    void roomsRoundTripWithAllTheirFields() {
        Account host = account("gina");
        Instant start = T0.plus(Duration.ofDays(2));
        Room scheduled = new Room("r-sched", host.id(), RoomKind.LIVE, "Friday show", "game_night", Visibility.PRIVATE,
                start, RoomState.SCHEDULED, true, true, T0, null);
        store.createRoom(scheduled);
        Room read = store.room("r-sched").orElseThrow();
        assertEquals("r-sched", read.id());
        assertEquals(host.id(), read.hostAccountId());
        assertEquals(RoomKind.LIVE, read.kind());
        assertEquals("Friday show", read.title());
        assertEquals("game_night", read.activity());
        assertEquals(Visibility.PRIVATE, read.visibility());
        assertEquals(ms(start), ms(read.scheduledStart()));
        assertEquals(RoomState.SCHEDULED, read.state());
        assertTrue(read.locked());
        assertTrue(read.knock());
        assertEquals(ms(T0), ms(read.createdAt()));
        assertNull(read.endedAt());

        Room open = room("r-open", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0);
        store.createRoom(open);
        Room readOpen = store.room("r-open").orElseThrow();
        assertNull(readOpen.scheduledStart());
        assertFalse(readOpen.locked());
        assertFalse(readOpen.knock());
        assertEquals(RoomKind.SPACE, readOpen.kind());

        assertTrue(store.room("r-none").isEmpty());
        assertThrows(StoreException.Conflict.class, () -> store.createRoom(open));
    }

    @Test
    void roomsHostedByAreTheHostsNewestFirstEndedIncluded() {
        Account host = account("hana");
        Account other = account("ivan");
        store.createRoom(room("r1", host.id(), Visibility.PUBLIC, RoomState.ENDED, T0));
        store.createRoom(room("r3", host.id(), Visibility.PRIVATE, RoomState.OPEN, T0.plusSeconds(20)));
        store.createRoom(room("r2", host.id(), Visibility.PUBLIC, RoomState.SCHEDULED, T0.plusSeconds(10)));
        store.createRoom(room("x1", other.id(), Visibility.PUBLIC, RoomState.OPEN, T0.plusSeconds(5)));

        assertEquals(List.of("r3", "r2", "r1"), store.roomsHostedBy(host.id()).stream().map(Room::id).toList());
        assertEquals(List.of("x1"), store.roomsHostedBy(other.id()).stream().map(Room::id).toList());
        assertEquals(List.of(), store.roomsHostedBy(host.id() + 1000));
    }

    @Test
    void publicRoomsAreOnlyPublicOpenOrScheduledNewestFirst() {
        Account host = account("jane");
        store.createRoom(room("pub-open-old", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0));
        store.createRoom(room("pub-sched", host.id(), Visibility.PUBLIC, RoomState.SCHEDULED, T0.plusSeconds(10)));
        store.createRoom(room("pub-ended", host.id(), Visibility.PUBLIC, RoomState.ENDED, T0.plusSeconds(20)));
        store.createRoom(room("priv-open", host.id(), Visibility.PRIVATE, RoomState.OPEN, T0.plusSeconds(30)));
        store.createRoom(room("pub-open-new", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0.plusSeconds(40)));

        assertEquals(List.of("pub-open-new", "pub-sched", "pub-open-old"),
                store.publicRooms(10).stream().map(Room::id).toList());
        assertEquals(List.of("pub-open-new", "pub-sched"), store.publicRooms(2).stream().map(Room::id).toList());
        assertEquals(List.of(), store.publicRooms(0));

        // Ending a room takes it off the list.
        store.updateRoom(store.room("pub-open-new").orElseThrow().withState(RoomState.ENDED, T0.plusSeconds(50)));
        assertEquals(List.of("pub-sched", "pub-open-old"), store.publicRooms(10).stream().map(Room::id).toList());
    }

    @Test
    void updateRoomWritesTheMutableFieldsOnly() {
        Account host = account("kim");
        Room r = room("r-up", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0);
        store.createRoom(r);

        Instant ended = T0.plus(Duration.ofMinutes(90)).plusNanos(123_456_789);
        Room changed = new Room("r-up", host.id(), RoomKind.CALL, "Another title", "dance_party", Visibility.PRIVATE,
                T0, RoomState.ENDED, true, true, T0.plusSeconds(99), ended);
        store.updateRoom(changed);
        Room read = store.room("r-up").orElseThrow();
        assertEquals(RoomState.ENDED, read.state());
        assertEquals(ms(ended), ms(read.endedAt()));
        assertTrue(read.locked());
        assertTrue(read.knock());
        // What the host may change is written (PATCH /api/rooms/{id} once stored none of it)...
        assertEquals("Another title", read.title());
        assertEquals("dance_party", read.activity());
        assertEquals(Visibility.PRIVATE, read.visibility());
        // ...and the rest is as created.
        assertEquals(RoomKind.SPACE, read.kind());
        assertNull(read.scheduledStart());
        assertEquals(ms(T0), ms(read.createdAt()));

        store.updateRoom(read.withLocked(false).withKnock(false));
        assertFalse(store.room("r-up").orElseThrow().locked());
        assertFalse(store.room("r-up").orElseThrow().knock());

        assertThrows(StoreException.class, () -> store.updateRoom(room("r-missing", host.id(), Visibility.PUBLIC,
                RoomState.OPEN, T0)));
    }

    // ---- memberships ----

    @Test
    void aMembershipKeepsTheFirstJoinAndUpdatesTheRest() {
        Account host = account("lena");
        store.createRoom(room("r-m", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0));
        String guest = Identities.guest("g123");
        Instant later = T0.plus(Duration.ofMinutes(5));

        store.recordMembership("r-m", guest, "Guest", Role.AUDIENCE, T0);
        store.recordMembership("r-m", host.identity(), "Lena", Role.HOST, T0.plusSeconds(1));
        store.recordMembership("r-m", guest, "Guest Renamed", Role.STAGE, later);

        Membership m = store.membership("r-m", guest).orElseThrow();
        assertEquals("r-m", m.roomId());
        assertEquals(guest, m.identity());
        assertEquals("Guest Renamed", m.displayName());
        assertEquals(Role.STAGE, m.role());
        assertEquals(ms(T0), ms(m.firstJoinedAt()), "the first join is kept");
        assertEquals(ms(later), ms(m.lastJoinedAt()));

        assertEquals(List.of(guest, host.identity()), store.memberships("r-m").stream().map(Membership::identity).toList(),
                "in order of first join");
        assertTrue(store.membership("r-m", Identities.guest("nobody")).isEmpty());
        assertEquals(List.of(), store.memberships("r-other"));
    }

    @Test
    void concurrentFirstJoinsMakeOneMembership() throws Exception {
        Account host = account("mia");
        store.createRoom(room("r-c", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0));
        int identities = 5;
        int threads = 6;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < identities; i++) {
                String identity = Identities.guest("same-" + i);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> joins = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Instant at = T0.plusSeconds(t);
                    joins.add(pool.submit(() -> {
                        go.await();
                        store.recordMembership("r-c", identity, "Same", Role.AUDIENCE, at);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : joins) f.get(); // rethrows a join that failed
            }
        }
        assertEquals(identities, store.memberships("r-c").size());
    }

    // ---- bans and blocks ----

    @Test
    void bansAreIdempotentAndPerRoom() {
        Account host = account("nina");
        store.createRoom(room("r-b", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0));
        store.createRoom(room("r-b2", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0));
        String troll = Identities.guest("troll");

        store.ban(new Ban("r-b", troll, host.identity(), T0));
        store.ban(new Ban("r-b", troll, "a:999", T0.plusSeconds(60))); // again: no error, the first ban stays
        assertTrue(store.isBanned("r-b", troll));
        assertFalse(store.isBanned("r-b2", troll), "a ban is for one room");
        assertFalse(store.isBanned("r-b", Identities.guest("nice")));

        List<Ban> bans = store.bans("r-b");
        assertEquals(1, bans.size());
        Ban ban = bans.getFirst();
        assertEquals("r-b", ban.roomId());
        assertEquals(troll, ban.identity());
        assertEquals(host.identity(), ban.bannedBy());
        assertEquals(ms(T0), ms(ban.at()));
        assertEquals(List.of(), store.bans("r-b2"));

        String app = Identities.app("key1", "u".repeat(Identities.MAX_LENGTH - "k:key1:".length()));
        assertEquals(Identities.MAX_LENGTH, app.length());
        store.ban(new Ban("r-b", app, host.identity(), T0.plusSeconds(1)));
        assertTrue(store.isBanned("r-b", app), "an identity of the longest length fits");
        assertEquals(List.of(troll, app), store.bans("r-b").stream().map(Ban::identity).toList());
    }

    @Test
    void blocksAreIdempotentPerAccountAndCanBeUndone() {
        Account olga = account("olga");
        Account pete = account("pete");
        String guest = Identities.guest("pest");

        store.block(new Block(olga.id(), guest, "Pest", T0));
        store.block(new Block(olga.id(), guest, "Pest again", T0.plusSeconds(5)));
        store.block(new Block(olga.id(), pete.identity(), "Pete", T0.plusSeconds(10)));
        assertTrue(store.isBlocked(olga.id(), guest));
        assertTrue(store.isBlocked(olga.id(), pete.identity()));
        assertFalse(store.isBlocked(pete.id(), guest), "blocks are per account");

        List<Block> blocks = store.blocksBy(olga.id());
        assertEquals(List.of(guest, pete.identity()), blocks.stream().map(Block::identity).toList());
        assertEquals("Pest", blocks.getFirst().displayName(), "the first block stays");
        assertEquals(olga.id(), blocks.getFirst().accountId());
        assertEquals(ms(T0), ms(blocks.getFirst().at()));
        assertEquals(List.of(), store.blocksBy(pete.id()));

        assertTrue(store.unblock(olga.id(), guest));
        assertFalse(store.unblock(olga.id(), guest), "nothing left to unblock");
        assertFalse(store.isBlocked(olga.id(), guest));
        assertTrue(store.isBlocked(olga.id(), pete.identity()));
        store.block(new Block(olga.id(), guest, "Pest", T0.plusSeconds(20)));
        assertTrue(store.isBlocked(olga.id(), guest), "blocked again after an unblock");
    }

    // ---- secrets ----

    @Test
    void theFirstSecretWrittenIsTheOneKept() {
        byte[] first = {1, 2, 3};
        assertArrayEquals(first, store.secret("token-key", first));
        assertArrayEquals(first, store.secret("token-key", new byte[] {9, 9}));
        assertArrayEquals(new byte[] {7}, store.secret("other-key", new byte[] {7}));
    }

    @Test
    void concurrentCallersAllGetTheFirstWritersSecret() throws Exception {
        int threads = 6;
        for (int round = 0; round < 5; round++) {
            String name = "race-" + round;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    byte[] mine = {(byte) round, (byte) t};
                    results.add(pool.submit(() -> {
                        go.await();
                        return store.secret(name, mine);
                    }));
                }
                go.countDown();
                Set<String> seen = new HashSet<>();
                for (Future<byte[]> f : results) seen.add(HexFormat.of().formatHex(f.get()));
                assertEquals(1, seen.size(), () -> "every caller got the same secret: " + seen);
                assertEquals(seen.iterator().next(), HexFormat.of().formatHex(store.secret(name, new byte[] {0})));
            }
        }
    }

    // ---- restart ----

    @Test
    void aRestartKeepsEverything() {
        Account quinn = account("Quinn");
        Account rosa = account("rosa");
        byte[] token = bytes("session");
        Instant expires = T0.plus(Duration.ofDays(30));
        store.createSession(token, quinn.id(), expires);
        store.createApiKey(new ApiKey("key-q", quinn.id(), "bot", new byte[] {42}, T0));
        Room r = new Room("r-keep", quinn.id(), RoomKind.CALL, "Standup", "just_chatting", Visibility.PUBLIC,
                T0.plusSeconds(3600), RoomState.SCHEDULED, false, true, T0, null);
        store.createRoom(r);
        store.recordMembership("r-keep", rosa.identity(), "Rosa", Role.CO_HOST, T0);
        store.ban(new Ban("r-keep", Identities.guest("gone"), quinn.identity(), T0));
        store.block(new Block(quinn.id(), Identities.guest("pest"), "Pest", T0));
        byte[] secret = {3, 1, 4, 1, 5};
        store.secret("signing", secret);

        restart();

        assertEquals(quinn.id(), store.accountByUsername("quinn").orElseThrow().id());
        assertEquals("Quinn", store.account(quinn.id()).orElseThrow().username());
        assertEquals(quinn.id(), store.sessionAccount(token, T0).orElseThrow());
        assertArrayEquals(new byte[] {42}, store.apiKey("key-q").orElseThrow().secretHash());
        Room read = store.room("r-keep").orElseThrow();
        assertEquals(ms(r.scheduledStart()), ms(read.scheduledStart()));
        assertEquals(r.title(), read.title());
        assertTrue(read.knock());
        assertEquals(Role.CO_HOST, store.membership("r-keep", rosa.identity()).orElseThrow().role());
        assertTrue(store.isBanned("r-keep", Identities.guest("gone")));
        assertTrue(store.isBlocked(quinn.id(), Identities.guest("pest")));
        assertArrayEquals(secret, store.secret("signing", new byte[] {0}));
        // Ids keep counting after a restart rather than starting over.
        Account sam = account("sam");
        assertTrue(sam.id() > rosa.id(), () -> "new id " + sam.id() + " after " + rosa.id());
    }

    @Test
    void instantsKeepAtLeastMilliseconds() {
        Account a = account("tess");
        Instant precise = Instant.parse("2026-12-31T23:59:59.999999999Z");
        store.createRoom(new Room("r-t", a.id(), RoomKind.CALL, "t", "family", Visibility.PRIVATE, precise,
                RoomState.SCHEDULED, false, false, precise, precise));
        Room read = store.room("r-t").orElseThrow();
        assertEquals(ms(precise), ms(read.scheduledStart()), "not rounded up into the next millisecond (or year)");
        assertEquals(ms(precise), ms(read.createdAt()));
        assertEquals(ms(precise), ms(read.endedAt()));
    }

    // ---- the room runtime: one transaction per decision ----

    @Test
    void aUnitOfWorkWritesEverythingOfADecisionTogether() {
        Account host = account("uow");
        Room r = room("r-uow", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0);
        store.createRoom(r);
        Room changed = r.withLocked(true);
        store.commit(new UnitOfWork("r-uow", changed, true,
                List.of(new Membership("r-uow", "g:ann", "Ann", Role.CO_HOST, T0, T0)),
                List.of(new Ban("r-uow", "g:bob", "a:" + host.id(), T0)),
                List.of(new Block(host.id(), "g:eve", "Eve", T0)),
                List.of(new RoomTimer("r-uow", RoomTimer.Kind.HOST_GRACE, T0.plusSeconds(30))), List.of(),
                List.of(new OutboxEvent("r-uow", 1, "lockChanged", "{\"locked\":true}", T0),
                        new OutboxEvent("r-uow", 2, "removed", "{}", T0))));
        assertTrue(store.room("r-uow").orElseThrow().locked());
        assertEquals(Role.CO_HOST, store.membership("r-uow", "g:ann").orElseThrow().role());
        assertTrue(store.isBanned("r-uow", "g:bob"));
        assertTrue(store.isBlocked(host.id(), "g:eve"));
        assertEquals(ms(T0.plusSeconds(30)), ms(store.roomTimer("r-uow", RoomTimer.Kind.HOST_GRACE).orElseThrow().due()));
        assertEquals(1, store.roomTimers().stream().filter(t -> t.roomId().equals("r-uow")).count());
        assertEquals(2, store.lastEventSeq("r-uow"));
        assertEquals(List.of("lockChanged", "removed"), store.events("r-uow", 0, 10).stream().map(OutboxEvent::type).toList());
        assertEquals(List.of("removed"), store.events("r-uow", 1, 10).stream().map(OutboxEvent::type).toList());
        assertTrue(store.occupiedRooms().stream().anyMatch(o -> o.id().equals("r-uow")));
        assertTrue(store.occupied("r-uow"));

        // A later decision: the timer cleared, the room no longer occupied, a ban written twice stays one.
        store.commit(new UnitOfWork("r-uow", null, false, List.of(), List.of(new Ban("r-uow", "g:bob", null, T0)),
                List.of(), List.of(), List.of(RoomTimer.Kind.HOST_GRACE), List.of()));
        assertTrue(store.roomTimer("r-uow", RoomTimer.Kind.HOST_GRACE).isEmpty());
        assertFalse(store.occupiedRooms().stream().anyMatch(o -> o.id().equals("r-uow")));
        assertFalse(store.occupied("r-uow"));
        assertFalse(store.occupied("r-nothing"), "a room that does not exist has nobody in it");
        assertEquals(1, store.bans("r-uow").size());
        assertEquals(0, store.lastEventSeq("r-nothing"));
    }

    @Test
    void aUnitOfWorkThatFailsWritesNothing() {
        Account host = account("atomic");
        Room r = room("r-atomic", host.id(), Visibility.PUBLIC, RoomState.OPEN, T0);
        store.createRoom(r);
        // The second event repeats the first one's sequence number: the whole decision is refused.
        OutboxEvent e = new OutboxEvent("r-atomic", 1, "lockChanged", "{}", T0);
        assertThrows(StoreException.class, () -> store.commit(new UnitOfWork("r-atomic", r.withLocked(true), true,
                List.of(new Membership("r-atomic", "g:ann", "Ann", Role.STAGE, T0, T0)), List.of(), List.of(), List.of(),
                List.of(), List.of(e, e))));
        assertFalse(store.room("r-atomic").orElseThrow().locked());
        assertTrue(store.membership("r-atomic", "g:ann").isEmpty());
        assertEquals(0, store.lastEventSeq("r-atomic"));
    }
}
