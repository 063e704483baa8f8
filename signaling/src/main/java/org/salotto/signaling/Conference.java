package org.salotto.signaling;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.salotto.media.MediaServer;
import org.salotto.media.forward.AudienceSlots;
import org.salotto.media.forward.AudioLevelMeter;
import org.salotto.media.forward.Consumer;
import org.salotto.media.forward.Endpoint;
import org.salotto.media.forward.Producer;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.transport.MediaBusyException;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.FrameCodec;
import org.salotto.signaling.protocol.ServerFrame;
import org.salotto.signaling.protocol.Source;
import org.salotto.signaling.sdp.PublisherAnswer;
import org.salotto.signaling.sdp.PublisherNegotiation;
import org.salotto.signaling.sdp.SdpException;
import org.salotto.signaling.sdp.ServerTransport;
import org.salotto.signaling.sdp.SubscriberAnswer;
import org.salotto.signaling.sdp.SubscriberCodecs;
import org.salotto.signaling.sdp.SubscriberOffer;
import org.salotto.signaling.sdp.SubscriberSlot;
import org.salotto.signaling.sdp.ViewerNegotiation;
import org.salotto.signaling.speakers.ActiveSpeakerDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of one room: everyone in it receives every track published in it. What each person may publish is a
 * {@link PublishPolicy} the rooms layer gives and changes. All state changes take this conference's lock (control
 * plane only; the media loop never waits for it).
 *
 * <p>Presence (who is in the room, with which role) is the rooms layer's business and its batched events; this
 * class only tells clients about tracks ({@code trackPublished}, {@code trackUnpublished}, {@code subscribeOffer})
 * and their media connections ({@code transportClosed}). A media connection closing never takes a person out: only
 * {@link MediaSession#leave} does.
 *
 * <p>Control work goes to the media loop's bounded queue. A request is refused up front when the queue is nearly full
 * ({@link MediaBusyException}, counted), so that it changes nothing; cleanup (leaving, a closed transport) goes on
 * past a refusal, which is logged.
 */
public final class Conference {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(Conference.class);

    private final String name;
    private final MediaServer media;
    private final String announceAddress;
    private final int announcePort;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private volatile TrackListener trackListener = TrackListener.NONE;

    /** A microphone's levels and whose they are; rebuilt under the lock when mics come and go, read by the timer. */
    private record AudioSource(String participantId, AudioLevelMeter meter) {
    }

    private volatile AudioSource[] audioSources = new AudioSource[0];
    /** The speaker timer's thread only. */
    private final ActiveSpeakerDetector speakers;
    /** The last activeSpeakers frame, for those who join later; null before the first. */
    private volatile FrameCodec.Encoded lastSpeakers;
    /** Who holds the floor (the last activeSpeakers' dominant), null before anyone spoke; under the lock. */
    private String dominantSpeaker;

    /**
     * The audience's fixed audio slots (loudest-N): an audience member receives the stage's audio on these only, so
     * that promotions, demotions and who talks renegotiate no listener. The stream id of their a=msid.
     */
    static final String SLOT_STREAM = "~stage";
    private static final TrackParameters SLOT_TEMPLATE = new TrackParameters("slot", MediaKind.AUDIO, "mic",
            SubscriberCodecs.codecs(MediaKind.AUDIO), SubscriberCodecs.headerExtensions(MediaKind.AUDIO),
            List.of(new RtpEncoding(1, 0)));
    private final AudienceSlots audioSlots;
    /**
     * A live's video slots for its viewers: each stage camera on one, in the order they came, so that a guest joining
     * or leaving the stage, or turning their camera on or off, renegotiates no viewer; null outside a live (or with
     * media.audience-video-slots 0): a video m-section per track. A screen share (not offered in a live; a WHIP
     * publisher's second video, say) stays on an m-section of its own.
     */
    private final AudienceSlots videoSlots;
    private static final TrackParameters VIDEO_SLOT_TEMPLATE = new TrackParameters("slot", MediaKind.VIDEO, "camera",
            SubscriberCodecs.codecs(MediaKind.VIDEO), SubscriberCodecs.headerExtensions(MediaKind.VIDEO),
            List.of(new RtpEncoding(1, 2)));
    /** Camera track id to its owner's participant id, for the video slots' mapping; rebuilt under the lock. */
    private volatile Map<String, String> videoOwners = Map.of();
    /** The video mapping last told (timer thread). */
    private String[] lastVideoMapping;
    /** Audio track id to its owner's participant id, for the slots' mapping; rebuilt under the lock. */
    private volatile Map<String, String> audioOwners = Map.of();
    /** The last stageSlots frame (timer thread writes, under the lock), for audience members who come later. */
    private volatile FrameCodec.Encoded lastSlots;
    /** The mapping last told (timer thread); all silent at first, which nobody needs to be told. */
    private String[] lastMapping;
    /** Subscriber offers sent, since the start (the load generator's check that promotions renegotiate no listener). */
    private final java.util.concurrent.atomic.AtomicLong offersSent = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Who is told of tracks published and unpublished (the room, which keeps them in its event outbox for webhooks).
     * Called under the conference's lock: a listener hands the news on and returns.
     */
    public interface TrackListener {
        TrackListener NONE = new TrackListener() {
            @Override
            public void published(ServerFrame.Track track) {
            }

            @Override
            public void unpublished(String participantId, String trackId) {
            }
        };

        void published(ServerFrame.Track track);

        void unpublished(String participantId, String trackId);
    }

    public void setTrackListener(TrackListener listener) {
        this.trackListener = listener == null ? TrackListener.NONE : listener;
    }

    // ---- the audience relay across nodes (docs/scale.md "Audience relayed across nodes") ----

    /**
     * A stage track as the relay across nodes sees it: a microphone, or a camera the audience watches on its video
     * slots (a live's); whose it is and its producer (here, or a relay producer from the stage's node).
     */
    public record StageTrack(String participantId, String displayName, String trackId, MediaKind kind, Producer producer) {
    }

    /** The stage's node: hears the stage's tracks whenever they change (under the lock: hand off and return). */
    private volatile java.util.function.Consumer<List<StageTrack>> stageListener;
    /** An edge node: the stage's tracks as relayed from the node that runs the room; under the lock. */
    private List<StageTrack> relayedStage = List.of();
    /** The video header extension the relayed layers of a camera carry their RID in (its value is never read). */
    private static final org.salotto.media.params.RtpHeaderExtension RELAY_RID =
            new org.salotto.media.params.RtpHeaderExtension(org.salotto.media.params.RtpHeaderExtension.RID, 10);

    /**
     * The parameters of a stage microphone relayed from node to node: the same codecs and header extensions on both
     * ends whatever the speaker negotiated (the stage's node maps each speaker to them, as it maps a slot's source for a
     * listener), the audio level kept for the edge's loudest-N slots, and no transport-wide sequence (the link between
     * two nodes has no congestion control: a node's uplink is provisioned, not estimated).
     */
    public static TrackParameters relayParameters(String id, int ssrc) {
        return new TrackParameters(id, MediaKind.AUDIO, "mic", SubscriberCodecs.codecs(MediaKind.AUDIO),
                relayExtensions(MediaKind.AUDIO, false), List.of(new RtpEncoding(ssrc, 0)));
    }

    /**
     * The parameters of one stream of a stage camera relayed from node to node (a one-stream camera, or one layer of a
     * simulcast one, as the stage's node sends it): the subscribers' video codecs, the camera's own ({@code mimeType})
     * first, its RTX on {@code rtxSsrc} (the link repairs its losses as a subscriber's connection does), no
     * transport-wide sequence.
     */
    public static TrackParameters relayVideoParameters(String id, String mimeType, int ssrc, int rtxSsrc) {
        return new TrackParameters(id, MediaKind.VIDEO, "camera", relayVideoCodecs(mimeType),
                relayExtensions(MediaKind.VIDEO, false), List.of(new RtpEncoding(ssrc, rtxSsrc)));
    }

    /**
     * A relayed stage camera as the edge receives it: one stream, or (two or three {@code layers}) a simulcast producer
     * whose layers' SSRCs are known from the start (the stage's node said them), so that each viewer's consumer on the
     * edge chooses its layer as on the stage's node.
     */
    public static TrackParameters relayedCameraParameters(String id, String mimeType, List<RtpEncoding> layers) {
        if (layers.size() == 1) return relayVideoParameters(id, mimeType, layers.getFirst().ssrc(), layers.getFirst().rtxSsrc());
        List<RtpEncoding> named = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            named.add(new RtpEncoding(layers.get(i).ssrc(), layers.get(i).rtxSsrc(), "r" + i));
        }
        return new TrackParameters(id, MediaKind.VIDEO, "camera", relayVideoCodecs(mimeType),
                relayExtensions(MediaKind.VIDEO, true), named);
    }

    private static List<org.salotto.media.params.RtpCodec> relayVideoCodecs(String mimeType) {
        List<org.salotto.media.params.RtpCodec> codecs = new ArrayList<>();
        for (var c : SubscriberCodecs.codecs(MediaKind.VIDEO)) if (c.mimeType().equalsIgnoreCase(mimeType)) codecs.add(c);
        for (var c : SubscriberCodecs.codecs(MediaKind.VIDEO)) if (!c.mimeType().equalsIgnoreCase(mimeType)) codecs.add(c);
        return codecs;
    }

    private static List<org.salotto.media.params.RtpHeaderExtension> relayExtensions(MediaKind kind, boolean rid) {
        List<org.salotto.media.params.RtpHeaderExtension> extensions = new ArrayList<>();
        for (var e : SubscriberCodecs.headerExtensions(kind)) {
            if (!e.uri().equals(org.salotto.media.params.RtpHeaderExtension.TRANSPORT_CC)) extensions.add(e);
        }
        if (rid) extensions.add(RELAY_RID);
        return extensions;
    }

    /**
     * Who hears the stage's tracks (the relay on the stage's node): its microphones, and the cameras of a room whose
     * audience watches them on video slots (a live). It is told now, and whenever they change, under the conference's
     * lock: it must hand the list off and return. Null: nobody.
     */
    public void setStageListener(java.util.function.Consumer<List<StageTrack>> listener) {
        lock.lock();
        try {
            stageListener = listener;
            if (listener != null) listener.accept(stageTracks());
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the microphones and slot cameras of the people here (not those relayed from another node). */
    private List<StageTrack> stageTracks() {
        List<StageTrack> out = new ArrayList<>();
        for (Participant p : participants.values()) {
            for (PublishedTrack t : p.publishedTracks()) {
                if (t.kind() == MediaKind.AUDIO || onVideoSlot(t)) {
                    out.add(new StageTrack(p.id(), p.name(), t.trackId(), t.kind(), t.producer()));
                }
            }
        }
        return out;
    }

    /**
     * An edge node: the stage's tracks relayed from the node that runs the room (relay producers). Its microphones
     * feed this conference's audience slots and active speakers as a local speaker's would; its cameras this
     * conference's video slots (a live's), in the order given; the slots name their owners by the participant ids the
     * stage's node gave them.
     */
    public void setRelayedStage(List<StageTrack> stage) {
        lock.lock();
        try {
            relayedStage = List.copyOf(stage);
            refreshAudioSources();
        } finally {
            lock.unlock();
        }
    }

    /** Whether publishers' offers of RED around Opus are taken (media.red-for-opus). */
    private final boolean redForOpus;

    Conference(String name, MediaServer media, String announceAddress, int announcePort, long speakerTakeoverNanos) {
        this(name, media, announceAddress, announcePort, speakerTakeoverNanos, SignalingService.AUDIENCE_AUDIO_SLOTS, true);
    }

    Conference(String name, MediaServer media, String announceAddress, int announcePort, long speakerTakeoverNanos,
               int audienceAudioSlots, boolean redForOpus) {
        this(name, media, announceAddress, announcePort, speakerTakeoverNanos, audienceAudioSlots, 0, redForOpus);
    }

    /**
     * @param audienceAudioSlots the audience's fixed audio slots (loudest-N: media.audience-audio-slots)
     * @param audienceVideoSlots a live's video slots for its viewers (its stage size, at most
     *                           media.audience-video-slots); 0: a video m-section per track
     * @param redForOpus         whether publishers that offer RED around Opus (RFC 2198) are answered with it
     */
    Conference(String name, MediaServer media, String announceAddress, int announcePort, long speakerTakeoverNanos,
               int audienceAudioSlots, int audienceVideoSlots, boolean redForOpus) {
        this.redForOpus = redForOpus;
        this.speakers = new ActiveSpeakerDetector(speakerTakeoverNanos);
        this.audioSlots = audienceAudioSlots > 0
                ? new AudienceSlots(media.loop(), audienceAudioSlots, SLOT_TEMPLATE, speakerTakeoverNanos) : null;
        this.lastMapping = new String[audienceAudioSlots];
        this.videoSlots = audienceVideoSlots > 0
                ? AudienceSlots.video(media.loop(), audienceVideoSlots, VIDEO_SLOT_TEMPLATE) : null;
        this.lastVideoMapping = new String[audienceVideoSlots];
        this.name = name;
        this.media = media;
        this.announceAddress = announceAddress;
        this.announcePort = announcePort;
    }

    public String name() {
        return name;
    }

    public int size() {
        lock.lock();
        try {
            return participants.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a person in: they receive every track published here, starting with a {@code subscribeOffer}. The caller
     * has told them they joined (and which tracks exist: {@link #tracks()}) through the same outbox, before this.
     */
    /**
     * @throws MediaBusyException when the media loop is too busy to take a new person (counted; nothing changed)
     */
    public MediaSession join(String participantId, String displayName, Outbox outbox, PublishPolicy policy) {
        return join(participantId, displayName, outbox, policy, Receiving.SERVER_OFFERS, true);
    }

    /** How a person receives the room's tracks. */
    public enum Receiving {
        /** Salotto offers a subscriber connection and renegotiates it as tracks come and go (the WebSocket). */
        SERVER_OFFERS,
        /** Nothing: the person only publishes (a WHIP client). */
        NOTHING,
        /**
         * The client offers once ({@link MediaSession#view}) and its m-sections are filled with the tracks there are,
         * refilled as they change, without renegotiation (a WHEP client).
         */
        CLIENT_OFFERS
    }

    /**
     * As {@link #join(String, String, Outbox, PublishPolicy)}, receiving as {@code receiving} says; {@code subscribe}
     * false (a join token without the subscribe grant): the person receives nothing until
     * {@link MediaSession#setSubscribe} turns it on.
     *
     * @throws MediaBusyException when the media loop is too busy to take a new person (counted; nothing changed)
     */
    public MediaSession join(String participantId, String displayName, Outbox outbox, PublishPolicy policy,
                             Receiving receiving, boolean subscribe) {
        return join(participantId, displayName, outbox, policy, receiving, subscribe, false);
    }

    /**
     * As {@link #join(String, String, Outbox, PublishPolicy, Receiving, boolean)}; {@code newConnection}: the client
     * has a subscriber connection with another server (the room moved here), so the first offer says
     * {@code newConnection} and is answered on a new RTCPeerConnection.
     */
    public MediaSession join(String participantId, String displayName, Outbox outbox, PublishPolicy policy,
                             Receiving receiving, boolean subscribe, boolean newConnection) {
        lock.lock();
        try {
            if (participants.containsKey(participantId)) throw new IllegalArgumentException("two participants " + participantId);
            media.checkRoom();
            Participant p = new Participant(this, participantId, displayName, outbox, RANDOM.nextLong() & Long.MAX_VALUE);
            p.policy = policy;
            p.subscribe = subscribe;
            p.receiving = receiving;
            p.newConnection = newConnection;
            participants.put(p.id(), p);
            try {
                renegotiate(p);
            } catch (MediaBusyException e) {
                leave(p, "the media loop was busy");
                throw e;
            }
            log.debug("{} joined room {} as {}", displayName, name, p.id());
            FrameCodec.Encoded talking = lastSpeakers;
            if (talking != null) p.send(talking);
            return new MediaSession(p);
        } finally {
            lock.unlock();
        }
    }

    /** Every track published now. */
    public List<ServerFrame.Track> tracks() {
        lock.lock();
        try {
            List<ServerFrame.Track> out = new ArrayList<>();
            for (Participant p : participants.values()) {
                for (PublishedTrack t : p.publishedTracks()) out.add(track(p, t));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    void setPolicy(Participant p, PublishPolicy policy, boolean stopRefused) {
        lock.lock();
        try {
            if (p.left) return;
            boolean wasAudience = isAudience(p);
            p.policy = policy;
            if (p.publisher != null) p.publisher.setMayPublish(!(stopRefused && policy.refusesAll()));
            // On stage or off it: p alone changes how it receives the stage's audio (direct, or on the fixed slots).
            if (wasAudience != isAudience(p)) renegotiate(p);
            if (!stopRefused) return;
            boolean changed = false;
            for (PublishedTrack t : List.copyOf(p.publishedByMid.values())) {
                if (policy.refusal(t.source()) != null) {
                    unpublish(p, t);
                    markNotGranted(p, t.ssrc(), t.producer().rtxSsrc());
                    changed = true;
                }
            }
            if (changed) renegotiateOthers(p);
        } finally {
            lock.unlock();
        }
    }

    String publish(Participant p, String offer, Map<String, String> sources) throws SdpException, SignalingException {
        return publish(p, offer, sources, false);
    }

    /**
     * @param rejectRefused m-sections of a source the policy refuses are rejected in the answer (port 0) instead of
     *                      refusing the whole offer (WHIP: a client cannot hear a refusal per track)
     */
    String publish(Participant p, String offer, Map<String, String> sources, boolean rejectRefused)
            throws SdpException, SignalingException {
        lock.lock();
        try {
            if (p.left) throw new SignalingException(ErrorCode.NOT_JOINED, "you have left the room");
            if (p.policy.refusesAll()) throw new SignalingException(ErrorCode.PUBLISH_NOT_ALLOWED, p.policy.refusal("mic"));
            media.checkRoom();
            if (p.publisher == null) {
                Endpoint publisher = media.createEndpoint(p.id() + "-pub", transportListener(p, "publisher"));
                p.publisher = publisher;
                // An ICE restart (new browser credentials) gets new credentials of ours; DTLS and SRTP carry on.
                p.publisherNegotiation = new PublisherNegotiation(serverTransport(publisher),
                        RANDOM.nextLong() & Long.MAX_VALUE, () -> publisher.transport().restartIce(), redForOpus);
            }
            PublisherAnswer answer = rejectRefused
                    ? p.publisherNegotiation.answer(offer, sources, source -> p.policy.refusal(source) != null)
                    : p.publisherNegotiation.answer(offer, sources);
            // Checked before anything is applied, so a refused offer changes nothing.
            for (TrackParameters t : answer.tracks()) {
                String refusal = p.policy.refusal(sourceOf(t));
                if (refusal != null && !alreadyPublished(p, t)) {
                    for (RtpEncoding e : t.encodings()) markNotGranted(p, e.ssrc(), e.rtxSsrc());
                    throw new SignalingException(ErrorCode.PUBLISH_NOT_ALLOWED, refusal);
                }
            }
            p.publisher.setMayPublish(true);
            p.publisher.transport().setRemote(answer.clientIce(), answer.clientDtls());
            if (answer.tracks().isEmpty() && !answer.rejectedMids().isEmpty() && p.publishedByMid.isEmpty()) {
                throw new SignalingException(ErrorCode.UNSUPPORTED_MEDIA,
                        "no track in the offer has a codec Salotto forwards (Opus, VP8, H.264)");
            }
            applyPublishedTracks(p, answer.tracks());
            return answer.sdp();
        } finally {
            lock.unlock();
        }
    }

    private void applyPublishedTracks(Participant p, List<TrackParameters> tracks) throws SignalingException {
        Set<String> present = new HashSet<>();
        boolean changed = false;
        for (TrackParameters t : tracks) {
            if (t.encodings().isEmpty()) {
                throw new SignalingException(ErrorCode.UNSUPPORTED_MEDIA, "the track of mid '" + t.mid()
                        + "' announces no SSRC and no simulcast rids Salotto takes (a=simulcast with two or three"
                        + " a=rid and the rtp-stream-id header extension)");
            }
        }
        for (TrackParameters t : tracks) {
            present.add(t.mid());
            int ssrc = t.encodings().getFirst().ssrc();
            PublishedTrack old = p.publishedByMid.get(t.mid());
            if (old != null && old.ssrc() == ssrc) continue;
            if (old != null) unpublish(p, old);
            String source = sourceOf(t);
            Producer producer = p.publisher.produce(newId("t"), t);
            PublishedTrack track = new PublishedTrack(producer.id(), t.mid(), t.kind(), source, ssrc, producer);
            p.publishedByMid.put(t.mid(), track);
            if (producer.isSimulcast()) {
                p.layersSent.put(track.trackId(), producer.sendingRids());
                producer.setLayerListener(layers -> sendPublisherLayers(p, track));
            }
            ServerFrame.Track published = track(p, track);
            broadcast(FrameCodec.encode(new ServerFrame.TrackPublished(published)), p);
            tellTrack(() -> trackListener.published(published));
            changed = true;
        }
        for (PublishedTrack old : List.copyOf(p.publishedByMid.values())) {
            if (!present.contains(old.mid())) {
                unpublish(p, old);
                changed = true;
            }
        }
        if (changed) {
            refreshAudioSources();
            renegotiateOthers(p);
        }
    }

    private static String sourceOf(TrackParameters t) {
        return t.source() == null ? (t.kind() == MediaKind.AUDIO ? "mic" : "camera") : t.source();
    }

    private static boolean alreadyPublished(Participant p, TrackParameters t) {
        PublishedTrack old = p.publishedByMid.get(t.mid());
        return old != null && !t.encodings().isEmpty() && old.ssrc() == t.encodings().getFirst().ssrc();
    }

    private void unpublish(Participant p, PublishedTrack track) {
        p.publishedByMid.remove(track.mid());
        p.layersSent.remove(track.trackId());
        try {
            track.producer().close();
        } catch (MediaBusyException e) {
            // Counted by the loop. The track ends for everyone here all the same: its consumers go with the
            // renegotiation, and the publisher's endpoint is closed when the person leaves or the connection does.
            log.error("{}: track {} not stopped at the sender, the media loop was busy", p.id(), track.trackId());
        }
        refreshAudioSources(); // the audio slots' speakers, the video slots' cameras
        broadcast(FrameCodec.encode(new ServerFrame.TrackUnpublished(p.id(), track.trackId())), p);
        tellTrack(() -> trackListener.unpublished(p.id(), track.trackId()));
    }

    /** The consumer that carries a track to a participant now, or null (tests). */
    Consumer consumerOf(String participantId, String trackId) {
        lock.lock();
        try {
            Participant p = participants.get(participantId);
            if (p == null) return null;
            for (SubscriberSlotState slot : p.slots) {
                if (slot.track != null && slot.track.trackId().equals(trackId)) return slot.consumer;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells p when the allocator pauses the video of this slot's consumer for want of bandwidth, and when it lets it
     * go again ({@code trackPaused}); a slot's new consumer starts unpaused.
     */
    private void watchPause(Participant p, SubscriberSlotState slot) {
        slot.pausedSent = false;
        if (slot.kind != MediaKind.VIDEO) return;
        Consumer consumer = slot.consumer;
        consumer.setSuspendListener(c -> sendTrackPaused(p, slot, c));
    }

    /**
     * The allocator paused or resumed a video (the consumer's listener, on the control executor): tells the
     * subscriber when that differs from what it was last told. The consumer's latest state is read under the lock,
     * so that of two reports racing the last one sent is the latest; a consumer no longer in its slot says nothing.
     */
    private void sendTrackPaused(Participant p, SubscriberSlotState slot, Consumer c) {
        lock.lock();
        try {
            if (p.left || slot.consumer != c || slot.track == null) return;
            boolean paused = c.isSuspendedByAllocator();
            if (paused == slot.pausedSent) return;
            slot.pausedSent = paused;
            p.send(new ServerFrame.TrackPaused(slot.ownerId, slot.track.trackId(), paused,
                    ServerFrame.PauseReason.BANDWIDTH));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Dynacast: the layers of p's simulcast track that someone receives changed (the producer's listener, on the
     * control executor): tells p which rids to send, when they differ from what p was last told. The producer's
     * {@link Producer#sendingRids()} is read here, under the lock, so that of two reports racing the last one sent
     * is the latest.
     */
    private void sendPublisherLayers(Participant p, PublishedTrack track) {
        lock.lock();
        try {
            if (p.left || p.publishedByMid.get(track.mid()) != track) return;
            List<String> rids = track.producer().sendingRids();
            if (rids.equals(p.layersSent.get(track.trackId()))) return;
            p.layersSent.put(track.trackId(), rids);
            p.send(new ServerFrame.PublisherLayers(track.mid(), rids));
        } finally {
            lock.unlock();
        }
    }

    private void tellTrack(Runnable news) {
        try {
            news.run();
        } catch (RuntimeException e) {
            log.warn("room {}: the track listener failed", name, e);
        }
    }

    /**
     * Tells p's publisher endpoint that these SSRCs are not granted, so that their RTP is counted as such. Best effort:
     * with the media loop's queue full the packets are dropped all the same, counted as unknown SSRCs.
     */
    private static void markNotGranted(Participant p, int ssrc, int rtxSsrc) {
        if (p.publisher == null) return;
        try {
            p.publisher.markNotGranted(ssrc, rtxSsrc);
        } catch (MediaBusyException e) {
            log.warn("{}: SSRC {} not marked as not granted, the media loop was busy", p.id(), Integer.toUnsignedString(ssrc));
        }
    }

    void setSubscribe(Participant p, boolean subscribe) {
        lock.lock();
        try {
            if (p.left || p.subscribe == subscribe) return;
            p.subscribe = subscribe;
            renegotiate(p);
        } finally {
            lock.unlock();
        }
    }

    void subscribeAnswer(Participant p, String sdp, long version) throws SdpException, SignalingException {
        lock.lock();
        try {
            // An answer to an offer for a connection that has closed since, or that a later offer superseded.
            if (version > 0 && version <= p.ignoreAnswersUpTo) return;
            if (!p.offerPending || version != p.offerVersion) {
                throw new SignalingException(ErrorCode.STALE_ANSWER, "this answer is for offer " + version
                        + ", but the current offer is " + p.offerVersion + (p.offerPending ? "" : " and it was answered"));
            }
            SubscriberAnswer answer = SubscriberAnswer.read(sdp);
            media.checkRoom();
            if (answer.hasTransport()) p.subscriber.transport().setRemote(answer.clientIce(), answer.clientDtls());
            p.offerPending = false;
            // The client knows the new streams now: a keyframe sent earlier may have reached it before the offer did.
            for (SubscriberSlotState slot : p.slots) {
                if (slot.keyframeOnAnswer && !slot.isFree()) slot.consumer.requestKeyframe();
                slot.keyframeOnAnswer = false;
                // RED from a publisher goes as it is if the browser kept it, else as plain Opus.
                if (slot.kind == MediaKind.AUDIO && !slot.isFree() && slot.consumer != null) {
                    slot.consumer.setRedNegotiated(answer.keeps(slot.mid, SubscriberCodecs.RED.payloadType()));
                }
            }
            if (p.renegotiationNeeded) renegotiate(p);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The size p shows a track at: its consumer forwards the simulcast layer that covers it (a one-stream track takes
     * no notice). A track p does not receive now is not an error: the tile may outlive the track by a moment.
     */
    void setVideoSize(Participant p, String trackId, int width, int height) throws SignalingException {
        lock.lock();
        try {
            if (p.left) throw new SignalingException(ErrorCode.NOT_JOINED, "you have left the room");
            SubscriberSlotState videoSlot = videoSlotOf(p, trackId);
            if (videoSlot != null) { // a viewer's tile of a video slot: whoever the slot carries, now and later
                int[] before = p.videoSizes.get(trackId);
                if (before != null && before[0] == width && before[1] == height) return;
                p.videoSizes.put(trackId, new int[] {width, height});
                videoSlot.consumer.setPreferredSize(width, height);
                return;
            }
            if (!isPublishedVideo(trackId)) return;
            int[] before = p.videoSizes.get(trackId);
            // A tile re-reporting its size (a window resized by a pixel back and forth) costs the media loop nothing.
            if (before != null && before[0] == width && before[1] == height) return;
            p.videoSizes.keySet().removeIf(id -> !isPublishedVideo(id) && !id.startsWith("video-"));
            p.videoSizes.put(trackId, new int[] {width, height});
            for (SubscriberSlotState slot : p.slots) {
                if (slot.track != null && slot.consumer != null && slot.track.trackId().equals(trackId)) {
                    slot.consumer.setPreferredSize(width, height);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** p's video slot whose track id this is ({@code video-<n>}), or null. */
    private static SubscriberSlotState videoSlotOf(Participant p, String trackId) {
        for (SubscriberSlotState s : p.slots) {
            if (s.audienceSlot >= 0 && s.kind == MediaKind.VIDEO && s.consumer != null
                    && trackId.equals(slotTrackId(MediaKind.VIDEO, s.audienceSlot))) {
                return s;
            }
        }
        return null;
    }

    private boolean isPublishedVideo(String trackId) {
        for (Participant other : participants.values()) {
            for (PublishedTrack t : other.publishedTracks()) {
                if (t.kind() == MediaKind.VIDEO && t.trackId().equals(trackId)) return true;
            }
        }
        return false;
    }

    /** A new consumer starts on the layer that fits the size p last said it shows the track at. */
    private static void applyVideoSize(Participant p, SubscriberSlotState slot) {
        int[] size = p.videoSizes.get(slot.track.trackId());
        if (size != null) slot.consumer.setPreferredSize(size[0], size[1]);
    }

    void leave(Participant p, String reason) {
        lock.lock();
        try {
            if (p.left) return;
            p.left = true;
            participants.remove(p.id());
            boolean published = !p.publishedByMid.isEmpty();
            for (PublishedTrack t : List.copyOf(p.publishedByMid.values())) unpublish(p, t);
            if (p.publisher != null) closeQuietly(p.publisher);
            if (p.subscriber != null) closeQuietly(p.subscriber);
            if (published) renegotiateOthers(p);
            log.debug("{} left room {}: {}", p.id(), name, reason);
        } finally {
            lock.unlock();
        }
    }

    void rebind(Participant p, Outbox outbox) {
        lock.lock();
        try {
            p.outbox = outbox;
            // Dynacast: a publisherLayers sent while the socket was down may be lost, and the publisher connection
            // outlives the socket with its encodings as they were: say again what holds now, unless it is every layer
            // and was never anything else.
            for (PublishedTrack t : p.publishedTracks()) {
                if (!t.producer().isSimulcast()) continue;
                List<String> rids = t.producer().sendingRids();
                boolean all = rids.size() == t.producer().parameters().encodings().size();
                if (all && rids.equals(p.layersSent.get(t.trackId()))) continue;
                p.layersSent.put(t.trackId(), rids);
                p.send(new ServerFrame.PublisherLayers(t.mid(), rids));
            }
        } finally {
            lock.unlock();
        }
    }

    void restartSubscriberIce(Participant p) {
        lock.lock();
        try {
            // No subscriber connection yet (nothing to receive): the first offer will bring fresh credentials anyway.
            if (p.left || p.subscriber == null) return;
            // A pending offer may have been lost with the old socket: waiting for its answer could wait forever. The
            // restart's offer supersedes it; an answer to it that still comes is ignored.
            if (p.offerPending) {
                p.ignoreAnswersUpTo = p.offerVersion;
                p.offerPending = false;
            }
            p.iceRestartWanted = true;
            renegotiate(p);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Answers a viewer's one offer (WHEP): a subscriber connection whose m-sections are the ones the client offered,
     * filled with the room's tracks at once and refilled as they change.
     */
    String view(Participant p, String offer) throws SdpException, SignalingException {
        lock.lock();
        try {
            if (p.left) throw new SignalingException(ErrorCode.NOT_JOINED, "you have left the room");
            if (p.receiving != Receiving.CLIENT_OFFERS) throw new IllegalStateException(p.id() + " does not offer");
            if (p.subscriber != null) throw new SignalingException(ErrorCode.BAD_REQUEST, "this viewer has its connection already");
            media.checkRoom();
            Endpoint subscriber = media.createEndpoint(p.id() + "-sub", transportListener(p, "subscriber"));
            ViewerNegotiation.Answer answer;
            try {
                answer = ViewerNegotiation.answer(offer, serverTransport(subscriber), p.subscriberSessionId,
                        stageVideoCodecs(p), () -> RANDOM.nextInt());
                subscriber.setMayPublish(false);
                subscriber.transport().setRemote(answer.clientIce(), answer.clientDtls());
            } catch (SdpException | RuntimeException e) {
                closeQuietly(subscriber);
                throw e;
            }
            p.subscriber = subscriber;
            for (ViewerNegotiation.Slot s : answer.slots()) {
                SubscriberSlotState slot = new SubscriberSlotState(s.mid(), s.kind());
                slot.ssrc = s.ssrc();
                slot.rtxSsrc = s.rtxSsrc();
                slot.viewerCodec = s.codec();
                slot.viewerExtensions = s.extensions();
                p.slots.add(slot);
            }
            refill(p);
            return answer.sdp();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What each m-section of a viewer's connection carries now, in the order offered: the owner's participant id and
     * the track's kind ({@code "host:audio"}), or null for a free one. For tests and diagnostics.
     */
    List<String> viewerSlots(String participantId) {
        lock.lock();
        try {
            Participant p = participants.get(participantId);
            if (p == null) return List.of();
            List<String> out = new ArrayList<>(p.slots.size());
            for (SubscriberSlotState slot : p.slots) {
                out.add(slot.isFree() ? null : slot.ownerId + ":" + slot.kind.sdpName());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The codecs of the video tracks published here, in the order people came (what a viewer's video slots should
     * take, one each: a stage with a VP8 camera and an H.264 one gets a slot of each).
     */
    private List<String> stageVideoCodecs(Participant viewer) {
        List<String> out = new ArrayList<>();
        for (Participant other : participants.values()) {
            if (other == viewer) continue;
            for (PublishedTrack t : other.publishedTracks()) {
                if (t.kind() == MediaKind.VIDEO) out.add(t.producer().parameters().codecs().getFirst().mimeType());
            }
        }
        return out;
    }

    /**
     * Brings a viewer's slots up to date without renegotiating: a slot whose track ended is freed, a free slot takes
     * the first track of its kind and codec nobody's slot carries, in the order people joined (the host first, as a
     * rule). A refilled slot keeps its SSRC; the new stream's sequence numbers and timestamps jump, which receivers
     * take as a new start, and a keyframe is asked for.
     */
    private void refill(Participant p) {
        if (p.subscriber == null) return;
        List<PublishedTrack> wanted = new ArrayList<>();
        Map<Producer, String> owners = new HashMap<>();
        for (Participant other : participants.values()) {
            if (other == p || !p.subscribe) continue;
            for (PublishedTrack t : other.publishedTracks()) {
                wanted.add(t);
                owners.put(t.producer(), other.id());
            }
        }
        for (SubscriberSlotState slot : p.slots) {
            if (slot.isFree()) continue;
            if (wanted.contains(slot.track)) {
                wanted.remove(slot.track);
            } else {
                slot.consumer.close();
                slot.consumer = null;
                slot.track = null;
                slot.ownerId = null;
            }
        }
        for (SubscriberSlotState slot : p.slots) {
            if (!slot.isFree()) continue;
            for (PublishedTrack t : wanted) {
                if (t.kind() != slot.kind) continue;
                String mime = t.producer().parameters().codecs().getFirst().mimeType();
                if (!mime.equalsIgnoreCase(slot.viewerCodec.mimeType())) continue;
                TrackParameters parameters = new TrackParameters(slot.mid, t.kind(), t.source(), List.of(slot.viewerCodec),
                        slot.viewerExtensions, List.of(new RtpEncoding(slot.ssrc, slot.rtxSsrc)));
                slot.consumer = p.subscriber.consume(newId("c"), t.producer(), parameters);
                slot.track = t;
                slot.ownerId = owners.get(t.producer());
                watchPause(p, slot);
                applySpeakerPriority(slot);
                slot.consumer.requestKeyframe();
                wanted.remove(t);
                break;
            }
        }
    }

    /**
     * Restarts ICE on a connection of this person (a WHIP or WHEP client's PATCH, RFC 9725 section 4.3.2): Salotto's
     * end gets new credentials, the client's are {@code clientIce}; DTLS and SRTP carry on.
     *
     * @param publisher the publisher connection (WHIP), else the subscriber one (WHEP)
     * @return Salotto's new credentials
     */
    org.salotto.media.params.IceParameters restartIce(Participant p, boolean publisher,
                                                       org.salotto.media.params.IceParameters clientIce)
            throws SignalingException {
        lock.lock();
        try {
            Endpoint e = p.left ? null : publisher ? p.publisher : p.subscriber;
            if (e == null) throw new SignalingException(ErrorCode.NOT_JOINED, "this media connection is closed");
            org.salotto.media.params.IceParameters fresh = e.transport().restartIce();
            e.transport().setRemote(clientIce, null);
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /** This person's ICE credentials now on one of their connections, or null when it is closed. */
    org.salotto.media.params.IceParameters localIce(Participant p, boolean publisher) {
        lock.lock();
        try {
            Endpoint e = p.left ? null : publisher ? p.publisher : p.subscriber;
            return e == null ? null : e.transport().localIce();
        } finally {
            lock.unlock();
        }
    }

    // ---- a media connection closed by the peer or by consent: the person stays ----

    private void publisherClosed(Participant p, WebRtcTransport transport, String reason) {
        lock.lock();
        try {
            if (p.left || p.publisher == null || p.publisher.transport() != transport) return;
            p.send(new ServerFrame.TransportClosed(ServerFrame.Connection.PUBLISHER, reason));
            Endpoint publisher = p.publisher;
            // Publishing again needs a new connection: the next publish makes a fresh transport and negotiation.
            p.publisher = null;
            p.publisherNegotiation = null;
            boolean published = !p.publishedByMid.isEmpty();
            for (PublishedTrack t : List.copyOf(p.publishedByMid.values())) unpublish(p, t);
            closeQuietly(publisher);
            if (published) renegotiateOthers(p);
        } finally {
            lock.unlock();
        }
    }

    private void subscriberClosed(Participant p, WebRtcTransport transport, String reason) {
        lock.lock();
        try {
            if (p.left || p.subscriber == null || p.subscriber.transport() != transport) return;
            p.send(new ServerFrame.TransportClosed(ServerFrame.Connection.SUBSCRIBER, reason));
            Endpoint old = p.subscriber;
            p.subscriber = null;
            if (p.receiving == Receiving.CLIENT_OFFERS) {
                // A viewer's connection cannot be offered again: it is over (its client hears transportClosed).
                closeQuietly(old);
                p.slots.clear();
                return;
            }
            closeQuietly(old); // its consumers leave the producers they were fed by
            p.slots.clear();
            p.offerPending = false;
            p.renegotiationNeeded = false;
            p.iceRestartWanted = false;
            p.newConnection = true;
            p.ignoreAnswersUpTo = p.offerVersion;
            p.subscriberSessionId = RANDOM.nextLong() & Long.MAX_VALUE;
            renegotiate(p); // a new transport with every track, if there is anything to receive
        } finally {
            lock.unlock();
        }
    }

    private static ServerFrame.Track track(Participant p, PublishedTrack t) {
        return new ServerFrame.Track(p.id(), t.trackId(), t.kind(), (Source) FrameCodec.enumOf(Source.class, t.source()),
                p.mutedSources.contains(t.source()) ? Boolean.TRUE : null);
    }

    /** At most this many mute changes per person per window: each one is a frame to everyone in the room. */
    static final int MUTE_CHANGES = 20;
    static final long MUTE_WINDOW_NANOS = 10_000_000_000L;

    /**
     * A person turned a source off or on again (their tracks stay published). The others hear of it when the person
     * publishes that source now; a later track of the source is published muted (its trackPublished says so).
     *
     * @throws SignalingException {@code rate_limited} past {@link #MUTE_CHANGES} changes in a window
     */
    void setMuted(Participant p, Source source, boolean muted) throws SignalingException {
        String name = org.salotto.signaling.protocol.Wire.name(source);
        lock.lock();
        try {
            if (p.left) throw new SignalingException(ErrorCode.NOT_JOINED, "you have left the room");
            if (p.mutedSources.contains(name) == muted) return; // no change: nothing to tell
            long now = System.nanoTime();
            if (now - p.muteWindowStart >= MUTE_WINDOW_NANOS) {
                p.muteWindowStart = now;
                p.muteChanges = 0;
            }
            if (++p.muteChanges > MUTE_CHANGES) {
                throw new SignalingException(ErrorCode.RATE_LIMITED, "too many mute changes: at most " + MUTE_CHANGES
                        + " in " + MUTE_WINDOW_NANOS / 1_000_000_000L + " s");
            }
            if (muted) p.mutedSources.add(name);
            else p.mutedSources.remove(name);
            for (PublishedTrack t : p.publishedTracks()) {
                if (t.source().equals(name)) {
                    broadcast(FrameCodec.encode(new ServerFrame.TrackMuted(p.id(), source, muted)), p);
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Endpoint endpoint) {
        try {
            endpoint.close();
        } catch (MediaBusyException e) {
            log.error("{}: not closed, the media loop was busy", endpoint.transport().id());
        }
    }

    // ---- active speakers ----

    /** Under the lock: the microphones published now, in the order people joined, a person's together. */
    private void refreshAudioSources() {
        List<AudioSource> out = new ArrayList<>();
        for (Participant p : participants.values()) {
            for (PublishedTrack t : p.publishedTracks()) {
                AudioLevelMeter meter = t.producer().audioLevels();
                if (meter != null && t.source().equals("mic")) out.add(new AudioSource(p.id(), meter));
            }
        }
        for (StageTrack r : relayedStage) {
            if (r.kind() != MediaKind.AUDIO) continue;
            AudioLevelMeter meter = r.producer().audioLevels();
            if (meter != null) out.add(new AudioSource(r.participantId(), meter));
        }
        audioSources = out.toArray(new AudioSource[0]);
        List<Producer> stage = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        for (Participant p : participants.values()) {
            for (PublishedTrack t : p.publishedTracks()) {
                if (t.kind() != MediaKind.AUDIO) continue;
                stage.add(t.producer());
                owners.put(t.trackId(), p.id());
            }
        }
        for (StageTrack r : relayedStage) {
            if (r.kind() != MediaKind.AUDIO) continue;
            stage.add(r.producer());
            owners.put(r.producer().id(), r.participantId());
        }
        audioOwners = owners;
        refreshCameras();
        var listener = stageListener;
        if (listener != null) listener.accept(stageTracks());
        if (audioSlots == null) return;
        try {
            audioSlots.setSources(stage);
        } catch (MediaBusyException e) {
            log.error("room {}: the audience's audio slots not updated, the media loop was busy", name);
        }
    }

    /** Under the lock: the stage's cameras, in the order people joined, for the video slots. */
    private void refreshCameras() {
        if (videoSlots == null) return;
        List<Producer> cameras = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        for (Participant p : participants.values()) {
            for (PublishedTrack t : p.publishedTracks()) {
                if (!onVideoSlot(t)) continue;
                cameras.add(t.producer());
                owners.put(t.trackId(), p.id());
            }
        }
        for (StageTrack r : relayedStage) { // an edge's: the stage's node's cameras, in its order
            if (r.kind() != MediaKind.VIDEO) continue;
            cameras.add(r.producer());
            owners.put(r.producer().id(), r.participantId());
        }
        videoOwners = owners;
        try {
            videoSlots.setSources(cameras);
        } catch (MediaBusyException e) {
            log.error("room {}: the audience's video slots not updated, the media loop was busy", name);
        }
    }

    /** Whether the audience receives this track on a video slot (a camera, in a room with video slots). */
    private boolean onVideoSlot(PublishedTrack t) {
        return videoSlots != null && t.kind() == MediaKind.VIDEO && t.source().equals("camera");
    }

    /**
     * Whether p receives as the audience: on the fixed slots (a WebSocket client who may publish nothing, in a room
     * with slots).
     */
    private boolean isAudience(Participant p) {
        return (audioSlots != null || videoSlots != null) && p.receiving == Receiving.SERVER_OFFERS && p.policy.refusesAll();
    }

    /** Subscriber offers sent in this room since it started. */
    public long offersSent() {
        return offersSent.get();
    }

    /** The slots' mapping changed (timer thread): tells the audience whom each slot carries. */
    private void tellSlots() {
        if (audioSlots == null && videoSlots == null) return;
        String[] mapping = audioSlots == null ? new String[0] : audioSlots.mapping();
        String[] videoMapping = videoSlots == null ? new String[0] : videoSlots.mapping();
        if (java.util.Arrays.equals(mapping, lastMapping) && java.util.Arrays.equals(videoMapping, lastVideoMapping)) return;
        lastMapping = mapping;
        lastVideoMapping = videoMapping;
        FrameCodec.Encoded frame = FrameCodec.encode(new ServerFrame.StageSlots(
                stageSlots(MediaKind.AUDIO, mapping, audioOwners), stageSlots(MediaKind.VIDEO, videoMapping, videoOwners)));
        lock.lock();
        try {
            lastSlots = frame;
            for (Participant p : participants.values()) {
                if (hasAudienceSlots(p)) p.send(frame);
            }
        } finally {
            lock.unlock();
        }
    }

    private static List<ServerFrame.StageSlot> stageSlots(MediaKind kind, String[] mapping, Map<String, String> owners) {
        List<ServerFrame.StageSlot> out = new ArrayList<>(mapping.length);
        for (int k = 0; k < mapping.length; k++) {
            out.add(new ServerFrame.StageSlot(slotTrackId(kind, k), mapping[k] == null ? null : owners.get(mapping[k])));
        }
        return out;
    }

    /** A slot's track id in its m-section's a=msid: {@code audio-0}, ..., {@code video-0}, ... */
    private static String slotTrackId(MediaKind kind, int k) {
        return kind.sdpName() + "-" + k;
    }

    private static boolean hasAudienceSlots(Participant p) {
        for (SubscriberSlotState s : p.slots) if (s.audienceSlot >= 0) return true;
        return false;
    }

    /**
     * One interval of the active-speaker detection (the signaling service's timer thread, without the lock): takes
     * each microphone's levels since the last interval, and when who speaks or who holds the floor changed, sends
     * {@code activeSpeakers} to everyone here, encoded once. A person who unpublished or left is not sampled, so the
     * detector forgets them.
     */
    void evaluateSpeakers(long nowNanos) {
        tellSlots(); // what the loop decided at the last interval
        if (audioSlots != null && (lastSlots != null || audioSources.length > 0)) { // cameras need no interval
            try {
                audioSlots.evaluate();
            } catch (MediaBusyException e) {
                // Counted by the loop; the next interval tries again.
            }
        }
        AudioSource[] sources = audioSources;
        if (sources.length == 0 && lastSpeakers == null) return; // nobody has ever had a microphone here
        for (int i = 0; i < sources.length; ) {
            String id = sources[i].participantId();
            int packets = 0;
            int voiced = 0;
            long loudness = 0;
            for (; i < sources.length && sources[i].participantId().equals(id); i++) {
                long taken = sources[i].meter().take();
                int n = AudioLevelMeter.packets(taken);
                packets += n;
                voiced += AudioLevelMeter.voiced(taken);
                loudness += (long) AudioLevelMeter.loudness(taken) * n;
            }
            speakers.sample(id, packets, voiced, packets == 0 ? 0 : (int) (loudness / packets));
        }
        ActiveSpeakerDetector.State changed = speakers.evaluate(nowNanos);
        if (changed == null) return;
        List<ServerFrame.Speaker> list = new ArrayList<>(changed.speakers().size());
        for (ActiveSpeakerDetector.Speaker s : changed.speakers()) {
            list.add(new ServerFrame.Speaker(s.participantId(), s.level()));
        }
        FrameCodec.Encoded frame = FrameCodec.encode(new ServerFrame.ActiveSpeakers(changed.dominant(), list));
        lock.lock();
        try {
            lastSpeakers = frame;
            broadcast(frame, null);
            if (!java.util.Objects.equals(dominantSpeaker, changed.dominant())) {
                dominantSpeaker = changed.dominant();
                for (Participant p : participants.values()) {
                    for (SubscriberSlotState slot : p.slots) applySpeakerPriority(slot);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: the consumer of a slot that carries the dominant speaker's camera is served before the other
     * videos when the subscriber's downlink cannot carry them all (the media layer's allocator; a screen share is
     * first anyway).
     */
    private void applySpeakerPriority(SubscriberSlotState slot) {
        if (slot.isFree() || slot.consumer == null || slot.kind != MediaKind.VIDEO || slot.audienceSlot >= 0) return;
        boolean speaker = slot.ownerId != null && slot.ownerId.equals(dominantSpeaker)
                && slot.track.source().equals("camera");
        try {
            slot.consumer.setPriority(speaker ? Consumer.PRIORITY_SPEAKER : Consumer.PRIORITY_NORMAL);
        } catch (MediaBusyException e) {
            log.warn("{}: priority not set, the media loop was busy", slot.consumer);
        }
    }

    // ---- subscriber negotiation, under the lock ----

    private void renegotiateOthers(Participant changed) {
        for (Participant other : participants.values()) {
            if (other != changed) renegotiate(other);
        }
    }

    /** Brings p's subscriber connection up to date: one offer at a time, the next one after the answer. */
    private void renegotiate(Participant p) {
        if (p.left || p.receiving == Receiving.NOTHING) return;
        if (p.receiving == Receiving.CLIENT_OFFERS) {
            refill(p);
            return;
        }
        if (p.offerPending) {
            p.renegotiationNeeded = true;
            return;
        }
        p.renegotiationNeeded = false;
        boolean audience = p.subscribe && isAudience(p);
        Map<Producer, PublishedTrack> wanted = new LinkedHashMap<>();
        Map<Producer, String> owners = new HashMap<>();
        for (Participant other : participants.values()) {
            if (other == p || !p.subscribe) continue;
            for (PublishedTrack t : other.publishedTracks()) {
                if (audience && (audioSlots != null && t.kind() == MediaKind.AUDIO || onVideoSlot(t))) continue; // on the fixed slots
                wanted.put(t.producer(), t);
                owners.put(t.producer(), other.id());
            }
        }
        boolean changed = false;
        for (SubscriberSlotState slot : p.slots) {
            if (slot.audienceSlot >= 0) {
                if (!audience) { // on stage now: the m-section is free for a speaker's track
                    slot.consumer.close();
                    slot.consumer = null;
                    slot.audienceSlot = -1;
                    changed = true;
                }
                continue;
            }
            if (!slot.isFree() && !wanted.containsKey(slot.track.producer())) {
                slot.consumer.close();
                slot.consumer = null;
                slot.track = null;
                slot.ownerId = null;
                slot.keyframeOnAnswer = false;
                changed = true;
            } else if (!slot.isFree()) {
                wanted.remove(slot.track.producer());
            }
        }
        if (p.subscriber == null) {
            if (wanted.isEmpty() && !audience) return; // nothing to receive: no connection, no ICE to wait for
            p.subscriber = media.createEndpoint(p.id() + "-sub", transportListener(p, "subscriber"));
            // Publishing goes over the publisher connection only: the subscriber connection carries nothing up.
            p.subscriber.setMayPublish(false);
        }
        for (PublishedTrack t : wanted.values()) {
            SubscriberSlotState slot = null;
            for (SubscriberSlotState s : p.slots) {
                if (s.isFree() && s.kind == t.kind()) {
                    slot = s;
                    break;
                }
            }
            if (slot == null) {
                slot = new SubscriberSlotState(String.valueOf(p.slots.size()), t.kind());
                p.slots.add(slot);
            }
            slot.track = t;
            slot.ownerId = owners.get(t.producer());
            slot.ssrc = newSsrc(p);
            slot.rtxSsrc = t.kind() == MediaKind.VIDEO ? newSsrc(p) : 0;
            TrackParameters consumerParameters = new TrackParameters(slot.mid, t.kind(), t.source(),
                    SubscriberCodecs.codecs(t.kind()), SubscriberCodecs.headerExtensions(t.kind()),
                    List.of(new RtpEncoding(slot.ssrc, slot.rtxSsrc)));
            slot.consumer = p.subscriber.consume(newId("c"), t.producer(), consumerParameters);
            watchPause(p, slot);
            applyVideoSize(p, slot);
            applySpeakerPriority(slot);
            slot.keyframeOnAnswer = true;
            changed = true;
        }
        if (audience && !hasAudienceSlots(p)) {
            for (int k = 0; audioSlots != null && k < audioSlots.slots(); k++) {
                SubscriberSlotState slot = null;
                for (SubscriberSlotState s : p.slots) {
                    if (s.isFree() && s.kind == MediaKind.AUDIO) {
                        slot = s;
                        break;
                    }
                }
                if (slot == null) {
                    slot = new SubscriberSlotState(String.valueOf(p.slots.size()), MediaKind.AUDIO);
                    p.slots.add(slot);
                }
                slot.audienceSlot = k;
                slot.ssrc = newSsrc(p);
                slot.rtxSsrc = 0;
                TrackParameters parameters = new TrackParameters(slot.mid, MediaKind.AUDIO, "mic",
                        SLOT_TEMPLATE.codecs(), SLOT_TEMPLATE.headerExtensions(), List.of(new RtpEncoding(slot.ssrc, 0)));
                slot.consumer = audioSlots.consume(p.subscriber, k, newId("c"), parameters);
            }
            for (int k = 0; videoSlots != null && k < videoSlots.slots(); k++) {
                SubscriberSlotState slot = null;
                for (SubscriberSlotState s : p.slots) {
                    if (s.isFree() && s.kind == MediaKind.VIDEO) {
                        slot = s;
                        break;
                    }
                }
                if (slot == null) {
                    slot = new SubscriberSlotState(String.valueOf(p.slots.size()), MediaKind.VIDEO);
                    p.slots.add(slot);
                }
                slot.audienceSlot = k;
                slot.ssrc = newSsrc(p);
                slot.rtxSsrc = newSsrc(p);
                TrackParameters parameters = new TrackParameters(slot.mid, MediaKind.VIDEO, "camera",
                        VIDEO_SLOT_TEMPLATE.codecs(), VIDEO_SLOT_TEMPLATE.headerExtensions(),
                        List.of(new RtpEncoding(slot.ssrc, slot.rtxSsrc)));
                slot.consumer = videoSlots.consume(p.subscriber, k, newId("c"), parameters);
                int[] size = p.videoSizes.get(slotTrackId(MediaKind.VIDEO, k));
                if (size != null) slot.consumer.setPreferredSize(size[0], size[1]);
                slot.keyframeOnAnswer = true;
            }
            FrameCodec.Encoded mapping = lastSlots;
            if (mapping != null) p.send(mapping);
            changed = true;
        }
        if (!changed && !p.iceRestartWanted) return;
        if (p.iceRestartWanted) {
            p.iceRestartWanted = false;
            // New credentials now, when the offer that carries them goes out; a new connection has fresh ones.
            if (!p.newConnection) p.subscriber.transport().restartIce();
        }
        List<SubscriberSlot> slots = new ArrayList<>();
        for (SubscriberSlotState s : p.slots) {
            if (s.audienceSlot >= 0) {
                slots.add(new SubscriberSlot.Send(s.mid, s.kind, SLOT_STREAM, slotTrackId(s.kind, s.audienceSlot),
                        SubscriberCodecs.codecs(s.kind), new RtpEncoding(s.ssrc, s.rtxSsrc)));
            } else if (s.isFree()) {
                slots.add(new SubscriberSlot.Inactive(s.mid, s.kind));
            } else {
                slots.add(new SubscriberSlot.Send(s.mid, s.kind, s.ownerId, s.track.trackId(),
                        SubscriberCodecs.codecs(s.kind), new RtpEncoding(s.ssrc, s.rtxSsrc)));
            }
        }
        p.offerVersion++;
        p.offerPending = true;
        offersSent.incrementAndGet();
        String sdp = SubscriberOffer.build(serverTransport(p.subscriber), p.subscriberSessionId, p.offerVersion, slots);
        // After the last subscriber connection closed, the offer is for a new RTCPeerConnection.
        p.send(new ServerFrame.SubscribeOffer(sdp, p.offerVersion, p.newConnection ? Boolean.TRUE : null));
        p.newConnection = false;
    }

    private int newSsrc(Participant p) {
        while (true) {
            int ssrc = RANDOM.nextInt();
            if (ssrc == 0) continue;
            boolean used = false;
            for (SubscriberSlotState s : p.slots) used |= s.ssrc == ssrc || s.rtxSsrc == ssrc;
            if (!used) return ssrc;
        }
    }

    private void broadcast(FrameCodec.Encoded frame, Participant except) {
        for (Participant other : participants.values()) {
            if (other != except) other.send(frame);
        }
    }

    private ServerTransport serverTransport(Endpoint endpoint) {
        java.net.InetSocketAddress tcp = media.tcpAddress(); // the ICE-TCP port, when the server opened one
        return new ServerTransport(endpoint.transport().localIce(), media.fingerprintSha256(), announceAddress, announcePort,
                tcp == null ? 0 : tcp.getPort());
    }

    /** Events of one of p's transports; {@code connection} is {@code publisher} or {@code subscriber}. */
    private TransportListener transportListener(Participant p, String connection) {
        return new TransportListener() {
            @Override
            public void onConnected(WebRtcTransport transport) {
                log.debug("{}: {} connected", p.id(), transport.id());
            }

            @Override
            public void onClosed(WebRtcTransport transport, String reason) {
                if (p.left) return;
                log.info("{}: {} closed: {}", p.id(), transport.id(), reason);
                try {
                    if (connection.equals("publisher")) publisherClosed(p, transport, reason);
                    else subscriberClosed(p, transport, reason);
                } catch (MediaBusyException e) {
                    log.error("{}: the media loop was busy while replacing {}", p.id(), transport.id());
                }
            }
        };
    }

    private static String newId(String prefix) {
        byte[] b = new byte[9];
        RANDOM.nextBytes(b);
        return prefix + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'x').replace('_', 'y');
    }
}
