package org.salotto.rooms.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.salotto.rooms.Grants;
import org.salotto.rooms.Names;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.auth.Tokens.JoinGrant;
import org.salotto.rooms.store.Identities;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * Reads a join token an application minted: a JWT (RFC 7519) in compact serialization (RFC 7515 section 7.1), signed
 * with HS256 (RFC 7518 section 3.2, the API key's secret) or EdDSA (RFC 8037, Ed25519, a registered public key). Only
 * these two algorithms are taken, each with a key of its own type only (RFC 8725 sections 3.1 and 3.2): {@code none},
 * HS384, RS256, an HS256 token naming a signing key and an EdDSA token naming an API key are all refused. The
 * signature is checked before any claim is believed.
 */
final class JoinJwt {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final int MAX_SUB = 128;
    private static final int MAX_METADATA_BYTES = 1024;

    private JoinJwt() {
    }

    static JoinGrant read(String token, JoinKeys keys, long now) throws RoomException {
        if (token == null || token.length() > Tokens.MAX_TOKEN_LENGTH) throw invalid("it is longer than 4 KiB");
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) throw invalid("it is not a compact JWT");
        JsonNode header = object(token.substring(0, first), "header");
        String alg = text(header, "alg");
        String kid = text(header, "kid");
        if (alg == null) throw invalid("its header has no 'alg'");
        if (!alg.equals("HS256") && !alg.equals("EdDSA")) {
            throw invalid("'alg' " + (alg.length() > 16 ? alg.substring(0, 16) + "..." : alg) + " is not allowed: sign with HS256 or EdDSA");
        }
        if (header.has("crit")) throw invalid("its header has 'crit' extensions, which are not understood");
        if (kid == null || kid.isEmpty() || kid.length() > 64) throw invalid("its header has no 'kid' naming the key");
        byte[] signingInput = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(token.substring(second + 1), "signature");
        long accountId;
        if (alg.equals("HS256")) {
            JoinKeys.Hmac key = kid.startsWith("ed_") ? null : keys.apiKey(kid);
            if (key == null) throw invalid("'kid' is no API key of Salotto's (unknown, or deleted; HS256 is signed with an API key's secret)");
            if (key.secret() == null) {
                throw invalid("API key " + kid + " was made before offline tokens and cannot verify them: make a new API key");
            }
            if (!MessageDigest.isEqual(hmacSha256(key.secret(), signingInput), signature)) throw invalid("its signature is wrong");
            accountId = key.accountId();
        } else {
            JoinKeys.Ed25519 key = kid.startsWith("ed_") ? keys.signingKey(kid) : null;
            if (key == null) throw invalid("'kid' is no registered signing key (unknown, or deleted; EdDSA is signed with a registered Ed25519 key)");
            if (!ed25519Verifies(key, signingInput, signature)) throw invalid("its signature is wrong");
            accountId = key.accountId();
        }
        JsonNode claims = object(token.substring(first + 1, second), "payload");
        String iss = text(claims, "iss");
        if (iss != null && !iss.equals(kid)) throw invalid("'iss' is not the key id of the header");
        Long exp = seconds(claims, "exp");
        if (exp == null) throw invalid("it has no 'exp'");
        Long nbf = seconds(claims, "nbf");
        seconds(claims, "iat");
        if (exp <= now) throw new RoomException(ErrorCode.TOKEN_EXPIRED, "the join token has expired: mint a new one");
        if (nbf != null && nbf > now) {
            throw new RoomException(ErrorCode.TOKEN_NOT_YET_VALID, "the join token is valid only from " + nbf + " (its 'nbf')");
        }
        if (exp - Math.max(now, nbf == null ? now : nbf) > Tokens.MAX_APP_TOKEN_LIFETIME.toSeconds()) {
            throw invalid("'exp' is more than 24 hours after 'nbf' (or now): a join token is short-lived");
        }
        String sub = text(claims, "sub");
        if (sub == null || sub.isEmpty() || sub.length() > MAX_SUB || !sub.codePoints().noneMatch(Character::isISOControl)) {
            throw invalid("'sub' must be 1 to 128 characters without control characters");
        }
        String room = text(claims, "room");
        if (room == null || room.isEmpty() || room.length() > 64) throw invalid("'room' must name the room");
        String name;
        try {
            name = Names.displayName(claims.has("name") ? text(claims, "name") : sub);
        } catch (RoomException e) {
            throw invalid("'name': " + e.getMessage());
        }
        String metadata = null;
        if (claims.has("metadata")) {
            metadata = text(claims, "metadata");
            if (metadata == null || metadata.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
                throw invalid("'metadata' must be a string of at most 1 KiB");
            }
        }
        String jti = null;
        if (claims.has("jti")) {
            jti = text(claims, "jti");
            if (jti == null || jti.isEmpty() || jti.length() > 128) throw invalid("'jti' must be 1 to 128 characters");
        }
        Grants grants = grants(claims.get("grants"));
        return new JoinGrant(room, Identities.app(kid, sub), name, exp, jti, grants, metadata, accountId);
    }

    private static Grants grants(JsonNode g) throws RoomException {
        if (g == null) return new Grants(Set.of(), true, false, false, null);
        if (!g.isObject()) throw invalid("'grants' must be an object");
        for (Iterator<String> names = g.fieldNames(); names.hasNext(); ) {
            String n = names.next();
            if (!Set.of("join", "publish", "subscribe", "admin", "hidden", "role").contains(n)) {
                throw invalid("'grants' has an unknown grant '" + (n.length() > 32 ? n.substring(0, 32) : n) + "'");
            }
        }
        if (!flag(g, "join", true)) throw invalid("it does not grant 'join'");
        Set<Grants.Source> publish = EnumSet.noneOf(Grants.Source.class);
        JsonNode p = g.get("publish");
        if (p != null && !p.isNull()) {
            if (!p.isArray()) throw invalid("'grants.publish' must be a list of camera, microphone, screen");
            for (JsonNode s : p) {
                Grants.Source source = s.isTextual() ? Grants.Source.ofGrant(s.asText()) : null;
                if (source == null) throw invalid("'grants.publish' has a source other than camera, microphone, screen");
                publish.add(source);
            }
        }
        String role = null;
        if (g.has("role")) {
            role = text(g, "role");
            if (role == null || role.isEmpty() || role.length() > 32) throw invalid("'grants.role' must be a role's name");
            if (role.equals("host")) throw invalid("'grants.role' cannot be host: the host is the room's account");
        }
        return new Grants(publish, flag(g, "subscribe", true), flag(g, "admin", false), flag(g, "hidden", false), role);
    }

    private static boolean flag(JsonNode g, String name, boolean absent) throws RoomException {
        JsonNode v = g.get(name);
        if (v == null || v.isNull()) return absent;
        if (!v.isBoolean()) throw invalid("'grants." + name + "' must be true or false");
        return v.booleanValue();
    }

    private static JsonNode object(String part, String what) throws RoomException {
        byte[] bytes = decode(part, what);
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) throw invalid("its " + what + " is not a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw invalid("its " + what + " is not JSON");
        } catch (java.io.IOException e) {
            throw invalid("its " + what + " cannot be read");
        }
    }

    private static byte[] decode(String part, String what) throws RoomException {
        if (part.indexOf('=') >= 0 || part.indexOf('+') >= 0 || part.indexOf('/') >= 0) {
            throw invalid("its " + what + " is not unpadded base64url");
        }
        try {
            return B64.decode(part);
        } catch (IllegalArgumentException e) {
            throw invalid("its " + what + " is not base64url");
        }
    }

    /** A string claim, null if absent; a claim of another type is refused. */
    private static String text(JsonNode n, String name) throws RoomException {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw invalid("'" + name + "' must be a string");
        return v.asText();
    }

    /** A NumericDate claim (RFC 7519 section 2), in whole seconds; null if absent. */
    private static Long seconds(JsonNode n, String name) throws RoomException {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber() || !v.canConvertToLong()) throw invalid("'" + name + "' must be a number of seconds");
        return v.asLong();
    }

    private static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static boolean ed25519Verifies(JoinKeys.Ed25519 key, byte[] data, byte[] signature) {
        if (signature.length != 64) return false;
        try {
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(key.key());
            v.update(data);
            return v.verify(signature);
        } catch (java.security.SignatureException | java.security.InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    private static RoomException invalid(String why) {
        return new RoomException(ErrorCode.INVALID_TOKEN, "the join token is not valid: " + why);
    }
}
