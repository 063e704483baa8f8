package org.salotto.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salotto.media.params.IceParameters;
import org.salotto.media.transport.MediaBusyException;
import org.salotto.signaling.protocol.ClientFrame;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.FrameCodec;
import org.salotto.signaling.protocol.RequestId;
import org.salotto.signaling.protocol.ServerFrame;
import org.salotto.signaling.protocol.Wire;
import org.salotto.signaling.sdp.SdpException;

/**
 * One person's media in a conference: handles their {@code publish} and {@code subscribeAnswer} frames (already
 * parsed by the layer above) and lets that layer change what they may publish or take them out.
 */
public final class MediaSession {
    private final Participant participant;

    MediaSession(Participant participant) {
        this.participant = participant;
    }

    public String participantId() {
        return participant.id();
    }

    /** Handles a media frame, already checked at the edge ({@link FrameCodec}). */
    public void handle(ClientFrame.MediaFrame frame, RequestId ref) throws SignalingException, SdpException {
        try {
            switch (frame) {
                case ClientFrame.Publish p -> publish(p, ref);
                case ClientFrame.SubscribeAnswer a -> participant.conference().subscribeAnswer(participant, a.sdp(), a.version());
                case ClientFrame.VideoSize v -> participant.conference().setVideoSize(participant, v.trackId(),
                        (int) v.width(), (int) v.height());
                case ClientFrame.Mute m -> participant.conference().setMuted(participant, m.source(), m.muted());
            }
        } catch (MediaBusyException e) {
            // Counted by the media loop; the client may try again.
            throw new SignalingException(ErrorCode.MEDIA_BUSY, "the media server is too busy to take this now; try again");
        }
    }

    /**
     * Handles a media frame given as a parsed tree ({@code publish}, {@code subscribeAnswer}, {@code videoSize} or
     * {@code mute}), checked as the edge checks it. Returns false for any other type. For callers that hold JSON
     * (tests); the room session decodes once.
     */
    public boolean handle(String type, ObjectNode frame, JsonNode ref) throws SignalingException, SdpException {
        if (!type.equals("publish") && !type.equals("subscribeAnswer") && !type.equals("videoSize")
                && !type.equals("mute")) {
            return false;
        }
        ObjectNode copy = frame.deepCopy();
        copy.put("type", type);
        if (ref != null) copy.set("id", ref);
        FrameCodec.Request request = FrameCodec.decode(copy);
        handle((ClientFrame.MediaFrame) request.frame(), request.id());
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
     * Turns receiving the others' tracks on or off (a join token's subscribe grant): off, the next offer has every
     * slot inactive and the tracks stop coming; on, the next offer brings them all.
     *
     * @throws MediaBusyException when the media loop's queue stays full (counted)
     */
    public void setSubscribe(boolean subscribe) {
        participant.conference().setSubscribe(participant, subscribe);
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

    /**
     * Answers a WHIP client's offer (RFC 9725): what the person's role refuses is rejected in the answer (port 0), so
     * a space's speaker whose encoder offers a camera publishes the microphone only. Audio is the mic, video the
     * camera.
     *
     * @return the answer SDP
     */
    public String publishOffer(String offer) throws SignalingException, SdpException {
        try {
            return participant.conference().publish(participant, offer, Map.of(), true);
        } catch (MediaBusyException e) {
            throw new SignalingException(ErrorCode.MEDIA_BUSY, "the media server is too busy to take this now; try again");
        }
    }

    /**
     * Answers a WHEP client's one offer: its m-sections receive the room's tracks (see
     * {@link Conference.Receiving#CLIENT_OFFERS}). For a person who joined receiving that way only.
     *
     * @return the answer SDP
     */
    public String view(String offer) throws SignalingException, SdpException {
        try {
            return participant.conference().view(participant, offer);
        } catch (MediaBusyException e) {
            throw new SignalingException(ErrorCode.MEDIA_BUSY, "the media server is too busy to take this now; try again");
        }
    }

    /**
     * Restarts ICE on the publisher connection ({@code publisher}, WHIP) or the subscriber one (WHEP) with the
     * client's new credentials; returns Salotto's new ones.
     */
    public IceParameters restartIce(boolean publisher, IceParameters clientIce) throws SignalingException {
        try {
            return participant.conference().restartIce(participant, publisher, clientIce);
        } catch (MediaBusyException e) {
            throw new SignalingException(ErrorCode.MEDIA_BUSY, "the media server is too busy to take this now; try again");
        }
    }

    /** Salotto's ICE credentials now on the publisher (or subscriber) connection; null when it is closed. */
    public IceParameters localIce(boolean publisher) {
        return participant.conference().localIce(participant, publisher);
    }

    public boolean hasLeft() {
        return participant.left;
    }

    private void publish(ClientFrame.Publish frame, RequestId ref) throws SignalingException, SdpException {
        Map<String, String> sources = new LinkedHashMap<>();
        if (frame.sources() != null) frame.sources().forEach((mid, source) -> sources.put(mid, Wire.name(source)));
        String answer = participant.conference().publish(participant, frame.sdp(), sources);
        participant.send(new ServerFrame.PublishAnswer(answer, ref));
    }
}
