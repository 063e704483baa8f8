package org.salotto.rooms.store.jdbc;

import static org.salotto.rooms.store.jdbc.Columns.enumValue;
import static org.salotto.rooms.store.jdbc.Columns.getInstant;
import static org.salotto.rooms.store.jdbc.Columns.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.salotto.rooms.people.AdminAction;
import org.salotto.rooms.people.Avatar;
import org.salotto.rooms.people.Follow;
import org.salotto.rooms.people.PeopleStore;
import org.salotto.rooms.people.Person;
import org.salotto.rooms.people.Report;
import org.salotto.rooms.store.Room;

/**
 * The people's tables (V5__people.sql): the profile columns of {@code accounts}, {@code avatars}, {@code follows},
 * {@code reports} and {@code admin_actions}; {@code room_invitees} and {@code room_reminders} are only read. SQL that
 * runs unchanged on H2 and PostgreSQL (no MERGE, no ON CONFLICT: update first, insert when nothing was updated).
 */
final class PeopleTables implements PeopleStore {
    private static final String PERSON = "SELECT a.id, a.username, a.display_name, a.bio, a.admin, a.suspended_at, "
            + "a.created_at, av.version AS avatar_version FROM accounts a LEFT JOIN avatars av ON av.account_id = a.id ";
    private static final String REPORT_COLUMNS = "id, reporter_id, kind, room_id, target_identity, target_name, comment_id, "
            + "context, reason, state, created_at, resolved_by, resolved_at";
    private static final String ROOMS = "SELECT " + prefixed("r.", JdbcStore.ROOM_COLUMNS) + " FROM rooms r ";
    private static final String SCHEDULED = "r.state = 'SCHEDULED'";

    private final Transactions db;

    PeopleTables(Transactions db) {
        this.db = db;
    }

    private static String prefixed(String prefix, String columns) {
        StringBuilder b = new StringBuilder();
        for (String c : columns.split(",")) {
            if (!b.isEmpty()) b.append(", ");
            b.append(prefix).append(c.strip());
        }
        return b.toString();
    }

