package org.salotto.rooms.store.jdbc;

import static org.salotto.rooms.store.jdbc.Columns.enumValue;
import static org.salotto.rooms.store.jdbc.Columns.getInstant;
import static org.salotto.rooms.store.jdbc.Columns.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.salotto.rooms.money.BadgeSale;
import org.salotto.rooms.store.Ban;
import org.salotto.rooms.store.Block;
import org.salotto.rooms.store.Membership;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.RoomTimer;
import org.salotto.rooms.store.UnitOfWork;

/**
 * The room runtime's tables: a decision written whole in one transaction ({@link UnitOfWork}), the event outbox
 * ({@code room_events}) and the durable timers ({@code room_timers}). Part of {@link JdbcStore}, kept apart so that
 * each class holds one concern.
 */
final class RuntimeTables {
    private final Transactions db;

    RuntimeTables(Transactions db) {
        this.db = db;
    }

    void commit(UnitOfWork work) {
        if (work.isEmpty()) return;
        db.inTransaction("write a decision of room " + work.roomId(), c -> {
            if (work.room() != null) JdbcStore.writeRoom(c, work.room());
            if (work.occupied() != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE rooms SET occupied = ? WHERE id = ?")) {
                    ps.setBoolean(1, work.occupied());
                    ps.setString(2, work.roomId());
                    ps.executeUpdate();
                }
            }
            for (Membership m : work.memberships()) JdbcStore.writeMembership(c, m);
            for (Ban b : work.bans()) {
                if (!exists(c, "SELECT 1 FROM bans WHERE room_id = ? AND identity = ?", b.roomId(), b.identity())) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO bans (room_id, identity, banned_by, banned_at) VALUES (?, ?, ?, ?)")) {
                        ps.setString(1, b.roomId());
                        ps.setString(2, b.identity());
                        ps.setString(3, b.bannedBy());
                        setInstant(ps, 4, b.at());
                        ps.executeUpdate();
                    }
                }
            }
            for (Block b : work.blocks()) {
                if (!exists(c, "SELECT 1 FROM blocks WHERE account_id = ? AND identity = ?", b.accountId(), b.identity())) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO blocks (account_id, identity, display_name, blocked_at) VALUES (?, ?, ?, ?)")) {
                        ps.setLong(1, b.accountId());
                        ps.setString(2, b.identity());
                        ps.setString(3, b.displayName());
                        setInstant(ps, 4, b.at());
                        ps.executeUpdate();
                    }
                }
            }
            for (RoomTimer.Kind kind : work.timersCleared()) deleteTimer(c, work.roomId(), kind);
            for (RoomTimer t : work.timersSet()) {
                deleteTimer(c, t.roomId(), t.kind());
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO room_timers (room_id, kind, due_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, t.roomId());
                    ps.setString(2, t.kind().name());
                    setInstant(ps, 3, t.due());
                    ps.executeUpdate();
                }
            }
            CommentTables.write(c, work.roomId(), work.comments());
            for (BadgeSale sale : work.sales()) LedgerTables.writeSale(c, sale);
            for (var refund : work.refunds()) LedgerTables.writeTransaction(c, refund);
            NotificationTables.write(c, work.roomId(), work.notifications());
            for (OutboxEvent e : work.events()) insertEvent(c, e);
            return null;
        });
    }

    static void insertEvent(Connection c, OutboxEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO room_events (room_id, seq, type, payload, at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, e.roomId());
            ps.setLong(2, e.seq());
            ps.setString(3, e.type());
            ps.setString(4, e.payload());
            setInstant(ps, 5, e.at());
            ps.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String sql, Object key, String identity) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            ps.setString(2, identity);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void deleteTimer(Connection c, String roomId, RoomTimer.Kind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM room_timers WHERE room_id = ? AND kind = ?")) {
            ps.setString(1, roomId);
            ps.setString(2, kind.name());
            ps.executeUpdate();
        }
    }

    List<RoomTimer> roomTimers() {
        return db.queryList("list room timers", "SELECT room_id, kind, due_at FROM room_timers ORDER BY due_at",
                ps -> { }, RuntimeTables::timer);
    }

    Optional<RoomTimer> roomTimer(String roomId, RoomTimer.Kind kind) {
        return db.queryOne("read room timer", "SELECT room_id, kind, due_at FROM room_timers WHERE room_id = ? AND kind = ?",
                ps -> {
                    ps.setString(1, roomId);
                    ps.setString(2, kind.name());
                }, RuntimeTables::timer);
    }

    private static RoomTimer timer(ResultSet rs) throws SQLException {
        return new RoomTimer(rs.getString("room_id"), enumValue(RoomTimer.Kind.class, rs.getString("kind")),
                getInstant(rs, "due_at"));
    }

    long lastEventSeq(String roomId) {
        return db.queryOne("read the last event of room " + roomId,
                "SELECT MAX(seq) AS seq FROM room_events WHERE room_id = ?", ps -> ps.setString(1, roomId),
                rs -> rs.getLong("seq")).orElse(0L);
    }

    List<OutboxEvent> events(String roomId, long afterSeq, int limit) {
        return db.queryList("list events of room " + roomId,
                "SELECT room_id, seq, type, payload, at FROM room_events WHERE room_id = ? AND seq > ? ORDER BY seq "
                        + "FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
                ps -> {
                    ps.setString(1, roomId);
                    ps.setLong(2, afterSeq);
                },
                rs -> new OutboxEvent(rs.getString("room_id"), rs.getLong("seq"), rs.getString("type"),
                        rs.getString("payload"), getInstant(rs, "at")));
    }

    List<Room> occupiedRooms() {
        return db.queryList("list occupied rooms", "SELECT " + JdbcStore.ROOM_COLUMNS + " FROM rooms WHERE occupied = TRUE",
                ps -> { }, JdbcStore::room);
    }

    boolean occupied(String roomId) {
        return db.queryOne("read whether room " + roomId + " is occupied", "SELECT occupied FROM rooms WHERE id = ?",
                ps -> ps.setString(1, roomId), rs -> rs.getBoolean("occupied")).orElse(false);
    }
}
