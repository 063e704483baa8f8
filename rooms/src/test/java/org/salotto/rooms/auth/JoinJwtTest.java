package org.salotto.rooms.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.Grants;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * Join tokens an application mints (docs/api.md, "Join tokens"): each refusal the contract names, with its code, and
 * the grants read exactly. Tokens are built here byte by byte, as an application would, with the JDK alone.
 */
class JoinJwtTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "sk_AbCdEfGhIjKl_" + "x".repeat(43);
    private static final String API_KEY_ID = "AbCdEfGhIjKl";
    private static final String OLD_KEY_ID = "OldOldOldOld";
    private static final String ED_KEY_ID = "ed_AAAAAAAAAAAA";
    private static final long ACCOUNT = 7;

    private final TokensTest.MovableClock clock = new TokensTest.MovableClock();
    private final KeyPair ed25519 = ed25519();
    private final JoinKeys keys = new JoinKeys() {
        @Override
        public Hmac apiKey(String id) {
            if (id.equals(API_KEY_ID)) return new Hmac(ACCOUNT, API_KEY.getBytes(StandardCharsets.UTF_8));
            if (id.equals(OLD_KEY_ID)) return new Hmac(ACCOUNT, null);
            return null;
        }

        @Override
        public Ed25519 signingKey(String id) {
            return id.equals(ED_KEY_ID) ? new Ed25519(ACCOUNT, ed25519.getPublic()) : null;
        }
    };
    private final Tokens tokens = new Tokens(new TokenSigner(new byte[32]), clock, Duration.ofDays(30), k -> true, keys);

    private long now() {
        return clock.now.getEpochSecond();
    }

    private ObjectNode header(String alg, String kid) {
        ObjectNode h = JSON.createObjectNode().put("alg", alg).put("typ", "JWT");
        if (kid != null) h.put("kid", kid);
        return h;
    }

    private ObjectNode claims() {
        ObjectNode c = JSON.createObjectNode().put("sub", "user-7").put("room", "room1").put("name", "Seven")
                .put("exp", now() + 600);
        c.putObject("grants").put("join", true).putArray("publish").add("microphone");
        return c;
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String input(ObjectNode header, ObjectNode claims) {
        return b64(header.toString().getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String hs256(String key, ObjectNode header, ObjectNode claims) throws Exception {
        String input = input(header, claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private String eddsa(ObjectNode header, ObjectNode claims) throws Exception {
        String input = input(header, claims);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(ed25519.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(s.sign());
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private ErrorCode refusal(String token) {
        return assertThrows(RoomException.class, () -> tokens.redeemJoinToken(token)).errorCode();
    }

    @Test
    void anHs256TokenSignedWithTheApiKeyGrantsExactlyWhatItSays() throws Exception {
        ObjectNode c = claims().put("metadata", "{\"team\":\"blue\"}");
        ((ObjectNode) c.get("grants")).put("subscribe", false).put("admin", true).put("role", "speaker");
        Tokens.JoinGrant g = tokens.redeemJoinToken(hs256(API_KEY, header("HS256", API_KEY_ID), c));
        assertEquals("room1", g.roomId());
        assertEquals("k:" + API_KEY_ID + ":user-7", g.identity());
        assertEquals("Seven", g.displayName());
        assertEquals("{\"team\":\"blue\"}", g.metadata());
        assertEquals(ACCOUNT, g.issuerAccountId());
        assertEquals(new Grants(Set.of(Grants.Source.MICROPHONE), false, true, false, "speaker"), g.grants());
    }

    @Test
    void anEdDsaTokenSignedWithTheRegisteredKeyJoins() throws Exception {
        Tokens.JoinGrant g = tokens.redeemJoinToken(eddsa(header("EdDSA", ED_KEY_ID), claims()));
        assertEquals("k:" + ED_KEY_ID + ":user-7", g.identity());
        assertEquals(Set.of(Grants.Source.MICROPHONE), g.grants().publish());
        assertTrue(g.grants().subscribe(), "subscribe is granted by default");
    }

    @Test
    void withoutGrantsATokenJoinsAndSubscribesOnly() throws Exception {
        ObjectNode c = claims();
        c.remove("grants");
        Grants g = tokens.readJoinJwt(hs256(API_KEY, header("HS256", API_KEY_ID), c)).grants();
        assertEquals(new Grants(Set.of(), true, false, false, null), g);
        assertTrue(g.publishRefusal("mic") != null && g.publishRefusal("camera") != null && g.publishRefusal("screen") != null);
    }

    @Test
    void algorithmsOtherThanHs256AndEdDsaAreRefused() throws Exception {
        String input = input(header("none", API_KEY_ID), claims());
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(input + "."), "alg none, no signature");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(input + "." + b64(new byte[32])), "alg none, any signature");
        for (String alg : new String[] {"HS384", "HS512", "RS256", "ES256", "hs256", "NONE"}) {
            assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY, header(alg, API_KEY_ID), claims())), alg);
        }
    }

    @Test
    void aKeyOfTheOtherTypeIsRefused() throws Exception {
        // HS256 naming the signing key, keyed with its public key's bytes (the classic algorithm confusion).
        String pub = new String(ed25519.getPublic().getEncoded(), StandardCharsets.ISO_8859_1);
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(pub, header("HS256", ED_KEY_ID), claims())));
        // EdDSA naming the API key.
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(eddsa(header("EdDSA", API_KEY_ID), claims())));
        // Unknown keys, and no kid.
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY, header("HS256", "Nobody123456"), claims())));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY, header("HS256", null), claims())));
    }

    @Test
    void aWrongSignatureOrATamperedClaimIsRefused() throws Exception {
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY.replace('x', 'y'), header("HS256", API_KEY_ID), claims())));
        String good = hs256(API_KEY, header("HS256", API_KEY_ID), claims());
        String[] parts = good.split("\\.");
        ObjectNode more = claims();
        ((ObjectNode) more.get("grants")).putArray("publish").add("camera").add("microphone");
        String forged = parts[0] + "." + b64(more.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(forged), "grants widened after signing");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(good + "="), "padding");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(good + ".x"), "four parts");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal("e" + "x".repeat(5000) + ".a.b"), "over 4 KiB");
    }

    @Test
    void expiryNotBeforeAndLifetime() throws Exception {
        assertEquals(ErrorCode.TOKEN_EXPIRED, refusal(hs256(API_KEY, header("HS256", API_KEY_ID), claims().put("exp", now()))));
        assertEquals(ErrorCode.TOKEN_NOT_YET_VALID,
                refusal(hs256(API_KEY, header("HS256", API_KEY_ID), claims().put("nbf", now() + 60))));
        ObjectNode noExp = claims();
        noExp.remove("exp");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY, header("HS256", API_KEY_ID), noExp)));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY, header("HS256", API_KEY_ID),
                claims().put("exp", now() + Duration.ofHours(24).toSeconds() + 1))), "more than 24 h");
        tokens.redeemJoinToken(hs256(API_KEY, header("HS256", API_KEY_ID), claims()
                .put("nbf", now() - 10).put("exp", now() + Duration.ofHours(24).toSeconds() - 10)));
        String later = hs256(API_KEY, header("HS256", API_KEY_ID), claims().put("exp", now() + 60));
        clock.now = clock.now.plusSeconds(60);
        assertEquals(ErrorCode.TOKEN_EXPIRED, refusal(later), "expired by the clock");
    }

    @Test
    void aJtiIsSpentByItsFirstJoinAndATokenWithoutOneIsNot() throws Exception {
        String once = hs256(API_KEY, header("HS256", API_KEY_ID), claims().put("jti", "t-1"));
        tokens.redeemJoinToken(once);
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(once));
        String again = hs256(API_KEY, header("HS256", API_KEY_ID), claims());
        tokens.redeemJoinToken(again);
        tokens.redeemJoinToken(again);
    }

    @Test
    void badClaimsAndGrantsAreRefused() throws Exception {
        ObjectNode[] bad = {
            claims().put("sub", ""), claims().put("sub", "x".repeat(129)), claims().put("sub", "a\u0000b"),
            claims().put("metadata", "m".repeat(1025)), claims().put("iss", "someone-else"), claims().put("exp", "soon"),
            claims().put("name", "Pаypal"), // Latin and Cyrillic mixed
        };
        for (ObjectNode c : bad) assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY, header("HS256", API_KEY_ID), c)), c.toString());
        String[] grants = {"{\"join\":false}", "{\"publish\":[\"speaker\"]}", "{\"publish\":\"camera\"}", "{\"admin\":\"yes\"}",
            "{\"role\":\"host\"}", "{\"record\":true}", "[]"};
        for (String g : grants) {
            ObjectNode c = claims();
            c.set("grants", JSON.readTree(g));
            assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY, header("HS256", API_KEY_ID), c)), g);
        }
        ObjectNode noRoom = claims();
        noRoom.remove("room");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY, header("HS256", API_KEY_ID), noRoom)));
        ObjectNode crit = header("HS256", API_KEY_ID);
        crit.putArray("crit").add("exp");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(hs256(API_KEY, crit, claims())));
    }

    /**
     * A parser facing the network: random mutations of valid tokens (HS256 and EdDSA) are refused with a
     * {@link RoomException} or read as exactly what was signed, never another exception. Seeded, so a failure
     * reproduces.
     */
    @Test
    void mutatedTokensAreRefusedOrReadAsSigned() throws Exception {
        String[] pieces = {".", "..", "=", "-", "_", "+", "/", "\u0000", "\u20ac", "A", "eyJ", "e30", "%00", " ", "9".repeat(40),
            "eyJhbGciOiJub25lIn0", "eyJhbGciOiJIUzI1NiIsImtpZCI6ImVkX0FBQUFBQUFBQUFBQSJ9"};
        List<String> originals = List.of(hs256(API_KEY, header("HS256", API_KEY_ID), claims()),
                eddsa(header("EdDSA", ED_KEY_ID), claims().put("metadata", "m")));
        SplittableRandom random = new SplittableRandom(0x6a77L);
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            String original = originals.get(random.nextInt(originals.size()));
            String input = original;
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                int at = random.nextInt(input.length() + 1);
                String piece = pieces[random.nextInt(pieces.length)];
                input = switch (random.nextInt(5)) {
                    case 0 -> input.substring(0, at) + input.substring(Math.min(input.length(), at + 1 + random.nextInt(8)));
                    case 1 -> input.substring(0, at) + piece + input.substring(at);
                    case 2 -> at < input.length()
                            ? input.substring(0, at) + (char) (input.charAt(at) ^ (1 << random.nextInt(7))) + input.substring(at + 1)
                            : input + piece;
                    case 3 -> input.substring(0, at);
                    default -> input + input.substring(at);
                };
            }
            try {
                assertEquals(tokens.readJoinJwt(original), tokens.readJoinJwt(input), "a mutated token read as another grant: " + input);
            } catch (RoomException expected) {
                refused++;
            } catch (RuntimeException e) {
                throw new AssertionError("readJoinJwt threw " + e + " on input #" + i + ": " + input, e);
            }
        }
        assertTrue(refused > 10_000, "the mutations reach the checks: " + refused);
    }

    @Test
    void aKeyMadeBeforeSecretsWereKeptCannotVerify() throws Exception {
        RoomException e = assertThrows(RoomException.class,
                () -> tokens.redeemJoinToken(hs256("sk_" + OLD_KEY_ID + "_whatever", header("HS256", OLD_KEY_ID), claims())));
        assertEquals(ErrorCode.INVALID_TOKEN, e.errorCode());
        assertTrue(e.getMessage().contains("make a new API key"), e.getMessage());
    }

    @Test
    void theServersOwnJwtReadsBackWithItsGrants() throws Exception {
        Grants g = new Grants(Set.of(Grants.Source.CAMERA, Grants.Source.SCREEN), true, false, true, null);
        String t = tokens.appJoinJwt(API_KEY_ID, API_KEY.getBytes(StandardCharsets.UTF_8), "room1", "u", "You", g, "meta",
                Duration.ofMinutes(5));
        Tokens.JoinGrant read = tokens.redeemJoinToken(t);
        assertEquals(g, read.grants());
        assertEquals("meta", read.metadata());
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(t), "spent by its first join (it has a jti)");
    }

    @Test
    void theSealOpensOnlyForItsNameAndKey() {
        SecretSeal seal = new SecretSeal(new byte[32]);
        byte[] sealed = seal.seal("key1", API_KEY.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(API_KEY.getBytes(StandardCharsets.UTF_8), seal.open("key1", sealed));
        assertNull(seal.open("key2", sealed), "moved to another key's row");
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertNull(new SecretSeal(otherKey).open("key1", sealed), "another server's seal");
        sealed[sealed.length - 1] ^= 1;
        assertNull(seal.open("key1", sealed), "tampered");
        assertFalse(new String(seal.seal("key1", API_KEY.getBytes(StandardCharsets.UTF_8)), StandardCharsets.ISO_8859_1).contains("xxxx"));
    }

    @Test
    void aPublicKeyIsTakenAsRawBase64urlOrPem() throws Exception {
        byte[] der = ed25519.getPublic().getEncoded();
        byte[] raw = java.util.Arrays.copyOfRange(der, 12, 44);
        assertArrayEquals(raw, StoredJoinKeys.rawPublicKey(b64(raw)));
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        assertArrayEquals(raw, StoredJoinKeys.rawPublicKey(pem));
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String rsaPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(RoomException.class, () -> StoredJoinKeys.rawPublicKey(rsaPem)).errorCode());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(RoomException.class, () -> StoredJoinKeys.rawPublicKey(b64(new byte[31]))).errorCode());
    }
}