    private static String lower(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    // ---- people ----

    @Override
    public Optional<Person> person(long accountId) {
        return db.queryOne("read person " + accountId, PERSON + "WHERE a.id = ?", ps -> ps.setLong(1, accountId),
                PeopleTables::person);
    }

    @Override
    public Optional<Person> personByUsername(String username) {
        return db.queryOne("read person " + username, PERSON + "WHERE a.username_lower = ?",
                ps -> ps.setString(1, lower(username)), PeopleTables::person);
    }

    @Override
    public Map<Long, Person> people(Collection<Long> accountIds) {
        if (accountIds.isEmpty()) return Map.of();
        List<Long> ids = List.copyOf(new HashSet<>(accountIds));
        Map<Long, Person> out = new LinkedHashMap<>();
        for (Person p : db.queryList("read " + ids.size() + " people", PERSON + "WHERE a.id IN (" + marks(ids.size()) + ")",
                ps -> {
                    for (int i = 0; i < ids.size(); i++) ps.setLong(i + 1, ids.get(i));
                }, PeopleTables::person)) {
            out.put(p.id(), p);
        }
        return out;
    }

    private static Person person(ResultSet rs) throws SQLException {
        long version = rs.getLong("avatar_version");
        Long avatar = rs.wasNull() ? null : version;
        return new Person(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"), rs.getString("bio"),
                avatar, rs.getBoolean("admin"), getInstant(rs, "suspended_at"), getInstant(rs, "created_at"));
    }

    @Override
    public void updateProfile(long accountId, String displayName, String bio) {
        db.update("update the profile of account " + accountId, "UPDATE accounts SET display_name = ?, bio = ? WHERE id = ?",
                ps -> {
                    ps.setString(1, displayName);
                    ps.setString(2, bio);
                    ps.setLong(3, accountId);
                });
    }

    @Override
    public Optional<Long> firstAccountId() {
        return db.queryOne("read the first account", "SELECT MIN(id) FROM accounts", ps -> { }, rs -> {
            long id = rs.getLong(1);
            return rs.wasNull() ? null : id;
        });
    }

    @Override
    public void setAdmin(long accountId, boolean admin) {
        db.update("set admin of account " + accountId, "UPDATE accounts SET admin = ? WHERE id = ?", ps -> {
            ps.setBoolean(1, admin);
            ps.setLong(2, accountId);
        });
    }

    @Override
    public boolean suspended(long accountId) {
        return db.queryOne("read whether account " + accountId + " is suspended",
                "SELECT 1 FROM accounts WHERE id = ? AND suspended_at IS NOT NULL", ps -> ps.setLong(1, accountId),
                rs -> Boolean.TRUE).isPresent();
    }

    // ---- avatars ----

    @Override
    public Optional<Avatar> avatar(long accountId) {
        return db.queryOne("read the avatar of account " + accountId,
                "SELECT content_type, image, version FROM avatars WHERE account_id = ?", ps -> ps.setLong(1, accountId),
                rs -> new Avatar(rs.getString("content_type"), rs.getBytes("image"), rs.getLong("version")));
    }

    @Override
    public long putAvatar(long accountId, String contentType, byte[] image, Instant at) {
        return db.inTransaction("store the avatar of account " + accountId, c -> {
            // The version is the upload's time in milliseconds, and always above the last one: an avatar deleted and
            // uploaded again never reuses a URL a browser has cached for good.
            long previous = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM avatars WHERE account_id = ?")) {
                ps.setLong(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) previous = rs.getLong(1);
                }
            }
            long version = Math.max(previous + 1, at.toEpochMilli());
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE avatars SET content_type = ?, image = ?, version = ?, updated_at = ? WHERE account_id = ?")) {
                ps.setString(1, contentType);
                ps.setBytes(2, image);
                ps.setLong(3, version);
                setInstant(ps, 4, at);
                ps.setLong(5, accountId);
                if (ps.executeUpdate() > 0) return version;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO avatars (account_id, content_type, image, version, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, accountId);
                ps.setString(2, contentType);
                ps.setBytes(3, image);
                ps.setLong(4, version);
                setInstant(ps, 5, at);
                ps.executeUpdate();
            }
            return version;
        });
    }

    @Override
    public boolean deleteAvatar(long accountId) {
        return db.update("delete the avatar of account " + accountId, "DELETE FROM avatars WHERE account_id = ?",
                ps -> ps.setLong(1, accountId)) > 0;
    }

    // ---- follows ----

    @Override
    public void follow(long followerId, long followeeId, Instant at) {
        db.insertIfAbsent("account " + followerId + " follows " + followeeId,
                "INSERT INTO follows (follower_id, followee_id, at) VALUES (?, ?, ?)", ps -> {
                    ps.setLong(1, followerId);
                    ps.setLong(2, followeeId);
                    setInstant(ps, 3, at);
                });
    }

    @Override
    public void unfollow(long followerId, long followeeId) {
        db.update("account " + followerId + " unfollows " + followeeId,
                "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", ps -> {
                    ps.setLong(1, followerId);
                    ps.setLong(2, followeeId);
                });
    }

    @Override
    public Set<Long> followedAmong(long followerId, Collection<Long> followeeIds) {
        if (followeeIds.isEmpty()) return Set.of();
        List<Long> ids = List.copyOf(new HashSet<>(followeeIds));
        return new HashSet<>(db.queryList("read follows of account " + followerId,
                "SELECT followee_id FROM follows WHERE follower_id = ? AND followee_id IN (" + marks(ids.size()) + ")",
                ps -> {
                    ps.setLong(1, followerId);
                    for (int i = 0; i < ids.size(); i++) ps.setLong(i + 2, ids.get(i));
                }, rs -> rs.getLong(1)));
    }

    @Override
    public int followerCount(long accountId) {
        return count("count followers of account " + accountId, "SELECT COUNT(*) FROM follows WHERE followee_id = ?", accountId);
    }

    @Override
    public int followingCount(long accountId) {
        return count("count follows of account " + accountId, "SELECT COUNT(*) FROM follows WHERE follower_id = ?", accountId);
    }

    private int count(String what, String sql, long id) {
        return db.queryOne(what, sql, ps -> ps.setLong(1, id), rs -> rs.getInt(1)).orElse(0);
    }

    @Override
    public List<Follow> followers(long accountId, FollowCursor before, int limit) {
        return follows(accountId, before, limit, "followee_id", "follower_id");
    }

    @Override
    public List<Follow> following(long accountId, FollowCursor before, int limit) {
        return follows(accountId, before, limit, "follower_id", "followee_id");
    }

    /** A page of follows where {@code self} is the account, listing the {@code other} side, newest first. */
    private List<Follow> follows(long accountId, FollowCursor before, int limit, String self, String other) {
        String after = before == null ? "" : " AND (f.at < ? OR (f.at = ? AND f." + other + " < ?))";
        String sql = "SELECT a.id, a.username, a.display_name, a.bio, a.admin, a.suspended_at, a.created_at, "
                + "av.version AS avatar_version, f.at AS followed_at FROM follows f "
                + "JOIN accounts a ON a.id = f." + other + " LEFT JOIN avatars av ON av.account_id = a.id "
                + "WHERE f." + self + " = ?" + after + " ORDER BY f.at DESC, f." + other + " DESC LIMIT ?";
        return db.queryList("list follows of account " + accountId, sql, ps -> {
            int i = 1;
            ps.setLong(i++, accountId);
            if (before != null) {
                setInstant(ps, i++, before.at());
                setInstant(ps, i++, before.at());
                ps.setLong(i++, before.accountId());
            }
            ps.setInt(i, limit);
        }, rs -> new Follow(person(rs), getInstant(rs, "followed_at")));
    }

    // ---- rooms as people find them ----

    @Override
    public List<Room> scheduledPublicRooms(Long hostId, int limit) {
        return db.queryList("list scheduled public rooms", ROOMS + "WHERE " + SCHEDULED + " AND r.visibility = 'PUBLIC'"
                        + (hostId == null ? "" : " AND r.host_account_id = ?") + " ORDER BY r.scheduled_start, r.id LIMIT ?",
                ps -> {
                    int i = 1;
                    if (hostId != null) ps.setLong(i++, hostId);
                    ps.setInt(i, limit);
                }, JdbcStore::room);
    }

    @Override
    public List<Room> scheduledRoomsFor(long accountId, int limit) {
        return db.queryList("list scheduled rooms for account " + accountId, ROOMS + "WHERE " + SCHEDULED + " AND ("
                        + "r.id IN (SELECT room_id FROM room_invitees WHERE account_id = ?) "
                        + "OR r.id IN (SELECT room_id FROM room_reminders WHERE account_id = ?) "
                        + "OR (r.visibility = 'PUBLIC' AND r.host_account_id IN "
                        + "(SELECT followee_id FROM follows WHERE follower_id = ?)))"
                        + " ORDER BY r.scheduled_start, r.id LIMIT ?",
                ps -> {
                    ps.setLong(1, accountId);
                    ps.setLong(2, accountId);
                    ps.setLong(3, accountId);
                    ps.setInt(4, limit);
                }, JdbcStore::room);
    }

    @Override
    public Set<String> remindedAmong(long accountId, Collection<String> roomIds) {
        return roomsAmong("room_reminders", accountId, roomIds);
    }

    @Override
    public Set<String> invitedAmong(long accountId, Collection<String> roomIds) {
        return roomsAmong("room_invitees", accountId, roomIds);
    }

    private Set<String> roomsAmong(String table, long accountId, Collection<String> roomIds) {
        if (roomIds.isEmpty()) return Set.of();
        List<String> ids = List.copyOf(new HashSet<>(roomIds));
        return new HashSet<>(db.queryList("read " + table + " of account " + accountId,
                "SELECT room_id FROM " + table + " WHERE account_id = ? AND room_id IN (" + marks(ids.size()) + ")", ps -> {
                    ps.setLong(1, accountId);
                    for (int i = 0; i < ids.size(); i++) ps.setString(i + 2, ids.get(i));
                }, rs -> rs.getString(1)));
    }

    // ---- reports ----

    @Override
    public Report createReport(Report r) {
        return db.inTransaction("store a report by account " + r.reporterId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reports (reporter_id, kind, room_id, target_identity, "
                    + "target_name, comment_id, context, reason, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    new String[] {"id"})) {
                ps.setLong(1, r.reporterId());
                ps.setString(2, r.kind().name());
                ps.setString(3, r.roomId());
                ps.setString(4, r.targetIdentity());
                ps.setString(5, r.targetName());
                ps.setString(6, r.commentId());
                ps.setString(7, r.context());
                ps.setString(8, r.reason());
                ps.setString(9, r.state().name());
                setInstant(ps, 10, r.createdAt());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) throw new SQLException("the database returned no id for the new report");
                    return new Report(keys.getLong(1), r.reporterId(), r.kind(), r.roomId(), r.targetIdentity(),
                            r.targetName(), r.commentId(), r.context(), r.reason(), r.state(), Columns.stored(r.createdAt()),
                            null, null);
                }
            }
        });
    }

    @Override
    public Optional<Report> report(long id) {
        return db.queryOne("read report " + id, "SELECT " + REPORT_COLUMNS + " FROM reports WHERE id = ?",
                ps -> ps.setLong(1, id), PeopleTables::report);
    }

    @Override
    public List<Report> reports(boolean openOnly, int limit) {
        return db.queryList("list reports", "SELECT " + REPORT_COLUMNS + " FROM reports"
                        + (openOnly ? " WHERE state = 'OPEN'" : "") + " ORDER BY created_at DESC, id DESC LIMIT ?",
                ps -> ps.setInt(1, limit), PeopleTables::report);
    }

    @Override
    public int reportsSince(long reporterId, Instant since) {
        return db.queryOne("count reports of account " + reporterId,
                "SELECT COUNT(*) FROM reports WHERE reporter_id = ? AND created_at >= ?", ps -> {
                    ps.setLong(1, reporterId);
                    setInstant(ps, 2, since);
                }, rs -> rs.getInt(1)).orElse(0);
    }

    @Override
    public boolean reportedComment(long reporterId, String roomId, String commentId) {
        return db.queryOne("read a comment report", "SELECT 1 FROM reports WHERE reporter_id = ? AND room_id = ? "
                + "AND comment_id = ? AND kind = 'COMMENT'", ps -> {
                    ps.setLong(1, reporterId);
                    ps.setString(2, roomId);
                    ps.setString(3, commentId);
                }, rs -> Boolean.TRUE).isPresent();
    }

    private static Report report(ResultSet rs) throws SQLException {
        long by = rs.getLong("resolved_by");
        Long resolvedBy = rs.wasNull() ? null : by;
        return new Report(rs.getLong("id"), rs.getLong("reporter_id"), enumValue(Report.Kind.class, rs.getString("kind")),
                rs.getString("room_id"), rs.getString("target_identity"), rs.getString("target_name"),
                rs.getString("comment_id"), rs.getString("context"), rs.getString("reason"),
                enumValue(Report.State.class, rs.getString("state")), getInstant(rs, "created_at"), resolvedBy,
                getInstant(rs, "resolved_at"));
    }

    // ---- admin actions ----

    @Override
    public AdminAction act(AdminAction a, Report.State resolves) {
        return db.inTransaction("admin action " + a.action(), c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO admin_actions (admin_id, action, report_id, room_id, "
                    + "account_id, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                setLong(ps, 1, a.adminId());
                ps.setString(2, a.action().name());
                setLong(ps, 3, a.reportId());
                ps.setString(4, a.roomId());
                setLong(ps, 5, a.accountId());
                ps.setString(6, a.detail());
                setInstant(ps, 7, a.at());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) throw new SQLException("the database returned no id for the admin action");
                    id = keys.getLong(1);
                }
            }
            if (resolves != null && a.reportId() != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE reports SET state = ?, resolved_by = ?, resolved_at = ? WHERE id = ? AND state = 'OPEN'")) {
                    ps.setString(1, resolves.name());
                    setLong(ps, 2, a.adminId());
                    setInstant(ps, 3, a.at());
                    ps.setLong(4, a.reportId());
                    ps.executeUpdate();
                }
            }
            if (a.action() == AdminAction.Action.SUSPEND || a.action() == AdminAction.Action.RESTORE) {
                boolean suspend = a.action() == AdminAction.Action.SUSPEND;
                try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET suspended_at = ? WHERE id = ?")) {
                    setInstant(ps, 1, suspend ? a.at() : null);
                    ps.setLong(2, a.accountId());
                    if (ps.executeUpdate() == 0) throw new SQLException("no such account " + a.accountId());
                }
                if (suspend) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE account_id = ?")) {
                        ps.setLong(1, a.accountId());
                        ps.executeUpdate();
                    }
                }
            }
            return new AdminAction(id, a.adminId(), a.action(), a.reportId(), a.roomId(), a.accountId(), a.detail(),
                    Columns.stored(a.at()));
        });
    }

    @Override
    public List<AdminAction> actions(int limit) {
        return db.queryList("list admin actions", "SELECT id, admin_id, action, report_id, room_id, account_id, detail, at "
                + "FROM admin_actions ORDER BY at DESC, id DESC LIMIT ?", ps -> ps.setInt(1, limit), rs -> new AdminAction(
                rs.getLong("id"), nullableLong(rs, "admin_id"), enumValue(AdminAction.Action.class, rs.getString("action")),
                nullableLong(rs, "report_id"), rs.getString("room_id"), nullableLong(rs, "account_id"),
                rs.getString("detail"), getInstant(rs, "at")));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value);
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
