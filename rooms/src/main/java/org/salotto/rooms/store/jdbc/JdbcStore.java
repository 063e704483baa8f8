package org.salotto.rooms.store.jdbc;

import static org.salotto.rooms.store.jdbc.Columns.enumValue;
import static org.salotto.rooms.store.jdbc.Columns.getInstant;
import static org.salotto.rooms.store.jdbc.Columns.setInstant;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.money.LedgerStore;
import org.salotto.rooms.store.Account;
import org.salotto.rooms.store.ApiKey;
import org.salotto.rooms.store.Ban;
import org.salotto.rooms.store.Block;
import org.salotto.rooms.store.Membership;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.store.RoomTimer;
import org.salotto.rooms.store.UnitOfWork;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on a JDBC database: the embedded H2 file or PostgreSQL, through one HikariCP pool, with the schema
 * kept by Flyway. Each method is one short transaction; SQL is written once and runs on both databases.
 */
public final class JdbcStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    private static final String ACCOUNT_COLUMNS = "id, username, display_name, password_hash, created_at";
    private static final String API_KEY_COLUMNS = "id, account_id, name, secret_hash, created_at";
    static final String ROOM_COLUMNS = "id, host_account_id, kind, title, activity, visibility, scheduled_start, "
            + "state, locked, knock, created_at, ended_at, practice";
    private static final String MEMBERSHIP_COLUMNS = "room_id, identity, display_name, role, first_joined_at, last_joined_at";

    private final HikariDataSource pool;
    private final Transactions db;
    private final RuntimeTables runtime;
    private final CommentTables comments;
    private final LedgerTables ledger;
    private final PeopleTables people;
    private final JoinKeyTables joinKeys;
    private final WhipTables whip;
    private final NotificationTables notifications;
    private final WebhookTables webhooks;
    private final int migrationsApplied;
    /** The embedded file's compaction, or null for PostgreSQL. */
    private final EmbeddedCompaction compaction;

    private JdbcStore(HikariDataSource pool, DatabaseConfig config, int migrationsApplied) {
        this.pool = pool;
        this.db = new Transactions(pool, config.syncsEachCommit(), config.busyWait());
        Path file = config.embeddedFile();
        this.compaction = file == null ? null : new EmbeddedCompaction(file, config.compactGrowth());
        if (compaction != null) db.afterWrite(() -> compaction.afterWrite(pool, db));
        this.runtime = new RuntimeTables(db);
        this.comments = new CommentTables(db);
        this.ledger = new LedgerTables(db);
        this.people = new PeopleTables(db);
        this.joinKeys = new JoinKeyTables(db);
        this.whip = new WhipTables(db);
        this.notifications = new NotificationTables(db);
        this.webhooks = new WebhookTables(db, notifications);
        this.migrationsApplied = migrationsApplied;
    }

    /**
     * Connects, brings the schema up to date and returns the store. Throws {@link StoreException} naming the database
     * if it cannot be reached or migrated.
     */
    public static JdbcStore open(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("salotto-db");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        // A quiet server holds two connections; more are made when requests need them.
        hikari.setMinimumIdle(Math.min(2, config.maxPoolSize()));
        // Every method commits explicitly, so connections start inside a transaction.
        hikari.setAutoCommit(false);
        // How long a request waits for a connection: with the database down, it fails after this (503 unavailable)
        // instead of hanging; Hikari keeps trying in the background, so the server recovers by itself.
        hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
        // A connection idle for a while is checked before it is handed out; a hung check must not eat that budget.
        hikari.setValidationTimeout(DatabaseConfig.MIN_CONNECTION_TIMEOUT.toMillis());
        Path file = config.embeddedFile();
        if (file != null) {
            // The embedded file is compacted while running with the pool suspended (EmbeddedCompaction).
            hikari.setAllowPoolSuspension(true);
            EmbeddedCompaction.cleanUpAfterCrash(file);
        }
        HikariDataSource pool;
        try {
            // Hikari tries one connection right away (initializationFailTimeout 1 ms): an unreachable database fails here.
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the database at " + config.url() + " as " + config.user() + ": "
                    + rootMessage(e), e);
        }
        try {
            MigrateResult result = Flyway.configure(JdbcStore.class.getClassLoader())
                    .dataSource(pool)
                    .resourceProvider(new Migrations())
                    // Through SLF4J like the rest of Salotto, not whichever logging Flyway would find first.
                    .loggers("slf4j")
                    .load()
                    .migrate();
            log.info("database {}: schema at version {}, {} migration(s) applied now", config.url(),
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted);
            return new JdbcStore(pool, config, result.migrationsExecuted);
        } catch (RuntimeException e) {  // FlywayException mostly; whatever it is, do not leak the pool
            pool.close();
            throw new StoreException("cannot migrate the database at " + config.url() + ": " + rootMessage(e), e);
        }
    }

    /** The transactions, for tests of this package that write rows another part of Salotto owns. */
    Transactions transactions() {
        return db;
    }

    /** How many migrations {@link #open} applied: 0 when the schema was already current. */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    // ---- accounts ----

    @Override
    public Account createAccount(String username, String displayName, String passwordHash, Instant at) {
        return db.inTransaction("create account " + username, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO accounts (username, username_lower, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    new String[] {"id"})) {
                ps.setString(1, username);
                ps.setString(2, lower(username));
                ps.setString(3, displayName);
                ps.setString(4, passwordHash);
                setInstant(ps, 5, at);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) throw new SQLException("the database returned no id for the new account");
                    return new Account(keys.getLong(1), username, displayName, passwordHash, Columns.stored(at));
                }
            }
        });
    }

    @Override
    public Optional<Account> account(long id) {
        return db.queryOne("read account " + id,
                "SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE id = ?", ps -> ps.setLong(1, id), JdbcStore::account);
    }

    @Override
    public Optional<Account> accountByUsername(String username) {
        return db.queryOne("read account " + username,
                "SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE username_lower = ?", ps -> ps.setString(1, lower(username)),
                JdbcStore::account);
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                rs.getString("password_hash"), getInstant(rs, "created_at"));
    }

    /** Locale.ROOT so that the same name lower-cases the same way whatever the server's locale (no Turkish dotless i). */
    private static String lower(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    // ---- sessions ----

    @Override
    public void createSession(byte[] tokenHash, long accountId, Instant expiresAt) {
        db.update("create session", "INSERT INTO sessions (token_hash, account_id, expires_at) VALUES (?, ?, ?)", ps -> {
            ps.setBytes(1, tokenHash);
            ps.setLong(2, accountId);
            setInstant(ps, 3, expiresAt);
        });
    }

    @Override
    public Optional<Long> sessionAccount(byte[] tokenHash, Instant now) {
        return db.queryOne("read session",
                "SELECT account_id FROM sessions WHERE token_hash = ? AND expires_at > ?",
                ps -> {
                    ps.setBytes(1, tokenHash);
                    setInstant(ps, 2, now);
                },
                rs -> rs.getLong(1));
    }

    @Override
    public void deleteSession(byte[] tokenHash) {
        db.update("delete session", "DELETE FROM sessions WHERE token_hash = ?", ps -> ps.setBytes(1, tokenHash));
    }

    @Override
    public int deleteSessionsOf(long accountId) {
        return db.update("delete the sessions of account " + accountId, "DELETE FROM sessions WHERE account_id = ?",
                ps -> ps.setLong(1, accountId));
    }

    @Override
    public int deleteExpiredSessions(Instant now) {
        return db.update("purge expired sessions", "DELETE FROM sessions WHERE expires_at <= ?", ps -> setInstant(ps, 1, now));
    }

    // ---- API keys ----

    @Override
    public void createApiKey(ApiKey key) {
        db.update("create API key " + key.id(), "INSERT INTO api_keys (" + API_KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, key.id());
            ps.setLong(2, key.accountId());
            ps.setString(3, key.name());
            ps.setBytes(4, key.secretHash());
            setInstant(ps, 5, key.createdAt());
        });
    }

    @Override
    public Optional<ApiKey> apiKey(String id) {
        return db.queryOne("read API key " + id,
                "SELECT " + API_KEY_COLUMNS + " FROM api_keys WHERE id = ?", ps -> ps.setString(1, id), JdbcStore::apiKey);
    }

    @Override
    public List<ApiKey> apiKeysOf(long accountId) {
        return db.queryList("list API keys of account " + accountId,
                "SELECT " + API_KEY_COLUMNS + " FROM api_keys WHERE account_id = ? ORDER BY created_at, id",
                ps -> ps.setLong(1, accountId), JdbcStore::apiKey);
    }

    @Override
    public boolean deleteApiKey(String id, long accountId) {
        return db.update("delete API key " + id, "DELETE FROM api_keys WHERE id = ? AND account_id = ?", ps -> {
            ps.setString(1, id);
            ps.setLong(2, accountId);
        }) > 0;
    }

    private static ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getLong("account_id"), rs.getString("name"), rs.getBytes("secret_hash"),
                getInstant(rs, "created_at"));
    }

    // ---- rooms ----

    @Override
    public void createRoom(Room room) {
        db.update("create room " + room.id(), "INSERT INTO rooms (" + ROOM_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, room.id());
                    ps.setLong(2, room.hostAccountId());
                    ps.setString(3, room.kind().name());
                    ps.setString(4, room.title());
                    ps.setString(5, room.activity());
                    ps.setString(6, room.visibility().name());
                    setInstant(ps, 7, room.scheduledStart());
                    ps.setString(8, room.state().name());
                    ps.setBoolean(9, room.locked());
                    ps.setBoolean(10, room.knock());
                    setInstant(ps, 11, room.createdAt());
                    setInstant(ps, 12, room.endedAt());
                    ps.setBoolean(13, room.practice());
                });
    }

    @Override
    public void createRoom(Room room, OutboxEvent created) {
        createRoom(room, created, List.of(), org.salotto.rooms.notify.NotificationWrites.NONE);
    }

    @Override
    public void createRoom(Room room, OutboxEvent created, List<Long> invitees,
                           org.salotto.rooms.notify.NotificationWrites jobs) {
        db.inTransaction("create room " + room.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rooms (" + ROOM_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, room.id());
                ps.setLong(2, room.hostAccountId());
                ps.setString(3, room.kind().name());
                ps.setString(4, room.title());
                ps.setString(5, room.activity());
                ps.setString(6, room.visibility().name());
                setInstant(ps, 7, room.scheduledStart());
                ps.setString(8, room.state().name());
                ps.setBoolean(9, room.locked());
                ps.setBoolean(10, room.knock());
                setInstant(ps, 11, room.createdAt());
                setInstant(ps, 12, room.endedAt());
                ps.setBoolean(13, room.practice());
                ps.executeUpdate();
            }
            RuntimeTables.insertEvent(c, created);
            NotificationTables.insertInvitees(c, room.id(), invitees, room.createdAt());
            NotificationTables.write(c, room.id(), jobs);
            return null;
        });
        if (!jobs.jobs().isEmpty()) notifications.jobsAdded();
    }

    @Override
    public Optional<Room> room(String id) {
        return db.queryOne("read room " + id,
                "SELECT " + ROOM_COLUMNS + " FROM rooms WHERE id = ?", ps -> ps.setString(1, id), JdbcStore::room);
    }

    @Override
    public List<Room> roomsHostedBy(long accountId) {
        return db.queryList("list rooms of account " + accountId,
                "SELECT " + ROOM_COLUMNS + " FROM rooms WHERE host_account_id = ? ORDER BY created_at DESC, id DESC",
                ps -> ps.setLong(1, accountId), JdbcStore::room);
    }

    @Override
    public List<Room> publicRooms(int limit) {
        if (limit <= 0) return List.of();
        return db.queryList("list public rooms",
                "SELECT " + ROOM_COLUMNS + " FROM rooms WHERE visibility = ? AND state IN (?, ?)"
                        + " ORDER BY created_at DESC, id DESC LIMIT ?",
                ps -> {
                    ps.setString(1, Visibility.PUBLIC.name());
                    ps.setString(2, RoomState.OPEN.name());
                    ps.setString(3, RoomState.SCHEDULED.name());
                    ps.setInt(4, limit);
                },
                JdbcStore::room);
    }

    @Override
    public void updateRoom(Room room) {
        db.inTransaction("update room " + room.id(), c -> {
            writeRoom(c, room);
            return null;
        });
    }

    private static final String UPDATE_ROOM =
            "UPDATE rooms SET title = ?, activity = ?, visibility = ?, state = ?, ended_at = ?, locked = ?, knock = ?, practice = ?, "
                    // The start moves only while the room stays scheduled (Reschedule); otherwise it is as created.
                    + "scheduled_start = CASE WHEN state = ? THEN ? ELSE scheduled_start END WHERE id = ?";

    static void writeRoom(Connection c, Room room) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_ROOM)) {
            ps.setString(1, room.title());
            ps.setString(2, room.activity());
            ps.setString(3, room.visibility().name());
            ps.setString(4, room.state().name());
            setInstant(ps, 5, room.endedAt());
            ps.setBoolean(6, room.locked());
            ps.setBoolean(7, room.knock());
            ps.setBoolean(8, room.practice());
            ps.setString(9, room.state() == RoomState.SCHEDULED ? RoomState.SCHEDULED.name() : "-");
            setInstant(ps, 10, room.scheduledStart());
            ps.setString(11, room.id());
            // The contract says the room exists: a miss is a caller's bug worth hearing about, not a silent no-op.
            if (ps.executeUpdate() == 0) throw new SQLException("no such room " + room.id());
        }
    }

    // ---- the room runtime: see RuntimeTables ----

    @Override
    public void commit(UnitOfWork work) {
        runtime.commit(work);
        if (!work.notifications().jobs().isEmpty()) notifications.jobsAdded();
    }

    @Override
    public org.salotto.rooms.notify.NotificationStore notifications() {
        return notifications;
    }

    @Override
    public LedgerStore ledger() {
        return ledger;
    }

    @Override
    public org.salotto.rooms.people.PeopleStore people() {
        return people;
    }

    @Override
    public org.salotto.rooms.store.JoinKeyStore joinKeys() {
        return joinKeys;
    }

    @Override
    public org.salotto.rooms.store.WhipStore whip() {
        return whip;
    }

    @Override
    public org.salotto.rooms.webhooks.WebhookStore webhooks() {
        return webhooks;
    }

    @Override
    public List<RoomTimer> roomTimers() {
        return runtime.roomTimers();
    }

    @Override
    public Optional<RoomTimer> roomTimer(String roomId, RoomTimer.Kind kind) {
        return runtime.roomTimer(roomId, kind);
    }

    @Override
    public long lastEventSeq(String roomId) {
        return runtime.lastEventSeq(roomId);
    }

    @Override
    public List<OutboxEvent> events(String roomId, long afterSeq, int limit) {
        return runtime.events(roomId, afterSeq, limit);
    }

    @Override
    public List<Room> occupiedRooms() {
        return runtime.occupiedRooms();
    }

    @Override
    public boolean occupied(String roomId) {
        return runtime.occupied(roomId);
    }

    static Room room(ResultSet rs) throws SQLException {
        return new Room(rs.getString("id"), rs.getLong("host_account_id"),
                enumValue(RoomKind.class, rs.getString("kind")), rs.getString("title"), rs.getString("activity"),
                enumValue(Visibility.class, rs.getString("visibility")), getInstant(rs, "scheduled_start"),
                enumValue(RoomState.class, rs.getString("state")), rs.getBoolean("locked"), rs.getBoolean("knock"),
                getInstant(rs, "created_at"), getInstant(rs, "ended_at"), rs.getBoolean("practice"));
    }

    // ---- a live's comments: see CommentTables ----

    @Override
    public List<org.salotto.rooms.store.StoredComment> comments(String roomId, String beforeId, int limit, boolean withHidden) {
        return comments.comments(roomId, beforeId, limit, withHidden);
    }

    @Override
    public Optional<org.salotto.rooms.store.StoredComment> comment(String roomId, String commentId) {
        return comments.comment(roomId, commentId);
    }

    @Override
    public org.salotto.rooms.store.StoredCommentState commentState(String roomId, int recent) {
        return comments.state(roomId, recent);
    }

    @Override
    public List<org.salotto.rooms.store.ModerationAction> moderationActions(String roomId, int limit) {
        return comments.moderationActions(roomId, limit);
    }

    @Override
    public boolean reported(String roomId, String commentId, String identity) {
        return comments.reported(roomId, commentId, identity);
    }

    // ---- memberships ----

    @Override
    public void recordMembership(String roomId, String identity, String displayName, Role role, Instant at) {
        // Two first joins at once both insert; the loser gets a conflict and its second round finds the row.
        for (int round = 1; ; round++) {
            try {
                db.inTransaction("record membership of " + identity + " in room " + roomId, c -> {
                    writeMembership(c, new Membership(roomId, identity, displayName, role, at, at));
                    return null;
                });
                return;
            } catch (StoreException.Conflict e) {
                if (round == 2) throw e;
            }
        }
    }

    /** Update first, insert if there was nothing to update. No MERGE / ON CONFLICT: H2 and PostgreSQL differ on both. */
    static void writeMembership(Connection c, Membership m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE memberships SET display_name = ?, role = ?, last_joined_at = ? WHERE room_id = ? AND identity = ?")) {
            ps.setString(1, m.displayName());
            ps.setString(2, m.role().name());
            setInstant(ps, 3, m.lastJoinedAt());
            ps.setString(4, m.roomId());
            ps.setString(5, m.identity());
            if (ps.executeUpdate() > 0) return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO memberships (" + MEMBERSHIP_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.roomId());
            ps.setString(2, m.identity());
            ps.setString(3, m.displayName());
            ps.setString(4, m.role().name());
            setInstant(ps, 5, m.firstJoinedAt());
            setInstant(ps, 6, m.lastJoinedAt());
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<Membership> membership(String roomId, String identity) {
        return db.queryOne("read membership",
                "SELECT " + MEMBERSHIP_COLUMNS + " FROM memberships WHERE room_id = ? AND identity = ?",
                ps -> {
                    ps.setString(1, roomId);
                    ps.setString(2, identity);
                },
                JdbcStore::membership);
    }

    @Override
    public List<Membership> memberships(String roomId) {
        return db.queryList("list memberships of room " + roomId,
                "SELECT " + MEMBERSHIP_COLUMNS + " FROM memberships WHERE room_id = ? ORDER BY first_joined_at, identity",
                ps -> ps.setString(1, roomId), JdbcStore::membership);
    }

    private static Membership membership(ResultSet rs) throws SQLException {
        return new Membership(rs.getString("room_id"), rs.getString("identity"), rs.getString("display_name"),
                enumValue(Role.class, rs.getString("role")), getInstant(rs, "first_joined_at"),
                getInstant(rs, "last_joined_at"));
    }

    // ---- bans and blocks ----

    @Override
    public void ban(Ban ban) {
        db.insertIfAbsent("ban " + ban.identity() + " from room " + ban.roomId(),
                "INSERT INTO bans (room_id, identity, banned_by, banned_at) VALUES (?, ?, ?, ?)", ps -> {
                    ps.setString(1, ban.roomId());
                    ps.setString(2, ban.identity());
                    ps.setString(3, ban.bannedBy());
                    setInstant(ps, 4, ban.at());
                });
    }

    @Override
    public boolean isBanned(String roomId, String identity) {
        return db.queryOne("read ban", "SELECT 1 FROM bans WHERE room_id = ? AND identity = ?", ps -> {
            ps.setString(1, roomId);
            ps.setString(2, identity);
        }, rs -> Boolean.TRUE).isPresent();
    }

    @Override
    public List<Ban> bans(String roomId) {
        return db.queryList("list bans of room " + roomId,
                "SELECT room_id, identity, banned_by, banned_at FROM bans WHERE room_id = ? ORDER BY banned_at, identity",
                ps -> ps.setString(1, roomId),
                rs -> new Ban(rs.getString("room_id"), rs.getString("identity"), rs.getString("banned_by"),
                        getInstant(rs, "banned_at")));
    }

    @Override
    public void block(Block block) {
        db.insertIfAbsent("block " + block.identity() + " for account " + block.accountId(),
                "INSERT INTO blocks (account_id, identity, display_name, blocked_at) VALUES (?, ?, ?, ?)", ps -> {
                    ps.setLong(1, block.accountId());
                    ps.setString(2, block.identity());
                    ps.setString(3, block.displayName());
                    setInstant(ps, 4, block.at());
                });
    }

    @Override
    public boolean isBlocked(long accountId, String identity) {
        return db.queryOne("read block", "SELECT 1 FROM blocks WHERE account_id = ? AND identity = ?", ps -> {
            ps.setLong(1, accountId);
            ps.setString(2, identity);
        }, rs -> Boolean.TRUE).isPresent();
    }

    @Override
    public List<Block> blocksBy(long accountId) {
        return db.queryList("list blocks of account " + accountId,
                "SELECT account_id, identity, display_name, blocked_at FROM blocks WHERE account_id = ?"
                        + " ORDER BY blocked_at, identity",
                ps -> ps.setLong(1, accountId),
                rs -> new Block(rs.getLong("account_id"), rs.getString("identity"), rs.getString("display_name"),
                        getInstant(rs, "blocked_at")));
    }

    @Override
    public boolean unblock(long accountId, String identity) {
        return db.update("unblock " + identity + " for account " + accountId,
                "DELETE FROM blocks WHERE account_id = ? AND identity = ?", ps -> {
                    ps.setLong(1, accountId);
                    ps.setString(2, identity);
                }) > 0;
    }

    // ---- secrets ----

    @Override
    public byte[] secret(String name, byte[] ifAbsent) {
        Optional<byte[]> existing = readSecret(name);
        if (existing.isPresent()) return existing.get();
        try {
            db.update("store secret " + name, "INSERT INTO secrets (name, secret, created_at) VALUES (?, ?, ?)", ps -> {
                ps.setString(1, name);
                ps.setBytes(2, ifAbsent);
                setInstant(ps, 3, Instant.now());
            });
            return ifAbsent;
        } catch (StoreException.Conflict e) {
            // Another caller stored one between our read and our insert: the first writer wins, so return theirs.
            return readSecret(name).orElseThrow(() -> new StoreException("secret " + name + " conflicted but is absent", e));
        }
    }

    private Optional<byte[]> readSecret(String name) {
        return db.queryOne("read secret " + name, "SELECT secret FROM secrets WHERE name = ?",
                ps -> ps.setString(1, name), rs -> rs.getBytes(1));
    }

    /** How many times the embedded file was compacted while running (0 for PostgreSQL). */
    public long compactions() {
        return compaction == null ? 0 : compaction.compactions();
    }

    @Override
    public void close() {
        if (compaction == null) {
            pool.close();
            return;
        }
        // The embedded file never reuses space (REUSE_SPACE=FALSE, see DatabaseConfig.embedded): closing the pool
        // closes the database, and the file is rewritten to its live size, as while running.
        db.alone(() -> {
            pool.close();
            try {
                compaction.rewrite(() -> { });
            } catch (RuntimeException e) {
                log.warn("compacting the embedded database on close failed: {}", e.toString());
            }
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = String.valueOf(e.getMessage());
        // The pool's and Flyway's messages often quote the driver's already; add the root only when it says more.
        return root == e || message.contains(String.valueOf(root.getMessage())) ? message : message + " (" + root + ")";
    }
}
