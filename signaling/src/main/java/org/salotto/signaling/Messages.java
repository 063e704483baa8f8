package org.salotto.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Building and reading the JSON frames of docs/protocol.md, and the checks every frame passes at the edge: a JSON
 * object, a string {@code type}, no unknown fields, fields of the right type and length.
 */
public final class Messages {
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(64 * 1024).maxNumberLength(32).build());
    }

    private Messages() {
    }

    /** Reads one frame: a JSON object with a string {@code type}; anything else is {@code bad_json}/{@code bad_message}. */
    public static ObjectNode parse(String text) throws SignalingException {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SignalingException("bad_json", "the frame is not valid JSON: " + e.getOriginalMessage());
        }
        if (frame == null || !frame.isObject()) throw new SignalingException("bad_json", "a frame must be a JSON object");
        JsonNode type = frame.get("type");
        if (type == null || !type.isTextual()) throw new SignalingException("bad_message", "'type' must be a string");
        return (ObjectNode) frame;
    }

    /** The request id a reply refers to: a string or an integer, or null. */
    public static JsonNode ref(JsonNode frame) throws SignalingException {
        JsonNode ref = frame.get("id");
        if (ref != null && !ref.isTextual() && !ref.isIntegralNumber()) {
            throw new SignalingException("bad_message", "'id' must be a string or an integer");
        }
        return ref;
    }

    public static String requiredText(JsonNode frame, String field, int maxLength) throws SignalingException {
        JsonNode v = frame.get(field);
        if (v == null) throw new SignalingException("bad_message", "'" + field + "' is missing");
        return text(v, field, maxLength);
    }

    private static String text(JsonNode v, String field, int maxLength) throws SignalingException {
        if (!v.isTextual()) throw new SignalingException("bad_message", "'" + field + "' must be a string");
        String s = v.asText();
        if (s.isEmpty() || s.length() > maxLength) {
            throw new SignalingException("bad_message", "'" + field + "' must be 1 to " + maxLength + " characters");
        }
        return s;
    }

    /** Unknown fields are refused, so that a typo is an error and not a silent no-op. */
    public static void allowOnly(JsonNode frame, String... fields) throws SignalingException {
        var names = frame.fieldNames();
        outer:
        while (names.hasNext()) {
            String name = names.next();
            if (name.equals("type") || name.equals("id")) continue;
            for (String f : fields) if (f.equals(name)) continue outer;
            throw new SignalingException("bad_message", "unknown field '" + name + "' in '" + frame.get("type").asText() + "'");
        }
    }

    public static ObjectNode message(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        return n;
    }

    public static String error(String code, String message, JsonNode ref) {
        ObjectNode n = message("error");
        n.put("code", code);
        n.put("message", message);
        if (ref != null) n.set("ref", ref);
        return text(n);
    }

    static ObjectNode track(PublishedTrack t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("trackId", t.trackId());
        n.put("kind", t.kind().sdpName());
        n.put("source", t.source());
        return n;
    }

    public static String text(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree we built cannot be written", e);
        }
    }
}
