package org.salotto.rooms.store.jdbc;

import static org.salotto.rooms.store.jdbc.Columns.enumValue;
import static org.salotto.rooms.store.jdbc.Columns.getInstant;
import static org.salotto.rooms.store.jdbc.Columns.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.salotto.rooms.money.BadgeSale;
import org.salotto.rooms.money.Entry;
import org.salotto.rooms.money.IdempotencyRecord;
import org.salotto.rooms.money.LedgerAccount;
import org.salotto.rooms.money.LedgerStore;
import org.salotto.rooms.money.LedgerTransaction;
import org.salotto.rooms.money.Purchase;
import org.salotto.rooms.store.StoreException;

/**
 * The ledger's tables (V3__ledger.sql): purchases, balanced transactions and their entries, idempotency records. Only
 * INSERT and SELECT: nothing here updates or deletes a row. A badge sale is written by {@link RuntimeTables#commit}
 * inside the room decision's transaction ({@link #writeSale}); refusals and refunds stand alone.
 */
final class LedgerTables implements LedgerStore {
    private static final String PURCHASE_COLUMNS = "p.id, p.room_id, p.buyer_identity, p.buyer_participant_id, p.buyer_name, "
            + "p.target_identity, p.target_participant_id, p.target_name, p.hearts, p.amount, p.fee, p.currency, p.charge_id, "
            + "p.at, r.at AS refunded_at";
    private static final String PURCHASES = "SELECT " + PURCHASE_COLUMNS + " FROM purchases p "
            + "LEFT JOIN ledger_transactions r ON r.purchase_id = p.id AND r.kind = 'REFUND'";

    private final Transactions db;

    LedgerTables(Transactions db) {
        this.db = db;
    }

    /** Writes a sale on {@code c}, inside the caller's transaction: the purchase, its transaction, its key's record. */
    static void writeSale(Connection c, BadgeSale sale) throws SQLException {
        Purchase p = sale.purchase();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO purchases (id, room_id, buyer_identity, "
                + "buyer_participant_id, buyer_name, target_identity, target_participant_id, target_name, hearts, amount, fee, "
                + "currency, charge_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, p.id());
            ps.setString(2, p.roomId());
            ps.setString(3, p.buyerIdentity());
            ps.setString(4, p.buyerParticipantId());
            ps.setString(5, p.buyerName());
            ps.setString(6, p.targetIdentity());
            ps.setString(7, p.targetParticipantId());
            ps.setString(8, p.targetName());
            ps.setInt(9, p.hearts());
            ps.setLong(10, p.amount());
            ps.setLong(11, p.fee());
            ps.setString(12, p.currency());
            ps.setString(13, p.chargeId());
            setInstant(ps, 14, p.at());
            ps.executeUpdate();
        }
        writeTransaction(c, sale.transaction());
        writeIdempotency(c, sale.idempotency());
    }

