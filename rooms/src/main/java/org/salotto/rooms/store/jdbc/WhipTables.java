package org.salotto.rooms.store.jdbc;

import java.sql.PreparedStatement;
import org.salotto.rooms.store.WhipStore;

/** The {@code room_whep} table (V10): a room's WHEP setting. */
final class WhipTables implements WhipStore {
    private final Transactions db;

    WhipTables(Transactions db) {
        this.db = db;
    }

    @Override
    public boolean anonymousWhep(String roomId) {
        return db.queryOne("read the WHEP setting of room " + roomId, "SELECT anonymous FROM room_whep WHERE room_id = ?",
                ps -> ps.setString(1, roomId), rs -> rs.getBoolean(1)).orElse(false);
    }

    @Override
    public void setAnonymousWhep(String roomId, boolean anonymous) {
        db.inTransaction("set the WHEP setting of room " + roomId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE room_whep SET anonymous = ? WHERE room_id = ?")) {
                ps.setBoolean(1, anonymous);
                ps.setString(2, roomId);
                if (ps.executeUpdate() > 0) return null;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO room_whep (room_id, anonymous) VALUES (?, ?)")) {
                ps.setString(1, roomId);
                ps.setBoolean(2, anonymous);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
