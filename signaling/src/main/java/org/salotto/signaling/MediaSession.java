package org.salotto.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.salotto.media.transport.MediaBusyException;
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
        try {
            switch (type) {
                case "publish" -> publish(frame, ref);
                case "subscribeAnswer" -> subscribeAnswer(frame);
                default -> {
                    return false;
                }
            }
        } catch (MediaBusyException e) {
            // Counted by the media loop; the client may try again.
            throw new SignalingException("media_busy", "the media server is too busy to take this now; try again");
        }
        return true;
    }

    /**
     * Changes what this person may publish from now on. Tracks already published stay unless {@code stopRefused}:
     * then every track the new policy refuses stops being forwarded at once, and if the policy refuses everything,
     * RTP still arriving from this person is dropped and counted.
     *
     * <p>Sends this person nothing: what it causes goes to the others ({@code trackUnpublished}, offers), so a frame
     * the caller queued for them before (their {@code roleChanged}) is not overtaken.
     *
     * @throws MediaBusyException when the media loop's queue stays full (counted)
     */
    public void setPolicy(PublishPolicy policy, boolean stopRefused) {
        participant.conference().setPolicy(participant, policy, stopRefused);
    }

    /**
     * Takes this person's media out of the conference (their tracks end for everyone). Idempotent. The only way out:
     * a media connection closing never takes anyone out (the person gets {@code transportClosed}).
     */
    public void leave(String reason) {
        participant.conference().leave(participant, reason);
    }

    /**
     * From now on this person's frames go to {@code outbox} (a resumed session's new socket). The old outbox is the
     * caller's to close.
     */
    public void rebind(Outbox outbox) {
        participant.conference().rebind(participant, outbox);
    }

    /**
     * New local ICE credentials on the subscriber connection, sent at once in a fresh {@code subscribeOffer} even if
     * no track changed. An offer still waiting for its answer is superseded (after a socket drop it may never have
     * reached the client, and waiting for its answer would stall renegotiation); an answer to it that still comes is
     * ignored quietly. Nothing while the person has nothing to receive (no subscriber connection exists yet).
     *
     * @throws MediaBusyException when the media loop's queue stays full (counted)
     */
    public void restartSubscriberIce() {
        participant.conference().restartSubscriberIce(participant);
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