    static void writeTransaction(Connection c, LedgerTransaction t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_transactions (id, kind, purchase_id, reverses, currency, at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.id());
            ps.setString(2, t.kind().name());
            ps.setString(3, t.purchaseId());
            ps.setString(4, t.reverses());
            ps.setString(5, t.currency());
            setInstant(ps, 6, t.at());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_entries (transaction_id, line, account, amount) VALUES (?, ?, ?, ?)")) {
            int line = 0;
            for (Entry e : t.entries()) {
                ps.setString(1, t.id());
                ps.setInt(2, ++line);
                ps.setString(3, e.account().id());
                ps.setLong(4, e.amount());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void writeIdempotency(Connection c, IdempotencyRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys (identity, idem_key, request_hash, "
                + "outcome, purchase_id, error_code, message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.identity());
            ps.setString(2, r.key());
            ps.setString(3, r.requestHash());
            ps.setString(4, r.outcome().name());
            ps.setString(5, r.purchaseId());
            ps.setString(6, r.errorCode());
            ps.setString(7, r.message() == null ? null : r.message().length() > 512 ? r.message().substring(0, 512) : r.message());
            setInstant(ps, 8, r.at());
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<IdempotencyRecord> idempotency(String identity, String key) {
        return db.queryOne("read idempotency key",
                "SELECT identity, idem_key, request_hash, outcome, purchase_id, error_code, message, at FROM idempotency_keys"
                        + " WHERE identity = ? AND idem_key = ?",
                ps -> {
                    ps.setString(1, identity);
                    ps.setString(2, key);
                },
                rs -> new IdempotencyRecord(rs.getString("identity"), rs.getString("idem_key"), rs.getString("request_hash"),
                        enumValue(IdempotencyRecord.Outcome.class, rs.getString("outcome")), rs.getString("purchase_id"),
                        rs.getString("error_code"), rs.getString("message"), getInstant(rs, "at")));
    }

    @Override
    public void recordRefusal(IdempotencyRecord refusal) {
        if (refusal.outcome() == IdempotencyRecord.Outcome.COMPLETED) {
            throw new IllegalArgumentException("a completed purchase is recorded with its sale");
        }
        db.inTransaction("record the answer to idempotency key " + refusal.key(), c -> {
            writeIdempotency(c, refusal);
            return null;
        });
    }

    @Override
    public Optional<Purchase> purchase(String id) {
        return db.queryOne("read purchase " + id, PURCHASES + " WHERE p.id = ?", ps -> ps.setString(1, id),
                LedgerTables::purchase);
    }

    @Override
    public List<Purchase> purchases(String roomId) {
        return db.queryList("list purchases of room " + roomId, PURCHASES + " WHERE p.room_id = ? ORDER BY p.at, p.id",
                ps -> ps.setString(1, roomId), LedgerTables::purchase);
    }

    private static Purchase purchase(ResultSet rs) throws SQLException {
        return new Purchase(rs.getString("id"), rs.getString("room_id"), rs.getString("buyer_identity"),
                rs.getString("buyer_participant_id"), rs.getString("buyer_name"), rs.getString("target_identity"),
                rs.getString("target_participant_id"), rs.getString("target_name"), rs.getInt("hearts"),
                rs.getLong("amount"), rs.getLong("fee"), rs.getString("currency"), rs.getString("charge_id"),
                getInstant(rs, "at"), getInstant(rs, "refunded_at"));
    }

    @Override
    public Optional<LedgerTransaction> purchaseTransaction(String purchaseId) {
        List<LedgerTransaction> found = transactions(" WHERE t.purchase_id = ? AND t.kind = 'PURCHASE'", purchaseId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public long balance(LedgerAccount account) {
        return db.queryOne("read the balance of " + account, "SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = ?",
                ps -> ps.setString(1, account.id()), rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public Map<LedgerAccount, Long> roomBalances(String roomId) {
        Map<LedgerAccount, Long> out = new LinkedHashMap<>();
        for (Object[] row : db.queryList("read the balances of room " + roomId,
                "SELECT e.account, SUM(e.amount) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id"
                        + " JOIN purchases p ON p.id = t.purchase_id WHERE p.room_id = ? GROUP BY e.account ORDER BY e.account",
                ps -> ps.setString(1, roomId), rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
            out.put(new LedgerAccount((String) row[0]), (Long) row[1]);
        }
        return out;
    }

    @Override
    public Map<LedgerAccount, Long> balances() {
        Map<LedgerAccount, Long> out = new LinkedHashMap<>();
        for (Object[] row : db.queryList("read every balance",
                "SELECT account, SUM(amount) FROM ledger_entries GROUP BY account ORDER BY account", ps -> { },
                rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
            out.put(new LedgerAccount((String) row[0]), (Long) row[1]);
        }
        return out;
    }

    @Override
    public List<LedgerTransaction> transactions() {
        return transactions("", null);
    }

    /** Transactions with their entries, in the order written; {@code where} filters on one bound value, or none. */
    private List<LedgerTransaction> transactions(String where, String value) {
        return db.read("read the ledger", c -> {
            Map<String, LedgerTransaction.Kind> kinds = new LinkedHashMap<>();
            Map<String, String[]> facts = new LinkedHashMap<>();
            Map<String, java.time.Instant> ats = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.kind, t.purchase_id, t.reverses, t.currency, t.at"
                    + " FROM ledger_transactions t" + where + " ORDER BY t.seq")) {
                if (value != null) ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("id");
                        kinds.put(id, enumValue(LedgerTransaction.Kind.class, rs.getString("kind")));
                        facts.put(id, new String[] {rs.getString("purchase_id"), rs.getString("reverses"), rs.getString("currency")});
                        ats.put(id, getInstant(rs, "at"));
                    }
                }
            }
            Map<String, List<Entry>> entries = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT e.transaction_id, e.account, e.amount FROM ledger_entries e"
                    + " JOIN ledger_transactions t ON t.id = e.transaction_id" + where + " ORDER BY t.seq, e.line")) {
                if (value != null) ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new Entry(new LedgerAccount(rs.getString(2)), rs.getLong(3)));
                    }
                }
            }
            List<LedgerTransaction> out = new ArrayList<>(kinds.size());
            for (var k : kinds.entrySet()) {
                String[] f = facts.get(k.getKey());
                // The constructor checks the balance again: an unbalanced transaction read back is an error, not a number.
                out.add(new LedgerTransaction(k.getKey(), k.getValue(), f[0], f[1], f[2], ats.get(k.getKey()),
                        entries.getOrDefault(k.getKey(), List.of())));
            }
            return out;
        });
    }
}
