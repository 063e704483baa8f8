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
 * The JSON mapper of both edges (the room WebSocket's {@link org.salotto.signaling.protocol.FrameCodec} and the HTTP
 * API), with the strictness every input gets: duplicate fields refused, no NaN, bounded nesting and lengths. Frames
 * themselves are records of {@code org.salotto.signaling.protocol}; nothing else builds them.
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

    /** An object with a {@code type}: for tests that write raw frames. */
    public static ObjectNode message(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
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
