package org.salotto.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A join token as an application mints one (docs/api.md, "Join tokens"): a JWT (RFC 7519, compact serialization)
 * signed with HS256 (RFC 7518 §3.2), the HMAC-SHA256 key being the API key's whole text ({@code sk_...}) in UTF-8.
 * JDK only: the server verifies what this writes, the two must not share code.
 */
final class JoinTokenMinter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What the token says.
     *
     * @param publish   sources the bearer may publish: camera, microphone, screen (empty: none)
     * @param role      the room kind's role to take, or null for the kind's default
     * @param name      display name, or null
     * @param metadata  given to everyone in the room with the member, or null
     * @param once      adds a random {@code jti}: the server accepts the token once
     */
    record Claims(String keyId, String identity, String room, String name, String metadata, List<String> publish,
                  boolean subscribe, boolean admin, boolean hidden, String role, Instant issuedAt, Duration ttl,
                  boolean once) {
    }

    private JoinTokenMinter() {
    }

    static String mint(Claims c, String apiKey) {
        ObjectNode header = JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT").put("kid", c.keyId());
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", c.keyId());
        claims.put("sub", c.identity());
        claims.put("room", c.room());
        if (c.name() != null) claims.put("name", c.name());
        if (c.metadata() != null) claims.put("metadata", c.metadata());
        long now = c.issuedAt().getEpochSecond();
        claims.put("iat", now);
        claims.put("exp", now + c.ttl().toSeconds());
        if (c.once()) {
            byte[] id = new byte[16];
            RANDOM.nextBytes(id);
            claims.put("jti", B64URL.encodeToString(id));
        }
        ObjectNode grants = claims.putObject("grants");
        grants.put("join", true);
        ArrayNode publish = grants.putArray("publish");
        c.publish().forEach(publish::add);
        grants.put("subscribe", c.subscribe());
        grants.put("admin", c.admin());
        grants.put("hidden", c.hidden());
        if (c.role() != null) grants.put("role", c.role());
        String signingInput = part(header) + "." + part(claims);
        return signingInput + "." + B64URL.encodeToString(hmacSha256(apiKey, signingInput));
    }

    private static String part(ObjectNode json) {
        try {
            return B64URL.encodeToString(JSON.writeValueAsBytes(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmacSha256(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
