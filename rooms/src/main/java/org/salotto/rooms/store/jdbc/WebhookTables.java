package org.salotto.rooms.store.jdbc;

import static org.salotto.rooms.store.jdbc.Columns.enumValue;
import static org.salotto.rooms.store.jdbc.Columns.getInstant;
import static org.salotto.rooms.store.jdbc.Columns.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.salotto.rooms.webhooks.WebhookDelivery;
import org.salotto.rooms.webhooks.WebhookEndpoint;
import org.salotto.rooms.webhooks.WebhookStore;

/**
 * Webhook endpoints, their positions in each stream and the delivery log ({@code V9__webhooks.sql}). Part of
 * {@link JdbcStore}, kept apart so that each class holds one concern.
 */
final class WebhookTables implements WebhookStore {
    private static final String ENDPOINT_COLUMNS =
            "id, account_id, url, description, secret, event_types, enabled, disabled_reason, failing_since, created_at";
    private static final String DELIVERY_COLUMNS = "id, endpoint_id, message_id, stream, seq, type, attempt, trigger_by, "
            + "status, error, response, duration_ms, at";

    private final Transactions db;

    WebhookTables(Transactions db) {
        this.db = db;
    }

    @Override
    public void createEndpoint(WebhookEndpoint e) {
        db.inTransaction("create webhook endpoint", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_endpoints (" + ENDPOINT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.id());
                ps.setLong(2, e.accountId());
                ps.setString(3, e.url());
                ps.setString(4, e.description());
                ps.setString(5, e.secret());
                ps.setString(6, types(e.eventTypes()));
                ps.setBoolean(7, e.enabled());
                ps.setString(8, e.disabledReason());
                setInstant(ps, 9, e.failingSince());
                setInstant(ps, 10, e.createdAt());
                ps.executeUpdate();
            }
            // From now on: the end of every stream the account has.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_positions (endpoint_id, stream, seq) "
                    + "SELECT ?, r.id, COALESCE((SELECT MAX(x.seq) FROM room_events x WHERE x.room_id = r.id), 0) "
                    + "FROM rooms r WHERE r.host_account_id = ?")) {
                ps.setString(1, e.id());
                ps.setLong(2, e.accountId());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_positions (endpoint_id, stream, seq) "
                    + "SELECT ?, ?, COALESCE(MAX(n.id), 0) FROM notifications n WHERE n.account_id = ?")) {
                ps.setString(1, e.id());
                ps.setString(2, NOTIFICATIONS);
                ps.setLong(3, e.accountId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<WebhookEndpoint> endpoint(String id) {
        return db.queryOne("read webhook endpoint", "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE id = ?",
                ps -> ps.setString(1, id), WebhookTables::endpoint);
    }

    @Override
    public List<WebhookEndpoint> endpointsOf(long accountId) {
        return db.queryList("list webhook endpoints", "SELECT " + ENDPOINT_COLUMNS
                + " FROM webhook_endpoints WHERE account_id = ? ORDER BY created_at, id", ps -> ps.setLong(1, accountId),
                WebhookTables::endpoint);
    }

    @Override
    public boolean anyEnabled() {
        return db.queryOne("look for webhook endpoints", "SELECT 1 FROM webhook_endpoints WHERE enabled = TRUE FETCH FIRST 1 ROWS ONLY",
                ps -> { }, rs -> true).orElse(false);
    }

    @Override
    public List<WebhookEndpoint> enabledEndpointsOfRoom(String roomId) {
        return db.queryList("list webhook endpoints of a room", "SELECT " + prefixed("w", ENDPOINT_COLUMNS)
                        + " FROM webhook_endpoints w JOIN rooms r ON r.host_account_id = w.account_id"
                        + " WHERE r.id = ? AND w.enabled = TRUE", ps -> ps.setString(1, roomId),
                WebhookTables::endpoint);
    }

    @Override
    public void updateEndpoint(WebhookEndpoint e) {
        db.update("update webhook endpoint", "UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, "
                + "enabled = ?, disabled_reason = ?, failing_since = ? WHERE id = ?", ps -> {
            ps.setString(1, e.url());
            ps.setString(2, e.description());
            ps.setString(3, types(e.eventTypes()));
            ps.setBoolean(4, e.enabled());
            ps.setString(5, e.enabled() ? null : e.disabledReason());
            setInstant(ps, 6, e.enabled() ? null : e.failingSince());
            ps.setString(7, e.id());
        });
    }

    @Override
    public boolean deleteEndpoint(String id) {
        return db.update("delete webhook endpoint", "DELETE FROM webhook_endpoints WHERE id = ?", ps -> ps.setString(1, id)) > 0;
    }

    @Override
    public Instant markFailing(String endpointId, Instant at) {
        return db.inTransaction("mark webhook endpoint failing", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE webhook_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL")) {
                setInstant(ps, 1, at);
                ps.setString(2, endpointId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT failing_since FROM webhook_endpoints WHERE id = ?")) {
                ps.setString(1, endpointId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && getInstant(rs, "failing_since") != null ? getInstant(rs, "failing_since") : at;
                }
            }
        });
    }

    @Override
    public boolean disable(String endpointId, String reason) {
        return db.update("disable webhook endpoint", "UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = ? "
                + "WHERE id = ? AND enabled = TRUE", ps -> {
            ps.setString(1, reason);
            ps.setString(2, endpointId);
        }) > 0;
    }

    @Override
    public long position(String endpointId, String stream) {
        Optional<Long> at = readPosition(endpointId, stream);
        if (at.isPresent()) return at.get();
        db.insertIfAbsent("enter a webhook stream", "INSERT INTO webhook_positions (endpoint_id, stream, seq) VALUES (?, ?, 0)",
                ps -> {
                    ps.setString(1, endpointId);
                    ps.setString(2, stream);
                });
        return readPosition(endpointId, stream).orElse(0L);
    }

    private Optional<Long> readPosition(String endpointId, String stream) {
        return db.queryOne("read webhook position", "SELECT seq FROM webhook_positions WHERE endpoint_id = ? AND stream = ?",
                ps -> {
                    ps.setString(1, endpointId);
                    ps.setString(2, stream);
                }, rs -> rs.getLong("seq"));
    }

    @Override
    public boolean recordDelivered(String endpointId, String stream, List<WebhookDelivery> delivered, long from, long to) {
        return db.inTransaction("record webhook deliveries", c -> {
            for (WebhookDelivery d : delivered) insertDelivery(c, d);
            if (!delivered.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL")) {
                    ps.setString(1, endpointId);
                    ps.executeUpdate();
                }
            }
            return move(c, endpointId, stream, from, to);
        });
    }

    private static boolean move(Connection c, String endpointId, String stream, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE webhook_positions SET seq = ? WHERE endpoint_id = ? AND stream = ? AND seq = ?")) {
            ps.setLong(1, to);
            ps.setString(2, endpointId);
            ps.setString(3, stream);
            ps.setLong(4, from);
            return ps.executeUpdate() > 0;
        }
    }

    @Override
    public WebhookDelivery log(WebhookDelivery a) {
        long id = db.inTransaction("record a webhook delivery", c -> insertDelivery(c, a));
        return new WebhookDelivery(id, a.endpointId(), a.messageId(), a.stream(), a.seq(), a.type(), a.attempt(),
                a.trigger(), a.status(), a.error(), a.response(), a.durationMs(), a.at());
    }

    private static long insertDelivery(Connection c, WebhookDelivery a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (endpoint_id, message_id, stream, seq, "
                + "type, attempt, trigger_by, status, error, response, duration_ms, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"id"})) {
            ps.setString(1, a.endpointId());
            ps.setString(2, a.messageId());
            ps.setString(3, a.stream());
            ps.setLong(4, a.seq());
            ps.setString(5, a.type());
            ps.setInt(6, a.attempt());
            ps.setString(7, a.trigger().name());
            if (a.status() == null) ps.setNull(8, Types.INTEGER);
            else ps.setInt(8, a.status());
            ps.setString(9, cut(a.error(), 400));
            ps.setString(10, cut(a.response(), 1024));
            ps.setLong(11, a.durationMs());
            setInstant(ps, 12, a.at());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : 0;
            }
        }
    }

    @Override
    public List<String> rewind(String endpointId, long accountId, Instant since) {
        return db.inTransaction("rewind a webhook endpoint", c -> {
            Map<String, Long> positions = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT stream, seq FROM webhook_positions WHERE endpoint_id = ?")) {
                ps.setString(1, endpointId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) positions.put(rs.getString("stream"), rs.getLong("seq"));
                }
            }
            List<String> rewound = new ArrayList<>();
            for (Map.Entry<String, Long> p : positions.entrySet()) {
                String sql = p.getKey().equals(NOTIFICATIONS)
                        ? "SELECT COALESCE(MAX(id), 0) FROM notifications WHERE account_id = ? AND created_at < ?"
                        : "SELECT COALESCE(MAX(seq), 0) FROM room_events WHERE room_id = ? AND at < ?";
                long before;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    if (p.getKey().equals(NOTIFICATIONS)) ps.setLong(1, accountId);
                    else ps.setString(1, p.getKey());
                    setInstant(ps, 2, since);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        before = rs.getLong(1);
                    }
                }
                if (before < p.getValue() && move(c, endpointId, p.getKey(), p.getValue(), before)) rewound.add(p.getKey());
            }
            return rewound;
        });
    }

    @Override
    public List<WebhookDelivery> deliveries(String endpointId, long beforeId, int limit) {
        return db.queryList("list webhook deliveries", "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE "
                        + "endpoint_id = ? AND id < ? ORDER BY id DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
                ps -> {
                    ps.setString(1, endpointId);
                    ps.setLong(2, beforeId <= 0 ? Long.MAX_VALUE : beforeId);
                }, WebhookTables::delivery);
    }

    @Override
    public Optional<WebhookDelivery> delivery(String endpointId, long id) {
        return db.queryOne("read a webhook delivery", "SELECT " + DELIVERY_COLUMNS
                + " FROM webhook_deliveries WHERE endpoint_id = ? AND id = ?", ps -> {
            ps.setString(1, endpointId);
            ps.setLong(2, id);
        }, WebhookTables::delivery);
    }

    @Override
    public List<Lag> lagging() {
        return db.queryList("find webhook work",
                "SELECT w.id AS endpoint_id, r.id AS stream FROM webhook_endpoints w"
                        + " JOIN rooms r ON r.host_account_id = w.account_id"
                        + " LEFT JOIN webhook_positions p ON p.endpoint_id = w.id AND p.stream = r.id"
                        + " WHERE w.enabled = TRUE AND EXISTS (SELECT 1 FROM room_events x WHERE x.room_id = r.id"
                        + " AND x.seq > COALESCE(p.seq, 0))"
                        + " UNION ALL"
                        + " SELECT w.id AS endpoint_id, '" + NOTIFICATIONS + "' AS stream FROM webhook_endpoints w"
                        + " LEFT JOIN webhook_positions p ON p.endpoint_id = w.id AND p.stream = '" + NOTIFICATIONS + "'"
                        + " WHERE w.enabled = TRUE AND EXISTS (SELECT 1 FROM notifications n WHERE n.account_id = w.account_id"
                        + " AND n.id > COALESCE(p.seq, 0))",
                ps -> { }, rs -> new Lag(rs.getString("endpoint_id"), rs.getString("stream")));
    }

    @Override
    public List<Notification> notifications(long accountId, long afterId, int limit) {
        return db.queryList("list notifications for webhooks", "SELECT id, type, room_id, payload, created_at FROM notifications"
                        + " WHERE account_id = ? AND id > ? ORDER BY id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
                ps -> {
                    ps.setLong(1, accountId);
                    ps.setLong(2, afterId);
                }, rs -> new Notification(rs.getLong("id"), rs.getString("type"), rs.getString("room_id"),
                        rs.getString("payload"), getInstant(rs, "created_at")));
    }

    @Override
    public int purgeDeliveries(Instant before) {
        return db.update("purge webhook deliveries", "DELETE FROM webhook_deliveries WHERE at < ?", ps -> setInstant(ps, 1, before));
    }

    private static WebhookEndpoint endpoint(ResultSet rs) throws SQLException {
        String types = rs.getString("event_types");
        Set<String> set = types == null || types.isBlank() ? Set.of()
                : Arrays.stream(types.split(",")).map(String::strip).filter(t -> !t.isEmpty()).collect(Collectors.toSet());
        return new WebhookEndpoint(rs.getString("id"), rs.getLong("account_id"), rs.getString("url"),
                rs.getString("description"), rs.getString("secret"), set, rs.getBoolean("enabled"),
                rs.getString("disabled_reason"), getInstant(rs, "failing_since"), getInstant(rs, "created_at"));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        int status = rs.getInt("status");
        Integer s = rs.wasNull() ? null : status;
        return new WebhookDelivery(rs.getLong("id"), rs.getString("endpoint_id"), rs.getString("message_id"),
                rs.getString("stream"), rs.getLong("seq"), rs.getString("type"), rs.getInt("attempt"),
                enumValue(WebhookDelivery.Trigger.class, rs.getString("trigger_by")), s, rs.getString("error"),
                rs.getString("response"), rs.getLong("duration_ms"), getInstant(rs, "at"));
    }

    private static String types(Set<String> types) {
        return types.stream().sorted().collect(Collectors.joining(","));
    }

    private static String prefixed(String alias, String columns) {
        return Arrays.stream(columns.split(",")).map(col -> alias + "." + col.strip()).collect(Collectors.joining(", "));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
