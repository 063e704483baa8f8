package org.salotto.rooms.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What Salotto keeps across restarts: accounts, browser sessions, API keys, rooms, memberships, bans, blocks, live
 * comments and their moderation, and server secrets. One implementation ({@code JdbcStore}) runs on the embedded H2 file and on PostgreSQL with the same
 * migrations. Every method is a short transaction of its own and may block: call it from a virtual thread.
 */
public interface Store extends AutoCloseable {

    // ---- accounts ----

    /** A new account; throws {@link StoreException.Conflict} if the username (compared case-insensitively) exists. */
    Account createAccount(String username, String displayName, String passwordHash, Instant at);

    Optional<Account> account(long id);

    /** Case-insensitive. */
    Optional<Account> accountByUsername(String username);

    // ---- browser sessions: only a hash of the cookie's token is stored ----

    void createSession(byte[] tokenHash, long accountId, Instant expiresAt);

    /** The account of a session that has not expired at {@code now}. */
    Optional<Long> sessionAccount(byte[] tokenHash, Instant now);

    void deleteSession(byte[] tokenHash);

    /** Ends every session of an account ("log out everywhere"); returns how many there were. */
    int deleteSessionsOf(long accountId);

    /** Deletes the sessions that expired at or before {@code now}; returns how many. */
    int deleteExpiredSessions(Instant now);

    // ---- API keys ----

    void createApiKey(ApiKey key);

    Optional<ApiKey> apiKey(String id);

    List<ApiKey> apiKeysOf(long accountId);

    /** True if the key existed and belonged to the account. */
    boolean deleteApiKey(String id, long accountId);

    // ---- rooms ----

    void createRoom(Room room);

    /** A new room with the first event of its outbox ({@code roomCreated}, seq 1), in one transaction. */
    void createRoom(Room room, OutboxEvent created);

    /**
     * A new room scheduled for later: the room, the first event of its outbox, its invitees (accounts) and its
     * notification jobs (the invitation, the reminders) in one transaction, all or nothing; the notification worker
     * is woken after the commit.
     */
    void createRoom(Room room, OutboxEvent created, List<Long> invitees,
                    org.salotto.rooms.notify.NotificationWrites jobs);

    Optional<Room> room(String id);

    /** The rooms an account hosts, newest first, ended ones included. */
    List<Room> roomsHostedBy(long accountId);

    /** Public rooms that are open or scheduled, newest first. */
    List<Room> publicRooms(int limit);

    /**
     * Writes the mutable fields of a room that exists: title, activity, visibility, state, endedAt, locked, knock,
     * practice, and scheduledStart while the room is and stays scheduled (a start moved before it opens).
     */
    void updateRoom(Room room);

    // ---- the room runtime: one transaction per decision, the event outbox, durable timers ----

    /** Writes everything in {@code work} in one transaction, or nothing. */
    void commit(UnitOfWork work);

    /** The ledger: purchases, balanced transactions, idempotency records (a badge sale is written by {@link #commit}). */
    org.salotto.rooms.money.LedgerStore ledger();

    /** Profiles, avatars, follows, reports, admins and suspensions, and the admin action log. */
    org.salotto.rooms.people.PeopleStore people();
    /** The keys that verify the join tokens applications mint offline (issue 14). */
    JoinKeyStore joinKeys();
    /** WHIP and WHEP: a room's anonymous WHEP setting. */
    WhipStore whip();
    /**
     * The notifications: a person's inbox, the durable fan-out jobs (a decision's are written by {@link #commit}),
     * a scheduled room's invitees and reminders.
     */
    org.salotto.rooms.notify.NotificationStore notifications();
    /** Webhook endpoints, their positions in each stream, the delivery log (issue 14). */
    org.salotto.rooms.webhooks.WebhookStore webhooks();

    /** Every durable timer, soonest first. */
    List<RoomTimer> roomTimers();

    Optional<RoomTimer> roomTimer(String roomId, RoomTimer.Kind kind);

    /** The highest outbox sequence number of a room, 0 if it has none. */
    long lastEventSeq(String roomId);

    /** A room's outbox events after {@code afterSeq}, in order, at most {@code limit}. */
    List<OutboxEvent> events(String roomId, long afterSeq, int limit);

    /** Rooms still marked as having people in them (open when the process stopped without ending them). */
    List<Room> occupiedRooms();

    /**
     * Whether the room is still marked as having people in it: with nobody in it here, its last instance went
     * without closing (its process crashed, its node was lost or handed it over).
     */
    boolean occupied(String roomId);

    // ---- memberships ----

    /** Records that {@code identity} is in the room with this name and role (insert, or update the last ones). */
    void recordMembership(String roomId, String identity, String displayName, org.salotto.rooms.Role role, Instant at);

    Optional<Membership> membership(String roomId, String identity);

    List<Membership> memberships(String roomId);

    // ---- bans (per room) and blocks (per host account) ----

    /** Idempotent. */
    void ban(Ban ban);

    boolean isBanned(String roomId, String identity);

    List<Ban> bans(String roomId);

    /** Idempotent. */
    void block(Block block);

    boolean isBlocked(long accountId, String identity);

    List<Block> blocksBy(long accountId);

    /** True if there was such a block. */
    boolean unblock(long accountId, String identity);

    // ---- a live's comments (written by commit, as part of a decision) ----

    /**
     * At most {@code limit} comments of a room, oldest first: the newest ones, or the newest before the comment
     * {@code beforeId} (null: from the end). {@code withHidden}: hidden ones too (the host's and moderator's view).
     * Empty if {@code beforeId} is not a comment of the room.
     */
    List<StoredComment> comments(String roomId, String beforeId, int limit, boolean withHidden);

    Optional<StoredComment> comment(String roomId, String commentId);

    /** What a live's room needs of its comments when it opens: the last {@code recent} visible ones and the settings. */
    StoredCommentState commentState(String roomId, int recent);

    /** A live's moderation review, oldest first, at most {@code limit} entries (the last ones). */
    List<ModerationAction> moderationActions(String roomId, int limit);

    /** Whether this person already reported this comment. */
    boolean reported(String roomId, String commentId, String identity);

    // ---- server secrets: created once, kept across restarts (the key that signs guest and join tokens) ----

    /** The secret of this name; if there is none, stores {@code ifAbsent} and returns it (first writer wins). */
    byte[] secret(String name, byte[] ifAbsent);

    @Override
    void close();
}
