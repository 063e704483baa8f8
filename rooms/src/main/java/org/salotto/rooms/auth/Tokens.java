package org.salotto.rooms.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.salotto.rooms.Grants;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.store.Identities;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * The two signed tokens of Salotto.
 *
 * <ul>
 * <li>A <b>guest token</b> ({@code g2.<guest id>.<expiry>.<sig>}, expiry in epoch seconds) stays in the guest's
 *     browser, so the server knows the same guest again: a removed guest stays out whatever name they type next. It
 *     lasts {@code rooms.guest-token-ttl}; the older {@code g1} tokens, which never expired, are refused.</li>
 * <li>A <b>join token</b> ({@code j1.<base64url JSON>.<sig>}) says who may join which room under which name, for a
 *     short time. The HTTP API gives one to a person (or to an application, for its users); the WebSocket's
 *     {@code join} frame presents it, once: {@link #redeemJoinToken} remembers its random id ({@code jti}) until it
 *     expires, and refuses an application's token once the API key that made it is deleted.</li>
 * </ul>
 */
public final class Tokens {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What a join token grants. {@code expiresAt} in epoch seconds; {@code id} the token's own id (jti), or null for an
     * application's token without one; {@code metadata} the application's text about this person (or null);
     * {@code issuerAccountId} the account whose key signed an application's token, -1 for the server's own tokens.
     */
    public record JoinGrant(String roomId, String identity, String displayName, long expiresAt, String id, Grants grants,
                            String metadata, long issuerAccountId) {

        /** A grant of the server's own join tokens: what the room's kind and role allow. */
        public JoinGrant(String roomId, String identity, String displayName, long expiresAt, String id) {
            this(roomId, identity, displayName, expiresAt, id, Grants.FULL, null, -1);
        }
    }

    /** The longest a join token an application mints may live: {@code exp} at most this after {@code nbf} or now. */
    public static final Duration MAX_APP_TOKEN_LIFETIME = Duration.ofHours(24);
    /** The most characters of a join token, whatever its kind. */
    public static final int MAX_TOKEN_LENGTH = 4096;

    private final TokenSigner signer;
    private final Clock clock;
    private final Duration guestTtl;
    /** Whether an API key (by id) still exists: an application's join token dies with its key. */
    private final Predicate<String> apiKeyExists;
    /** The ids of join tokens already presented, each with its expiry (epoch seconds), kept until then. */
    private final ConcurrentHashMap<String, Long> redeemed = new ConcurrentHashMap<>();
    private final JoinKeys keys;

    /** Tokens whose guest tokens last {@code guestTtl}; every API key counts as existing (tests of the format). */
    public Tokens(TokenSigner signer, Clock clock) {
        this(signer, clock, Duration.ofDays(30), keyId -> true, JoinKeys.NONE);
    }

    public Tokens(TokenSigner signer, Clock clock, Duration guestTtl, Predicate<String> apiKeyExists) {
        this(signer, clock, guestTtl, apiKeyExists, JoinKeys.NONE);
    }

    /** @param keys the keys of the join tokens applications mint offline (JWTs) */
    public Tokens(TokenSigner signer, Clock clock, Duration guestTtl, Predicate<String> apiKeyExists, JoinKeys keys) {
        this.keys = keys;
        this.signer = signer;
        this.clock = clock;
        this.guestTtl = guestTtl;
        this.apiKeyExists = apiKeyExists;
    }

    public String newGuestToken() {
        byte[] id = new byte[15];
        RANDOM.nextBytes(id);
        return signer.sign("g2." + TokenSigner.base64url(id) + "." + clock.instant().plus(guestTtl).getEpochSecond());
    }

    /** The guest id in a guest token, or null if the token is not one of ours or has expired. */
    public String guestId(String token) {
        String payload = signer.verify(token);
        if (payload == null || !payload.startsWith("g2.")) return null;
        int dot = payload.indexOf('.', 3);
        if (dot < 0) return null;
        String id = payload.substring(3, dot);
        long expiresAt;
        try {
            expiresAt = Long.parseLong(payload.substring(dot + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (expiresAt <= clock.instant().getEpochSecond()) return null;
        return id.length() == 20 && id.chars().allMatch(Tokens::isBase64url) ? id : null;
    }

    public String joinToken(String roomId, String identity, String displayName, Duration ttl) {
        byte[] jti = new byte[12];
        RANDOM.nextBytes(jti);
        ObjectNode n = JSON.createObjectNode();
        n.put("room", roomId);
        n.put("sub", identity);
        n.put("name", displayName);
        n.put("exp", clock.instant().plus(ttl).getEpochSecond());
        n.put("jti", TokenSigner.base64url(jti));
        byte[] body = n.toString().getBytes(StandardCharsets.UTF_8);
        return signer.sign("j1." + TokenSigner.base64url(body));
    }

    /** The grant of a join token that is ours and has not expired. */
    public JoinGrant readJoinToken(String token) throws RoomException {
        String payload = signer.verify(token);
        if (payload == null || !payload.startsWith("j1.")) {
            throw new RoomException(ErrorCode.INVALID_TOKEN, "the join token is not valid: ask for a new one");
        }
        try {
            JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(payload.substring(3)));
            JoinGrant g = new JoinGrant(n.get("room").asText(), n.get("sub").asText(), n.get("name").asText(),
                    n.get("exp").asLong(), n.get("jti").asText());
            if (g.expiresAt() < clock.instant().getEpochSecond()) {
                throw new RoomException(ErrorCode.INVALID_TOKEN, "the join token has expired: ask for a new one");
            }
            return g;
        } catch (java.io.IOException | IllegalArgumentException | NullPointerException e) {
            // Only we sign these, so this is a bug or a stolen key; refuse either way.
            throw new RoomException(ErrorCode.INVALID_TOKEN, "the join token is not valid: ask for a new one");
        }
    }

    /**
     * The grant of a join token presented to join a room: valid as {@link #readJoinToken} says, never presented
     * before, and, for an application's user, made by an API key that still exists. Once redeemed, the token is
     * spent, whether the join then succeeds or not: a token copied from a page or a log cannot be replayed.
     */
    public JoinGrant redeemJoinToken(String token) throws RoomException {
        JoinGrant g = verifyJoinToken(token);
        if (isJwt(token)) {
            // A key id and a jti: two applications (or two keys) cannot spend each other's ids.
            if (g.id() != null && redeemed.putIfAbsent("jwt " + Identities.apiKeyId(g.identity()) + " " + g.id(), g.expiresAt()) != null) {
                throw new RoomException(ErrorCode.INVALID_TOKEN, "this join token (jti) was used already: mint a new one");
            }
            return g;
        }
        if (redeemed.putIfAbsent(g.id(), g.expiresAt()) != null) {
            throw new RoomException(ErrorCode.INVALID_TOKEN, "this join token was used already: ask for a new one");
        }
        return g;
    }

    /**
     * The grant of a join token, checked as {@link #redeemJoinToken} checks it but not spent here: a join another
     * node of a cluster redeemed and forwards to the room's owner (docs/scale.md "Audience relayed across nodes"), so
     * that the person may still bring the same token to the owner once (when they are brought on stage).
     */
    public JoinGrant verifyJoinToken(String token) throws RoomException {
        if (isJwt(token)) return readJoinJwt(token);
        JoinGrant g = readJoinToken(token);
        String keyId = Identities.apiKeyId(g.identity());
        if (keyId != null && !apiKeyExists.test(keyId)) {
            throw new RoomException(ErrorCode.INVALID_TOKEN, "the API key that made this join token was deleted");
        }
        return g;
    }

    private static boolean isJwt(String token) {
        return token != null && !token.startsWith("j1.") && token.chars().filter(ch -> ch == '.').count() == 2;
    }

    /**
     * The grant of a join token an application minted (a JWT, docs/api.md "Join tokens"), checked: its {@code alg} is
     * HS256 or EdDSA, its {@code kid} names a key of that type, its signature is right, it has not expired and is
     * already valid, it lives at most {@link #MAX_APP_TOKEN_LIFETIME}, and its claims are well formed. Does not spend
     * its {@code jti} ({@link #redeemJoinToken} does) and does not check the room (the caller knows which room it is
     * for: {@code wrong_room}, and that the key's account hosts it). The one verification of an application's token:
     * WebSocket joins and WHIP/WHEP bearers alike.
     *
     * @throws RoomException {@code invalid_token}, {@code token_expired} or {@code token_not_yet_valid}
     */
    public JoinGrant readJoinJwt(String token) throws RoomException {
        return JoinJwt.read(token, keys, clock.instant().getEpochSecond());
    }

    /**
     * A join token as an application would mint it (docs/api.md "Join tokens"): a JWT signed with HS256 under the API
     * key's secret, with a random {@code jti} (spent at the first join). What {@code POST /api/rooms/{id}/tokens} answers.
     */
    public String appJoinJwt(String apiKeyId, byte[] secret, String roomId, String sub, String name, Grants grants,
                             String metadata, Duration ttl) {
        byte[] jti = new byte[12];
        RANDOM.nextBytes(jti);
        long now = clock.instant().getEpochSecond();
        ObjectNode header = JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT").put("kid", apiKeyId);
        ObjectNode claims = JSON.createObjectNode().put("iss", apiKeyId).put("sub", sub).put("room", roomId)
                .put("iat", now).put("exp", now + ttl.toSeconds()).put("jti", TokenSigner.base64url(jti));
        if (name != null) claims.put("name", name);
        if (metadata != null) claims.put("metadata", metadata);
        ObjectNode g = claims.putObject("grants");
        g.put("join", true);
        var publish = g.putArray("publish");
        for (Grants.Source s : Grants.Source.values()) if (grants.publish().contains(s)) publish.add(s.grantName());
        g.put("subscribe", grants.subscribe()).put("admin", grants.admin()).put("hidden", grants.hidden());
        if (grants.role() != null) g.put("role", grants.role());
        String input = TokenSigner.base64url(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + TokenSigner.base64url(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + TokenSigner.base64url(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Forgets the ids of join tokens that have expired (they are refused for that anyway); returns how many. */
    public int forgetExpired() {
        long now = clock.instant().getEpochSecond();
        int before = redeemed.size();
        redeemed.values().removeIf(expiresAt -> expiresAt < now);
        return before - redeemed.size();
    }

    /** How many redeemed join tokens are remembered now. */
    public int redeemedCount() {
        return redeemed.size();
    }

    /**
     * What a resume token names: one participant of one room, and who they are; {@code plain} when the member had
     * the server's own grants ({@link Grants#FULL}, no application metadata) when the token was made.
     */
    public record ResumeGrant(String roomId, String participantId, String identity, boolean plain) {
        public ResumeGrant(String roomId, String participantId, String identity) {
            this(roomId, participantId, identity, true);
        }
    }

    /**
     * A resume token ({@code r1.<base64url JSON>.<sig>}): lets the same person come back as the same participant on a
     * new connection while they are still in the room. It needs no expiry of its own: it is worth nothing once the
     * participant has left, except in the short window after a room changes hands (a node lost, drained, a crash),
     * when the room's new instance takes back the people it does not know (see {@code RoomRuntime#resume}). A member
     * whose grants were an application's ({@code "lim": true}) is not taken back then: the new instance could not
     * know them.
     */
    public String resumeToken(String roomId, String participantId, String identity) {
        return resumeToken(roomId, participantId, identity, true);
    }

    /** As {@link #resumeToken(String, String, String)}; {@code plain} false for a member with an application's grants. */
    public String resumeToken(String roomId, String participantId, String identity, boolean plain) {
        ObjectNode n = JSON.createObjectNode();
        n.put("room", roomId);
        n.put("pid", participantId);
        n.put("sub", identity);
        if (!plain) n.put("lim", true);
        return signer.sign("r1." + TokenSigner.base64url(n.toString().getBytes(StandardCharsets.UTF_8)));
    }

    public ResumeGrant readResumeToken(String token) throws RoomException {
        String payload = signer.verify(token);
        if (payload == null || !payload.startsWith("r1.")) {
            throw new RoomException(ErrorCode.RESUME_FAILED, "the resume token is not valid: join again");
        }
        try {
            JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(payload.substring(3)));
            return new ResumeGrant(n.get("room").asText(), n.get("pid").asText(), n.get("sub").asText(),
                    !n.path("lim").asBoolean(false));
        } catch (java.io.IOException | IllegalArgumentException | NullPointerException e) {
            throw new RoomException(ErrorCode.RESUME_FAILED, "the resume token is not valid: join again");
        }
    }

    private static boolean isBase64url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }
}
