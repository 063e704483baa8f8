package org.salotto.signaling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.salotto.media.forward.Endpoint;
import org.salotto.signaling.protocol.FrameCodec;
import org.salotto.signaling.protocol.ServerFrame;
import org.salotto.signaling.sdp.PublisherNegotiation;

/** One person in a conference: what they publish, what they receive, and the negotiation state of both. */
final class Participant {
    private final String id;
    private final String name;
    private final Conference conference;
    /** Where this person's frames go; a resumed session rebinds it to the new socket's outbox. */
    volatile Outbox outbox;

    // publisher connection: the client offers
    Endpoint publisher;
    PublisherNegotiation publisherNegotiation;
    final Map<String, PublishedTrack> publishedByMid = new LinkedHashMap<>();

    // subscriber connection: the server offers. Made with the first offer (null while there is nothing to receive),
    // so that nobody's transport waits for ICE checks that cannot come.
    Endpoint subscriber;
    long subscriberSessionId;
    final List<SubscriberSlotState> slots = new ArrayList<>();
    long offerVersion;
    boolean offerPending;
    boolean renegotiationNeeded;
    /**
     * The next offer is for a subscriber connection that replaces the client's (the last one closed, or it resumed here
     * from another node): it says {@code newConnection}.
     */
    boolean newConnection;
    /**
     * Answers to offers up to this version are ignored quietly: those offers were for a subscriber connection that
     * has closed, or were superseded by an ICE restart's offer (the client may never have received them).
     */
    long ignoreAnswersUpTo;
    /** The next offer restarts ICE on the subscriber connection (a resumed session). */
    boolean iceRestartWanted;
    boolean left;
    /** How this person receives: offers from Salotto (the WebSocket), nothing (WHIP) or one offer of theirs (WHEP). */
    Conference.Receiving receiving = Conference.Receiving.SERVER_OFFERS;
    PublishPolicy policy = PublishPolicy.NOTHING;
    /** Whether this person receives the others' tracks (a join token's subscribe grant). */
    boolean subscribe = true;
    /**
     * The size this person shows each video track at ({@code videoSize}), kept so that a consumer made later for the
     * track (a new subscriber connection) starts on the right layer. Only tracks published in the room; trackId to
     * {width, height}.
     */
    final Map<String, int[]> videoSizes = new java.util.HashMap<>();
    /**
     * Dynacast: the rids this person was last told to send of each simulcast track (trackId to rids), all of them
     * until a {@code publisherLayers} says otherwise, as a browser starts.
     */
    final Map<String, List<String>> layersSent = new java.util.HashMap<>();
    /** The sources ("mic", "camera", "screen") this person has turned off: their tracks say muted. */
    final Set<String> mutedSources = new HashSet<>();
    /** Mute changes in the current window (Conference.MUTE_CHANGES per Conference.MUTE_WINDOW_NANOS). */
    int muteChanges;
    long muteWindowStart;

    Participant(Conference conference, String id, String name, Outbox outbox, long subscriberSessionId) {
        this.conference = conference;
        this.id = id;
        this.name = name;
        this.outbox = outbox;
        this.subscriberSessionId = subscriberSessionId;
    }

    String id() {
        return id;
    }

    Conference conference() {
        return conference;
    }

    String name() {
        return name;
    }

    Collection<PublishedTrack> publishedTracks() {
        return publishedByMid.values();
    }

    void send(ServerFrame frame) {
        outbox.send(frame);
    }

    void send(FrameCodec.Encoded frame) {
        outbox.send(frame);
    }
}
