package org.salotto.signaling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.salotto.media.forward.Endpoint;
import org.salotto.signaling.sdp.PublisherNegotiation;

/** One person in a conference: what they publish, what they receive, and the negotiation state of both. */
final class Participant {
    private final String id;
    private final String name;
    private final Conference conference;
    final Outbox outbox;

    // publisher connection: the client offers
    Endpoint publisher;
    PublisherNegotiation publisherNegotiation;
    final Map<String, PublishedTrack> publishedByMid = new LinkedHashMap<>();

    // subscriber connection: the server offers
    Endpoint subscriber;
    final long subscriberSessionId;
    final List<SubscriberSlotState> slots = new ArrayList<>();
    long offerVersion;
    boolean offerPending;
    boolean renegotiationNeeded;
    boolean left;
    PublishPolicy policy = PublishPolicy.NOTHING;

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

    void send(String json) {
        outbox.send(json);
    }
}
