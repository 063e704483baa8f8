package org.salotto.rooms.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.salotto.rooms.Names;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.store.SigningKey;
import org.salotto.rooms.store.Store;

/**
 * The join-token keys in the database: API key secrets sealed with {@link SecretSeal} (kept from the key's creation on,
 * V8), and the Ed25519 public keys accounts register ({@code POST /api/me/signing-keys}).
 */
public final class StoredJoinKeys implements JoinKeys {
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4), before the raw 32 bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** Signing keys an account may have at once. */
    public static final int MAX_SIGNING_KEYS = 20;

    private final Store store;
    private final SecretSeal seal;
    private final Clock clock;

    public StoredJoinKeys(Store store, SecretSeal seal, Clock clock) {
        this.store = store;
        this.seal = seal;
        this.clock = clock;
    }

    /** Keeps the secret of a new API key (its whole {@code sk_...} text), sealed, so it can verify HS256 tokens. */
    public void keepApiKeySecret(String apiKeyId, String keyText) {
        store.joinKeys().sealApiKeySecret(apiKeyId, seal.seal(apiKeyId, keyText.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Hmac apiKey(String id) {
        var key = store.apiKey(id);
        if (key.isEmpty()) return null;
        byte[] secret = store.joinKeys().sealedApiKeySecret(id).map(s -> seal.open(id, s)).orElse(null);
        return new Hmac(key.get().accountId(), secret);
    }

    @Override
    public Ed25519 signingKey(String id) {
        if (!id.startsWith("ed_")) return null;
        return store.joinKeys().signingKey(id).map(k -> new Ed25519(k.accountId(), publicKey(k.publicKey()))).orElse(null);
    }

    /** Registers an Ed25519 public key: base64url of the raw 32 bytes, or a PEM "PUBLIC KEY" (SubjectPublicKeyInfo). */
    public SigningKey register(long accountId, String name, String publicKeyText) throws RoomException {
        String keyName = Names.displayName(name);
        byte[] raw = rawPublicKey(publicKeyText);
        if (store.joinKeys().signingKeysOf(accountId).size() >= MAX_SIGNING_KEYS) {
            throw RoomException.badRequest("an account has at most " + MAX_SIGNING_KEYS + " signing keys: delete one first");
        }
        StringBuilder id = new StringBuilder("ed_");
        for (int i = 0; i < 12; i++) id.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        SigningKey key = new SigningKey(id.toString(), accountId, keyName, raw, clock.instant());
        store.joinKeys().createSigningKey(key);
        return key;
    }

    public List<SigningKey> signingKeys(long accountId) {
        return store.joinKeys().signingKeysOf(accountId);
    }

    public boolean delete(long accountId, String id) {
        return store.joinKeys().deleteSigningKey(id, accountId);
    }

    static byte[] rawPublicKey(String text) throws RoomException {
        if (text == null || text.length() > 1024) {
            throw RoomException.badRequest("'publicKey' must be an Ed25519 public key: base64url of its 32 bytes, or PEM");
        }
        byte[] raw;
        try {
            String t = text.strip();
            if (t.startsWith("-----BEGIN PUBLIC KEY-----")) {
                String body = t.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                        .replaceAll("\\s", "");
                byte[] der = Base64.getDecoder().decode(body);
                if (der.length != 44 || !java.util.Arrays.equals(der, 0, 12, ED25519_SPKI_PREFIX, 0, 12)) {
                    throw RoomException.badRequest("'publicKey' is a PEM key but not an Ed25519 one");
                }
                raw = java.util.Arrays.copyOfRange(der, 12, 44);
            } else {
                raw = Base64.getUrlDecoder().decode(t.replace('+', '-').replace('/', '_').replace("=", ""));
            }
        } catch (IllegalArgumentException e) {
            throw RoomException.badRequest("'publicKey' is neither base64url nor PEM");
        }
        if (raw.length != 32) throw RoomException.badRequest("'publicKey' must be the 32 bytes of an Ed25519 public key");
        publicKey(raw); // refuses what the JDK cannot read as a key
        return raw;
    }

    static PublicKey publicKey(byte[] raw) {
        byte[] der = new byte[44];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, 12);
        System.arraycopy(raw, 0, der, 12, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }
}
