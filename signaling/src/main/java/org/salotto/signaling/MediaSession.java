package org.salotto.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.salotto.signaling.sdp.SdpException;

/**
 * One person's media in a conference: handles their {@code publish} and {@code subscribeAnswer} frames (already
 * parsed by the layer above) and lets that layer change what they may publish or take them out.
 */
public final class MediaSession {
    private static final Set<String> SOURCES = Set.of("mic", "camera", "screen");

    private final Participant participant;

    MediaSession(Participant participant) {
        this.participant = participant;
    }

    public String participantId() {
        return participant.id();
    }

    /**
     * Handles a media frame: {@code publish} or {@code subscribeAnswer}. Returns false for any other type, which the
     * caller handles.
     */
    public boolean handle(String type, ObjectNode frame, JsonNode ref) throws SignalingException, SdpException {
        switch (type) {
            case "publish" -> publish(frame, ref);
            case "subscribeAnswer" -> subscribeAnswer(frame);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Changes what this person may publish from now on. Tracks already published stay unless {@code stopRefused}:
     * then every track the new policy refuses stops being forwarded at once, and if the policy refuses everything,
     * RTP still arriving from this person is dropped and counted.
     */
    public void setPolicy(PublishPolicy policy, boolean stopRefused) {
        participant.conference().setPolicy(participant, policy, stopRefused);
    }

    /** Takes this person's media out of the conference (their tracks end for everyone). Idempotent. */
    public void leave(String reason) {
        participant.conference().leave(participant, reason);
    }

    public boolean hasLeft() {
        return participant.left;
    }

    private void publish(ObjectNode frame, JsonNode ref) throws SignalingException, SdpException {
        Messages.allowOnly(frame, "sdp", "sources");
        String sdp = Messages.requiredText(frame, "sdp", 64 * 1024);
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
        String answer = participant.conference().publish(participant, sdp, sources);
        ObjectNode n = Messages.message("publishAnswer");
        n.put("sdp", answer);
        if (ref != null) n.set("ref", ref);
        participant.send(Messages.text(n));
    }

    private void subscribeAnswer(ObjectNode frame) throws SignalingException, SdpException {
        Messages.allowOnly(frame, "sdp", "version");
        String sdp = Messages.requiredText(frame, "sdp", 64 * 1024);
        JsonNode version = frame.get("version");
        if (version == null || !version.canConvertToLong() || !version.isIntegralNumber()) {
            throw new SignalingException("bad_message", "'version' must be the integer of the offer being answered");
        }
        participant.conference().subscribeAnswer(participant, sdp, version.asLong());
    }
}
