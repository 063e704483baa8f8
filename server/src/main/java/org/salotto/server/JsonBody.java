package org.salotto.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.Messages;

/**
 * The JSON body of an API request, checked at the edge: an object, no field the endpoint does not know, each field of
 * its type. Every failure is a {@code bad_request} that names the field.
 */
final class JsonBody {
    /** The signaling mapper's limits and strictness, and nothing may follow the one JSON value. */
    private static final ObjectReader READER = Messages.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** Parses a body; an empty body is an empty object. Fields outside {@code allowed} are refused. */
    static JsonBody parse(String text, String... allowed) throws RoomException {
        ObjectNode n;
        if (text == null || text.isBlank()) {
            n = Messages.JSON.createObjectNode();
        } else {
            JsonNode tree;
            try {
                tree = READER.readTree(text);
            } catch (JsonProcessingException e) {
                throw RoomException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
            }
            if (tree == null || !tree.isObject()) throw RoomException.badRequest("the body must be a JSON object");
            n = (ObjectNode) tree;
        }
        Set<String> known = Set.of(allowed);
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) throw RoomException.badRequest("unknown field '" + name + "'");
        }
        return new JsonBody(n);
    }

    /** A string field, or null if absent or null. */
    String text(String field, int maxLength) throws RoomException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw RoomException.badRequest("'" + field + "' must be a string");
        if (v.asText().length() > maxLength) {
            throw RoomException.badRequest("'" + field + "' must be at most " + maxLength + " characters");
        }
        return v.asText();
    }

    String requiredText(String field, int maxLength) throws RoomException {
        String s = text(field, maxLength);
        if (s == null) throw RoomException.badRequest("'" + field + "' is missing");
        return s;
    }

    Boolean bool(String field) throws RoomException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw RoomException.badRequest("'" + field + "' must be true or false");
        return v.asBoolean();
    }

    /** An RFC 3339 time such as {@code 2026-11-21T18:00:00Z}, or null. */
    Instant instant(String field) throws RoomException {
        String s = text(field, 64);
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw RoomException.badRequest("'" + field + "' must be a time like 2026-11-21T18:00:00Z");
        }
    }
}
