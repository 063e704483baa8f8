package org.salotto.rooms.store.jdbc;

import static org.salotto.rooms.store.jdbc.Columns.getInstant;
import static org.salotto.rooms.store.jdbc.Columns.setInstant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.salotto.rooms.store.JoinKeyStore;
import org.salotto.rooms.store.SigningKey;

/** The join-token keys' tables (V8__join_token_keys.sql). */
final class JoinKeyTables implements JoinKeyStore {
    private static final String COLUMNS = "id, account_id, name, public_key, created_at";

    private final Transactions db;

    JoinKeyTables(Transactions db) {
        this.db = db;
    }

    @Override
    public void sealApiKeySecret(String apiKeyId, byte[] sealed) {
        db.update("seal the secret of API key " + apiKeyId, "UPDATE api_keys SET secret_sealed = ? WHERE id = ?", ps -> {
            ps.setBytes(1, sealed);
            ps.setString(2, apiKeyId);
        });
    }

    @Override
    public Optional<byte[]> sealedApiKeySecret(String apiKeyId) {
        return db.queryOne("read the sealed secret of API key " + apiKeyId,
                "SELECT secret_sealed FROM api_keys WHERE id = ?", ps -> ps.setString(1, apiKeyId),
                rs -> rs.getBytes("secret_sealed")).filter(b -> b != null);
    }

    @Override
    public void createSigningKey(SigningKey key) {
        db.update("create signing key " + key.id(), "INSERT INTO signing_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, key.id());
            ps.setLong(2, key.accountId());
            ps.setString(3, key.name());
            ps.setBytes(4, key.publicKey());
            setInstant(ps, 5, key.createdAt());
        });
    }

    @Override
    public Optional<SigningKey> signingKey(String id) {
        return db.queryOne("read signing key " + id, "SELECT " + COLUMNS + " FROM signing_keys WHERE id = ?",
                ps -> ps.setString(1, id), JoinKeyTables::signingKey);
    }

    @Override
    public List<SigningKey> signingKeysOf(long accountId) {
        return db.queryList("list signing keys of account " + accountId,
                "SELECT " + COLUMNS + " FROM signing_keys WHERE account_id = ? ORDER BY created_at, id",
                ps -> ps.setLong(1, accountId), JoinKeyTables::signingKey);
    }

    @Override
    public boolean deleteSigningKey(String id, long accountId) {
        return db.update("delete signing key " + id, "DELETE FROM signing_keys WHERE id = ? AND account_id = ?", ps -> {
            ps.setString(1, id);
            ps.setLong(2, accountId);
        }) > 0;
    }

    private static SigningKey signingKey(ResultSet rs) throws SQLException {
        return new SigningKey(rs.getString("id"), rs.getLong("account_id"), rs.getString("name"), rs.getBytes("public_key"),
                getInstant(rs, "created_at"));
    }
}
