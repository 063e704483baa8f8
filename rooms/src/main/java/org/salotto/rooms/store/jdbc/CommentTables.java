package org.salotto.rooms.store.jdbc;

import static org.salotto.rooms.store.jdbc.Columns.enumValue;
import static org.salotto.rooms.store.jdbc.Columns.getInstant;
import static org.salotto.rooms.store.jdbc.Columns.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.salotto.rooms.store.CommentReport;
import org.salotto.rooms.store.CommentWrites;
import org.salotto.rooms.store.ModerationAction;
import org.salotto.rooms.store.StoredComment;
import org.salotto.rooms.store.StoredCommentState;

/**
 * A live's comments, who has comments off, the moderation review and the reports: written as part of a room's
 * decision ({@link #write}, inside the decision's transaction) and read by the API and by a room that opens again.
 * Part of {@link JdbcStore}, kept apart so that each class holds one concern.
 */
final class CommentTables {
    private static final String COMMENT_COLUMNS = "room_id, seq, id, participant_id, identity, name, text, at, badge, hidden, "
            + "hidden_by, hidden_at";

    private final Transactions db;

    CommentTables(Transactions db) {
        this.db = db;
    }

    // ---- writing, inside a decision's transaction ----

    static void write(Connection c, String roomId, CommentWrites w) throws SQLException {
        if (w.isEmpty()) return;
        for (StoredComment m : w.posted()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO comments (" + COMMENT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, m.roomId());
                ps.setLong(2, m.seq());
                ps.setString(3, m.id());
                ps.setString(4, m.participantId());
                ps.setString(5, m.identity());
                ps.setString(6, m.name());
                ps.setString(7, m.text());
                setInstant(ps, 8, m.at());
                ps.setInt(9, m.badge());
                ps.setBoolean(10, m.hidden());
                ps.setString(11, m.hiddenBy());
                setInstant(ps, 12, m.hiddenAt());
                ps.executeUpdate();
            }
        }
        for (CommentWrites.Hide h : w.hidden()) {
            // The first hiding is the one kept.
            try (PreparedStatement ps = c.prepareStatement("UPDATE comments SET hidden = TRUE, hidden_by = ?, hidden_at = ? "
                    + "WHERE room_id = ? AND id = ? AND hidden = FALSE")) {
                ps.setString(1, h.byIdentity());
                setInstant(ps, 2, h.at());
                ps.setString(3, roomId);
                ps.setString(4, h.commentId());
                ps.executeUpdate();
            }
        }
        if (w.settings() != null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE rooms SET comments_off = ?, pinned_comment_id = ? WHERE id = ?")) {
                ps.setBoolean(1, w.settings().commentsOff());
                ps.setString(2, w.settings().pinnedCommentId());
                ps.setString(3, roomId);
                ps.executeUpdate();
            }
        }
        for (CommentWrites.MemberSetting m : w.members()) {
            boolean there = exists(c, "SELECT 1 FROM comments_off_for WHERE room_id = ? AND identity = ?", roomId, m.identity());
            if (m.off() && !there) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO comments_off_for (room_id, identity, at) VALUES (?, ?, ?)")) {
                    ps.setString(1, roomId);
                    ps.setString(2, m.identity());
                    setInstant(ps, 3, m.at());
                    ps.executeUpdate();
                }
            } else if (!m.off() && there) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM comments_off_for WHERE room_id = ? AND identity = ?")) {
                    ps.setString(1, roomId);
                    ps.setString(2, m.identity());
                    ps.executeUpdate();
                }
            }
        }
        for (ModerationAction a : w.actions()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO moderation_actions (room_id, seq, at, actor_identity, "
                    + "actor_name, action, target_identity, target_name, comment_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, a.roomId());
                ps.setLong(2, a.seq());
                setInstant(ps, 3, a.at());
                ps.setString(4, a.actorIdentity());
                ps.setString(5, a.actorName());
                ps.setString(6, a.action().name());
                ps.setString(7, a.targetIdentity());
                ps.setString(8, a.targetName());
                ps.setString(9, a.commentId());
                ps.setString(10, a.detail());
                ps.executeUpdate();
            }
        }
        for (CommentReport r : w.reports()) {
            if (exists(c, "SELECT 1 FROM comment_reports WHERE room_id = ? AND comment_id = ? AND reporter_identity = ?",
                    r.roomId(), r.commentId(), r.reporterIdentity())) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO comment_reports (room_id, comment_id, reporter_identity, "
                    + "reporter_name, reason, at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.roomId());
                ps.setString(2, r.commentId());
                ps.setString(3, r.reporterIdentity());
                ps.setString(4, r.reporterName());
                ps.setString(5, r.reason());
                setInstant(ps, 6, r.at());
                ps.executeUpdate();
            }
        }
    }

    private static boolean exists(Connection c, String sql, String... keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < keys.length; i++) ps.setString(i + 1, keys[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---- reading ----

    List<StoredComment> comments(String roomId, String beforeId, int limit, boolean withHidden) {
        if (limit <= 0) return List.of();
        Long before = null;
        if (beforeId != null) {
            Optional<StoredComment> from = comment(roomId, beforeId);
            if (from.isEmpty()) return List.of();
            before = from.get().seq();
        }
        Long beforeSeq = before;
        List<StoredComment> newestFirst = db.queryList("list comments of room " + roomId,
                "SELECT " + COMMENT_COLUMNS + " FROM comments WHERE room_id = ?"
                        + (beforeSeq != null ? " AND seq < ?" : "") + (withHidden ? "" : " AND hidden = FALSE")
                        + " ORDER BY seq DESC LIMIT ?",
                ps -> {
                    int i = 1;
                    ps.setString(i++, roomId);
                    if (beforeSeq != null) ps.setLong(i++, beforeSeq);
                    ps.setInt(i, limit);
                },
                CommentTables::comment);
        List<StoredComment> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }

    Optional<StoredComment> comment(String roomId, String commentId) {
        return db.queryOne("read comment " + commentId, "SELECT " + COMMENT_COLUMNS + " FROM comments WHERE room_id = ? AND id = ?",
                ps -> {
                    ps.setString(1, roomId);
                    ps.setString(2, commentId);
                }, CommentTables::comment);
    }

    StoredCommentState state(String roomId, int recent) {
        record Settings(boolean off, String pinnedId) {
        }
        Settings s = db.queryOne("read the comment settings of room " + roomId,
                "SELECT comments_off, pinned_comment_id FROM rooms WHERE id = ?", ps -> ps.setString(1, roomId),
                rs -> new Settings(rs.getBoolean("comments_off"), rs.getString("pinned_comment_id")))
                .orElse(new Settings(false, null));
        StoredComment pinned = s.pinnedId() == null ? null
                : comment(roomId, s.pinnedId()).filter(c -> !c.hidden()).orElse(null);
        List<String> offFor = db.queryList("list who has comments off in room " + roomId,
                "SELECT identity FROM comments_off_for WHERE room_id = ? ORDER BY at, identity", ps -> ps.setString(1, roomId),
                rs -> rs.getString("identity"));
        return new StoredCommentState(comments(roomId, null, recent, false), pinned, s.off(), offFor);
    }

    List<ModerationAction> moderationActions(String roomId, int limit) {
        if (limit <= 0) return List.of();
        List<ModerationAction> newestFirst = db.queryList("list the moderation of room " + roomId,
                "SELECT m.room_id, m.seq, m.at, m.actor_identity, m.actor_name, m.action, "
                        // A hidden comment's writer is its target; a removed viewer's name is the one their membership kept.
                        + "COALESCE(m.target_identity, c.identity) AS target_identity, "
                        + "COALESCE(m.target_name, c.name, mb.display_name) AS target_name, m.comment_id, m.detail, "
                        + "c.text AS comment_text "
                        + "FROM moderation_actions m "
                        + "LEFT JOIN comments c ON c.room_id = m.room_id AND c.id = m.comment_id "
                        + "LEFT JOIN memberships mb ON mb.room_id = m.room_id AND mb.identity = m.target_identity "
                        + "WHERE m.room_id = ? ORDER BY m.seq DESC LIMIT ?",
                ps -> {
                    ps.setString(1, roomId);
                    ps.setInt(2, limit);
                },
                rs -> new ModerationAction(rs.getString("room_id"), rs.getLong("seq"), getInstant(rs, "at"),
                        rs.getString("actor_identity"), rs.getString("actor_name"),
                        enumValue(ModerationAction.Action.class, rs.getString("action")), rs.getString("target_identity"),
                        rs.getString("target_name"), rs.getString("comment_id"), rs.getString("detail"),
                        rs.getString("comment_text")));
        List<ModerationAction> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }

    boolean reported(String roomId, String commentId, String identity) {
        return db.queryOne("read a report of comment " + commentId,
                "SELECT 1 FROM comment_reports WHERE room_id = ? AND comment_id = ? AND reporter_identity = ?",
                ps -> {
                    ps.setString(1, roomId);
                    ps.setString(2, commentId);
                    ps.setString(3, identity);
                }, rs -> Boolean.TRUE).orElse(false);
    }

    private static StoredComment comment(ResultSet rs) throws SQLException {
        return new StoredComment(rs.getString("room_id"), rs.getLong("seq"), rs.getString("id"),
                rs.getString("participant_id"), rs.getString("identity"),
                rs.getString("name"), rs.getString("text"), getInstant(rs, "at"), rs.getInt("badge"),
                rs.getBoolean("hidden"), rs.getString("hidden_by"), getInstant(rs, "hidden_at"));
    }
}
