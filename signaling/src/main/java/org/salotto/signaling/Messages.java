package org.salotto.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/** Building and reading the JSON frames of docs/protocol.md. */
final class Messages {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(64 * 1024).maxNumberLength(32).build());
    }

    private Messages() {
    }

    static ObjectNode message(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        return n;
    }

    static String error(String code, String message, JsonNode ref) {
        ObjectNode n = message("error");
        n.put("code", code);
        n.put("message", message);
        if (ref != null) n.set("ref", ref);
        return text(n);
    }

    static ObjectNode participant(Participant p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", p.id());
        n.put("name", p.name());
        ArrayNode tracks = n.putArray("tracks");
        for (PublishedTrack t : p.publishedTracks()) tracks.add(track(t));
        return n;
    }

    static ObjectNode track(PublishedTrack t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("trackId", t.trackId());
        n.put("kind", t.kind().sdpName());
        n.put("source", t.source());
        return n;
    }

    static ArrayNode participants(Collection<Participant> ps) {
        ArrayNode a = JSON.createArrayNode();
        for (Participant p : ps) a.add(participant(p));
        return a;
    }

    static String text(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree we built cannot be written", e);
        }
    }
}
