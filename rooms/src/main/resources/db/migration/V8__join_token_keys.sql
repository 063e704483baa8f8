-- Join tokens an application mints offline (issue 14, docs/api.md "Join tokens").
--
-- HS256 tokens are verified with the API key's own secret, so the server keeps it, sealed: AES-256-GCM under a
-- server secret (the secrets table's 'api-key-seal-key'), the key id as associated data. Keys made before this
-- migration have no sealed secret (only its hash was kept): they still call the API, but cannot verify offline
-- tokens; their owner makes a new key.
ALTER TABLE api_keys ADD COLUMN secret_sealed BYTEA;

-- EdDSA tokens are verified with an Ed25519 public key the account registers (the raw 32 bytes of RFC 8032).
CREATE TABLE signing_keys (
    id          VARCHAR(64)              PRIMARY KEY,
    account_id  BIGINT                   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        VARCHAR(200)             NOT NULL,
    public_key  BYTEA                    NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX signing_keys_account_idx ON signing_keys (account_id, created_at);
