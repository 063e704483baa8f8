package org.salotto.rooms.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * The two signed tokens of Salotto.
 *
 * <ul>
 * <li>A <b>guest token</b> ({@code g1.<guest id>.<sig>}) stays in the guest's browser, so the server knows the same
 *     guest again: a removed guest stays out whatever name they type next. It does not expire.</li>
 * <li>A <b>join token</b> ({@code j1.<base64url JSON>.<sig>}) says who may join which room under which name, for a
 *     short time. The HTTP API gives one to a person (or to an application, for its users); the WebSocket's
 *     {@code join} frame presents it.</li>
 * </ul>
 */
public final class Tokens {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a join token grants. {@code expiresAt} in epoch seconds. */
    public record JoinGrant(String roomId, String identity, String displayName, long expiresAt) {
    }

    private final TokenSigner signer;
    private final Clock clock;

    public Tokens(TokenSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    public String newGuestToken() {
        byte[] id = new byte[15];
        RANDOM.nextBytes(id);
        return signer.sign("g1." + TokenSigner.base64url(id));
    }

    /** The guest id in a guest token, or null if the token is not one of ours. */
    public String guestId(String token) {
        String payload = signer.verify(token);
        if (payload == null || !payload.startsWith("g1.")) return null;
        String id = payload.substring(3);
        return id.length() == 20 && id.chars().allMatch(Tokens::isBase64url) ? id : null;
    }

    public String joinToken(String roomId, String identity, String displayName, Duration ttl) {
        ObjectNode n = JSON.createObjectNode();
        n.put("room", roomId);
        n.put("sub", identity);
        n.put("name", displayName);
        n.put("exp", clock.instant().plus(ttl).getEpochSecond());
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
                    n.get("exp").asLong());
            if (g.expiresAt() < clock.instant().getEpochSecond()) {
                throw new RoomException(ErrorCode.INVALID_TOKEN, "the join token has expired: ask for a new one");
            }
            return g;
        } catch (java.io.IOException | IllegalArgumentException | NullPointerException e) {
            // Only we sign these, so this is a bug or a stolen key; refuse either way.
            throw new RoomException(ErrorCode.INVALID_TOKEN, "the join token is not valid: ask for a new one");
        }
    }

    /** What a resume token names: one participant of one room, and who they are. */
    public record ResumeGrant(String roomId, String participantId, String identity) {
    }

    /**
     * A resume token ({@code r1.<base64url JSON>.<sig>}): lets the same person come back as the same participant on a
     * new connection while they are still in the room. It needs no expiry of its own: it is worth nothing once the
     * participant has left.
     */
    public String resumeToken(String roomId, String participantId, String identity) {
        ObjectNode n = JSON.createObjectNode();
        n.put("room", roomId);
        n.put("pid", participantId);
        n.put("sub", identity);
        return signer.sign("r1." + TokenSigner.base64url(n.toString().getBytes(StandardCharsets.UTF_8)));
    }

    public ResumeGrant readResumeToken(String token) throws RoomException {
        String payload = signer.verify(token);
        if (payload == null || !payload.startsWith("r1.")) {
            throw new RoomException(ErrorCode.RESUME_FAILED, "the resume token is not valid: join again");
        }
        try {
            JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(payload.substring(3)));
            return new ResumeGrant(n.get("room").asText(), n.get("pid").asText(), n.get("sub").asText());
        } catch (java.io.IOException | IllegalArgumentException | NullPointerException e) {
            throw new RoomException(ErrorCode.RESUME_FAILED, "the resume token is not valid: join again");
        }
    }

    private static boolean isBase64url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }
}
