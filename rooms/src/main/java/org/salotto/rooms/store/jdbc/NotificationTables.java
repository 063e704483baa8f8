package org.salotto.rooms.store.jdbc;

import static org.salotto.rooms.store.jdbc.Columns.enumValue;
import static org.salotto.rooms.store.jdbc.Columns.getInstant;
import static org.salotto.rooms.store.jdbc.Columns.setInstant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.salotto.rooms.notify.Audience;
import org.salotto.rooms.notify.Notification;
import org.salotto.rooms.notify.NotificationJob;
import org.salotto.rooms.notify.NotificationStore;
import org.salotto.rooms.notify.NotificationType;
import org.salotto.rooms.notify.NotificationWrites;

/**
 * The notifications' tables (V5__people.sql): {@code notifications}, {@code notification_jobs}, {@code room_invitees},
 * {@code room_reminders}; {@code follows} is only read (the people helper writes it). A batch of a fan-out is one
 * transaction: one query for the next recipients, one batched insert, one update of the job's position.
 */
final class NotificationTables implements NotificationStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOTIFICATION_COLUMNS = "n.id, n.account_id, n.type, n.room_id, n.payload, n.created_at, "
            + "n.read_at, a.username AS actor_username, a.display_name AS actor_name, v.version AS actor_avatar";
    private static final String NOTIFICATIONS = "SELECT " + NOTIFICATION_COLUMNS + " FROM notifications n "
            + "LEFT JOIN accounts a ON a.id = n.actor_id LEFT JOIN avatars v ON v.account_id = n.actor_id ";
    private static final String JOB_COLUMNS = "id, type, audience, room_id, actor_id, payload, after_account, due_at, created_at";
    /** The types whose pending jobs a room's change of start (or its end) drops. */
    private static final String REMINDER_TYPES = "('" + NotificationType.REMINDER.name() + "', '"
            + NotificationType.ROOM_STARTING.name() + "')";

    private final Transactions db;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    NotificationTables(Transactions db) {
        this.db = db;
    }

    // ---- invitees and reminders ----

    @Override
    public List<Long> setInvitees(String roomId, List<Long> accountIds, Instant at) {
        return db.inTransaction("set the invitees of room " + roomId, c -> {
            List<Long> before = ids(c, "SELECT account_id FROM room_invitees WHERE room_id = ?", roomId);
            List<Long> added = new ArrayList<>();
            for (Long old : before) {
                if (accountIds.contains(old)) continue;
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM room_invitees WHERE room_id = ? AND account_id = ?")) {
                    ps.setString(1, roomId);
                    ps.setLong(2, old);
                    ps.executeUpdate();
                }
            }
            for (Long id : accountIds) {
                if (before.contains(id) || added.contains(id)) continue;
                added.add(id);
            }
            insertInvitees(c, roomId, added, at);
            return added;
        });
    }

    /** Adds invitees (none of them there yet) to a room, on {@code c}, inside the caller's transaction. */
    static void insertInvitees(Connection c, String roomId, List<Long> accountIds, Instant at) throws SQLException {
        if (accountIds.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO room_invitees (room_id, account_id, at) VALUES (?, ?, ?)")) {
            for (Long id : accountIds) {
                ps.setString(1, roomId);
                ps.setLong(2, id);
                setInstant(ps, 3, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<Long> invitees(String roomId) {
        return db.queryList("invitees of room " + roomId,
                "SELECT account_id FROM room_invitees WHERE room_id = ? ORDER BY account_id",
                ps -> ps.setString(1, roomId), rs -> rs.getLong(1));
    }

    @Override
    public boolean remind(String roomId, long accountId, Instant at) {
        return db.inTransaction("remind " + accountId + " of room " + roomId, c -> {
            if (!ids(c, "SELECT account_id FROM room_reminders WHERE room_id = ? AND account_id = " + accountId, roomId).isEmpty()) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO room_reminders (room_id, account_id, at) VALUES (?, ?, ?)")) {
                ps.setString(1, roomId);
                ps.setLong(2, accountId);
                setInstant(ps, 3, at);
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean forgetReminder(String roomId, long accountId) {
        return db.inTransaction("forget a reminder of room " + roomId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM room_reminders WHERE room_id = ? AND account_id = ?")) {
                ps.setString(1, roomId);
                ps.setLong(2, accountId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean reminds(String roomId, long accountId) {
        return db.queryOne("reminder of room " + roomId, "SELECT 1 FROM room_reminders WHERE room_id = ? AND account_id = ?",
                ps -> {
                    ps.setString(1, roomId);
                    ps.setLong(2, accountId);
                }, rs -> true).isPresent();
    }

    // ---- jobs ----

    @Override
    public void addJobs(String roomId, NotificationWrites writes) {
        if (writes.isEmpty()) return;
        db.inTransaction("notification jobs of room " + roomId, c -> {
            write(c, roomId, writes);
            return null;
        });
        jobsAdded();
    }

    /** Writes a decision's jobs on {@code c}, inside the caller's transaction. */
    static void write(Connection c, String roomId, NotificationWrites writes) throws SQLException {
        if (writes.dropReminders()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM notification_jobs WHERE room_id = ? AND type IN " + REMINDER_TYPES)) {
                ps.setString(1, roomId);
                ps.executeUpdate();
            }
        }
        for (NotificationJob j : writes.jobs()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_jobs (type, audience, room_id, actor_id, "
                    + "payload, after_account, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, j.type().name());
                ps.setString(2, j.audience().name());
                ps.setString(3, j.roomId());
                ps.setObject(4, j.actorId());
                ps.setString(5, jobPayload(j));
                ps.setLong(6, j.afterAccount());
                setInstant(ps, 7, j.dueAt());
                setInstant(ps, 8, j.createdAt());
                ps.executeUpdate();
            }
        }
    }

    /** Tells the worker that jobs were committed. */
    void jobsAdded() {
        for (Runnable r : listeners) r.run();
    }

    @Override
    public void onJobsAdded(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public List<NotificationJob> dueJobs(Instant now, int limit) {
        return db.queryList("due notification jobs", "SELECT " + JOB_COLUMNS + " FROM notification_jobs WHERE due_at <= ? "
                + "ORDER BY due_at, id LIMIT ?", ps -> {
                    setInstant(ps, 1, now);
                    ps.setInt(2, limit);
                }, NotificationTables::job);
    }

    @Override
    public Optional<Instant> nextDue() {
        return db.queryList("next notification job", "SELECT due_at FROM notification_jobs ORDER BY due_at LIMIT 1",
                ps -> { }, rs -> getInstant(rs, "due_at")).stream().findFirst();
    }

    @Override
    public List<NotificationJob> jobsOf(String roomId) {
        return db.queryList("notification jobs of room " + roomId, "SELECT " + JOB_COLUMNS
                + " FROM notification_jobs WHERE room_id = ? ORDER BY due_at, id", ps -> ps.setString(1, roomId),
                NotificationTables::job);
    }

    @Override
    public FanOut fanOut(NotificationJob job, int batch, String text, String link, Instant at) {
        return db.inTransaction("fan out notification job " + job.id(), c -> {
            List<Long> recipients = recipients(c, job, batch);
            List<Notification> written = new ArrayList<>(recipients.size());
            if (!recipients.isEmpty()) {
                String payload = notificationPayload(text, link);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO notifications (account_id, type, room_id, "
                        + "actor_id, payload, dedup_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                    for (Long r : recipients) {
                        ps.setLong(1, r);
                        ps.setString(2, job.type().name());
                        ps.setString(3, job.roomId());
                        ps.setObject(4, job.actorId());
                        ps.setString(5, payload);
                        ps.setString(6, job.dedupKey());
                        setInstant(ps, 7, at);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        int i = 0;
                        while (keys.next()) {
                            written.add(new Notification(keys.getLong(1), recipients.get(i++), job.type(), job.roomId(),
                                    text, link, null, Columns.stored(at), false));
                        }
                        if (i != recipients.size()) throw new SQLException("the database returned " + i + " ids for "
                                + recipients.size() + " notifications");
                    }
                }
            }
            long position = recipients.isEmpty() ? job.afterAccount() : recipients.getLast();
            boolean finished = recipients.size() < batch;
            int changed;
            if (finished) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM notification_jobs WHERE id = ? AND after_account = ?")) {
                    ps.setLong(1, job.id());
                    ps.setLong(2, job.afterAccount());
                    changed = ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE notification_jobs SET after_account = ? WHERE id = ? AND after_account = ?")) {
                    ps.setLong(1, position);
                    ps.setLong(2, job.id());
                    ps.setLong(3, job.afterAccount());
                    changed = ps.executeUpdate();
                }
            }
            if (changed == 0) {
                // Another worker (a second server on this database) moved or finished the job: undo this batch.
                c.rollback();
                return new FanOut(List.of(), job.afterAccount(), false, true);
            }
            return new FanOut(written, position, finished, false);
        });
    }

    /** The next batch of the job's audience above its position, in account order. */
    private static List<Long> recipients(Connection c, NotificationJob job, int batch) throws SQLException {
        List<Long> out = new ArrayList<>();
        if (job.audience() == Audience.ACCOUNTS) {
            List<Long> sorted = job.recipients().stream().distinct().sorted().toList();
            for (Long r : sorted) {
                if (r > job.afterAccount() && out.size() < batch && !r.equals(job.actorId())
                        && (job.dedupKey() == null || !has(c, r, job.dedupKey()))) {
                    out.add(r);
                }
            }
            return out;
        }
        String source = switch (job.audience()) {
            case FOLLOWERS -> "SELECT follower_id AS a FROM follows WHERE followee_id = ?";
            case FOLLOWERS_AND_INVITEES -> "SELECT follower_id AS a FROM follows WHERE followee_id = ? "
                    + "UNION SELECT account_id AS a FROM room_invitees WHERE room_id = ?";
            case INVITEES_AND_REMINDED -> "SELECT account_id AS a FROM room_invitees WHERE room_id = ? "
                    + "UNION SELECT account_id AS a FROM room_reminders WHERE room_id = ?";
            case FOLLOWERS_INVITEES_AND_REMINDED -> "SELECT follower_id AS a FROM follows WHERE followee_id = ? "
                    + "UNION SELECT account_id AS a FROM room_invitees WHERE room_id = ? "
                    + "UNION SELECT account_id AS a FROM room_reminders WHERE room_id = ?";
            case ACCOUNTS -> throw new IllegalStateException();
        };
        String sql = "SELECT x.a FROM (" + source + ") x WHERE x.a > ?"
                + (job.actorId() != null ? " AND x.a <> ?" : "")
                + (job.dedupKey() != null ? " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.account_id = x.a "
                + "AND n.dedup_key = ?)" : "")
                + " ORDER BY x.a LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            switch (job.audience()) {
                case FOLLOWERS -> ps.setLong(i++, requireActor(job));
                case FOLLOWERS_AND_INVITEES -> {
                    ps.setLong(i++, requireActor(job));
                    ps.setString(i++, job.roomId());
                }
                case FOLLOWERS_INVITEES_AND_REMINDED -> {
                    ps.setLong(i++, requireActor(job));
                    ps.setString(i++, job.roomId());
                    ps.setString(i++, job.roomId());
                }
                default -> {
                    ps.setString(i++, job.roomId());
                    ps.setString(i++, job.roomId());
                }
            }
            ps.setLong(i++, job.afterAccount());
            if (job.actorId() != null) ps.setLong(i++, job.actorId());
            if (job.dedupKey() != null) ps.setString(i++, job.dedupKey());
            ps.setInt(i, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static long requireActor(NotificationJob job) throws SQLException {
        if (job.actorId() == null) throw new SQLException("a followers' job without its actor: job " + job.id());
        return job.actorId();
    }

    private static boolean has(Connection c, long accountId, String dedupKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM notifications WHERE account_id = ? AND dedup_key = ?")) {
            ps.setLong(1, accountId);
            ps.setString(2, dedupKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---- the inbox ----

    @Override
    public List<Notification> inbox(long accountId, Long beforeId, int limit) {
        return db.queryList("notifications of " + accountId, NOTIFICATIONS + "WHERE n.account_id = ?"
                + (beforeId != null ? " AND n.id < ?" : "") + " ORDER BY n.id DESC LIMIT ?", ps -> {
                    int i = 1;
                    ps.setLong(i++, accountId);
                    if (beforeId != null) ps.setLong(i++, beforeId);
                    ps.setInt(i, limit);
                }, NotificationTables::notification);
    }

    @Override
    public List<Notification> after(long accountId, long afterId, int limit) {
        return db.queryList("notifications of " + accountId + " after " + afterId, NOTIFICATIONS
                + "WHERE n.account_id = ? AND n.id > ? ORDER BY n.id LIMIT ?", ps -> {
                    ps.setLong(1, accountId);
                    ps.setLong(2, afterId);
                    ps.setInt(3, limit);
                }, NotificationTables::notification);
    }

    @Override
    public int unread(long accountId) {
        return db.queryOne("unread notifications of " + accountId,
                "SELECT COUNT(*) FROM notifications WHERE account_id = ? AND read_at IS NULL",
                ps -> ps.setLong(1, accountId), rs -> rs.getInt(1)).orElse(0);
    }

    @Override
    public int markRead(long accountId, List<Long> ids, boolean all, Instant at) {
        if (!all && ids.isEmpty()) return 0;
        return db.inTransaction("mark notifications read", c -> {
            StringBuilder sql = new StringBuilder("UPDATE notifications SET read_at = ? WHERE account_id = ? AND read_at IS NULL");
            if (!all) {
                sql.append(" AND id IN (");
                for (int i = 0; i < ids.size(); i++) sql.append(i == 0 ? "?" : ", ?");
                sql.append(')');
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                setInstant(ps, 1, at);
                ps.setLong(2, accountId);
                if (!all) for (int i = 0; i < ids.size(); i++) ps.setLong(3 + i, ids.get(i));
                return ps.executeUpdate();
            }
        });
    }

    // ---- rows ----

    private static List<Long> ids(Connection c, String sql, String roomId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, roomId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getLong(1));
                return out;
            }
        }
    }

    private static Notification notification(ResultSet rs) throws SQLException {
        JsonNode p = parse(rs.getString("payload"));
        String username = rs.getString("actor_username");
        long avatar = rs.getLong("actor_avatar");
        boolean hasAvatar = !rs.wasNull();
        Notification.Actor actor = username == null ? null : new Notification.Actor(username, rs.getString("actor_name"),
                hasAvatar ? "/api/users/" + username + "/avatar?v=" + avatar : null);
        return new Notification(rs.getLong("id"), rs.getLong("account_id"), enumValue(NotificationType.class, rs.getString("type")),
                rs.getString("room_id"), p.path("text").asText(""), p.path("link").asText(null), actor,
                getInstant(rs, "created_at"), getInstant(rs, "read_at") != null);
    }

    private static NotificationJob job(ResultSet rs) throws SQLException {
        JsonNode p = parse(rs.getString("payload"));
        List<Long> recipients = new ArrayList<>();
        for (JsonNode r : p.path("recipients")) recipients.add(r.asLong());
        long actor = rs.getLong("actor_id");
        Long actorId = rs.wasNull() ? null : actor;
        return new NotificationJob(rs.getLong("id"), enumValue(NotificationType.class, rs.getString("type")),
                enumValue(Audience.class, rs.getString("audience")), rs.getString("room_id"), actorId,
                p.hasNonNull("actorName") ? p.get("actorName").asText() : null,
                p.hasNonNull("dedupKey") ? p.get("dedupKey").asText() : null, recipients, rs.getLong("after_account"),
                getInstant(rs, "due_at"), getInstant(rs, "created_at"), p.hasNonNull("text") ? p.get("text").asText() : null);
    }

    private static String jobPayload(NotificationJob j) {
        ObjectNode p = JSON.createObjectNode();
        if (j.actorName() != null) p.put("actorName", j.actorName());
        if (j.dedupKey() != null) p.put("dedupKey", j.dedupKey());
        if (j.text() != null) p.put("text", j.text());
        if (!j.recipients().isEmpty()) {
            ArrayNode a = p.putArray("recipients");
            for (Long r : j.recipients()) a.add(r);
        }
        return p.toString();
    }

    private static String notificationPayload(String text, String link) {
        ObjectNode p = JSON.createObjectNode();
        p.put("text", text);
        if (link != null) p.put("link", link);
        return p.toString();
    }

    private static JsonNode parse(String json) throws SQLException {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new SQLException("a notification payload that is not JSON", e);
        }
    }
}
