package org.salotto.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.salotto.signaling.sdp.SdpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's signaling: every frame is checked here, at the edge, before anything else sees it. A bad frame gets
 * an {@code error} frame with a stable code and leaves the connection and the room as they were.
 */
public final class SignalingSession {
    private static final Logger log = LoggerFactory.getLogger(SignalingSession.class);
    private static final AtomicLong ERROR_REFS = new AtomicLong();
    private static final Set<String> SOURCES = Set.of("mic", "camera", "screen");
    private static final int MAX_NAME = 64;

    private final SignalingService service;
    private final String room;
    private final Outbox outbox;
    private Participant participant;
    private Conference conference;

    SignalingSession(SignalingService service, String room, ClientConnection connection) {
        this.service = service;
        this.room = room;
        this.outbox = new Outbox(connection, room);
    }

    /** Handles one text frame. Frames of one connection arrive one at a time. */
    public synchronized void onMessage(String text) {
        JsonNode ref = null;
        try {
            JsonNode frame;
            try {
                frame = Messages.JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new SignalingException("bad_json", "the frame is not valid JSON: " + e.getOriginalMessage());
            }
            if (frame == null || !frame.isObject()) throw new SignalingException("bad_json", "a frame must be a JSON object");
            ref = frame.get("id");
            if (ref != null && !ref.isTextual() && !ref.isIntegralNumber()) {
                ref = null;
                throw new SignalingException("bad_message", "'id' must be a string or an integer");
            }
            JsonNode type = frame.get("type");
            if (type == null || !type.isTextual()) throw new SignalingException("bad_message", "'type' must be a string");
            switch (type.asText()) {
                case "join" -> join(frame, ref);
                case "publish" -> publish(frame, ref);
                case "subscribeAnswer" -> subscribeAnswer(frame);
                case "leave" -> leave(frame);
                case "ping" -> {
                    allowOnly(frame);
                    ObjectNode pong = Messages.message("pong");
                    if (ref != null) pong.set("ref", ref);
                    outbox.send(Messages.text(pong));
                }
                default -> throw new SignalingException("unknown_type", "unknown message type '" + type.asText() + "'");
            }
        } catch (SignalingException e) {
            outbox.send(Messages.error(e.code(), e.getMessage(), ref));
        } catch (SdpException e) {
            outbox.send(Messages.error(SdpException.ERROR_CODE, e.getMessage(), ref));
        } catch (RuntimeException e) {
            long n = ERROR_REFS.incrementAndGet();
            log.error("internal error #{} handling a frame in room {}", n, room, e);
            outbox.send(Messages.error("internal", "internal error #" + n + "; the server log has the details", ref));
        }
    }

    /** The connection is gone. */
    public synchronized void onClosed() {
        if (participant != null) conference.leave(participant, "connection closed");
        service.release(conference);
        outbox.stop();
    }

    private void join(JsonNode frame, JsonNode ref) throws SignalingException {
        allowOnly(frame, "name");
        if (participant != null) throw new SignalingException("already_joined", "you are already in this room");
        String name = requiredText(frame, "name", MAX_NAME).strip();
        if (name.isEmpty()) throw new SignalingException("bad_message", "'name' must not be blank");
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new SignalingException("bad_message", "'name' must not contain control characters");
        }
        participant = service.join(room, name, outbox);
        conference = participant.conference();
    }

    private void publish(JsonNode frame, JsonNode ref) throws SignalingException, SdpException {
        allowOnly(frame, "sdp", "sources");
        requireJoined();
        String sdp = requiredText(frame, "sdp", 64 * 1024);
        Map<String, String> sources = new LinkedHashMap<>();
        JsonNode s = frame.get("sources");
        if (s != null) {
            if (!s.isObject()) throw new SignalingException("bad_message", "'sources' must be an object of mid to source");
            Iterator<Map.Entry<String, JsonNode>> it = s.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual() || !SOURCES.contains(e.getValue().asText())) {
                    throw new SignalingException("bad_message", "source of mid '" + e.getKey() + "' must be mic, camera or screen");
                }
                sources.put(e.getKey(), e.getValue().asText());
            }
        }
        String answer = conference.publish(participant, sdp, sources);
        ObjectNode n = Messages.message("publishAnswer");
        n.put("sdp", answer);
        if (ref != null) n.set("ref", ref);
        outbox.send(Messages.text(n));
    }

    private void subscribeAnswer(JsonNode frame) throws SignalingException, SdpException {
        allowOnly(frame, "sdp", "version");
        requireJoined();
        String sdp = requiredText(frame, "sdp", 64 * 1024);
        JsonNode version = frame.get("version");
        if (version == null || !version.canConvertToLong() || !version.isIntegralNumber()) {
            throw new SignalingException("bad_message", "'version' must be the integer of the offer being answered");
        }
        conference.subscribeAnswer(participant, sdp, version.asLong());
    }

    private void leave(JsonNode frame) throws SignalingException {
        allowOnly(frame);
        requireJoined();
        conference.leave(participant, "left");
        outbox.closeAfterFlush("left");
    }

    private void requireJoined() throws SignalingException {
        if (participant == null) throw new SignalingException("not_joined", "send 'join' first");
        if (participant.left) throw new SignalingException("not_joined", "you have left the room");
    }

    private static String requiredText(JsonNode frame, String field, int maxLength) throws SignalingException {
        JsonNode v = frame.get(field);
        if (v == null) throw new SignalingException("bad_message", "'" + field + "' is missing");
        if (!v.isTextual()) throw new SignalingException("bad_message", "'" + field + "' must be a string");
        String s = v.asText();
        if (s.isEmpty() || s.length() > maxLength) {
            throw new SignalingException("bad_message", "'" + field + "' must be 1 to " + maxLength + " characters");
        }
        return s;
    }

    /** Unknown fields are refused, so that a typo is an error and not a silent no-op. */
    private static void allowOnly(JsonNode frame, String... fields) throws SignalingException {
        Iterator<String> names = frame.fieldNames();
        outer:
        while (names.hasNext()) {
            String name = names.next();
            if (name.equals("type") || name.equals("id")) continue;
            for (String f : fields) if (f.equals(name)) continue outer;
            throw new SignalingException("bad_message", "unknown field '" + name + "' in '" + frame.get("type").asText() + "'");
        }
    }
}
