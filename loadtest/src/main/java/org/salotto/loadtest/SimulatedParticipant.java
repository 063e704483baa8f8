package org.salotto.loadtest;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.salotto.signaling.sdp.SdpException;
import org.salotto.signaling.sdp.SdpParser;
import org.salotto.signaling.sdp.SessionDescription;

/**
 * One simulated person: joins through its {@link Signaling} (Salotto's or Janus's), publishes (when a publisher) on
 * its publisher connection, and answers the subscribe offer(s) on its subscriber connection, then measures what
 * arrives. Control work runs on virtual threads; media on the harness's pacer and receiver threads. Nothing here
 * depends on the server's protocol.
 */
final class SimulatedParticipant implements AutoCloseable, Signaling.Events {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Harness h;
    private final String name;
    private final boolean publishes;
    /** The tile size this listener reports for every video it receives, or null (none reported). */
    private final LoadTestConfig.ViewerSize viewerSize;
    /** Video track ids whose size was reported (signaling thread only). */
    private final java.util.Set<String> sized = new java.util.HashSet<>();
    private volatile VideoSource[] videoLayers = new VideoSource[0];
    private volatile Signaling signaling;
    private volatile long joinStartNanos;
    private volatile SubscriberMeter meter;
    private volatile ClientConnection subscriber; // created on the signaling thread
    private volatile ClientConnection publisher;
    private volatile PacedSource[] sources = new PacedSource[0];
    volatile String participantId;
    /** Subscribe offers received: what the listener's own socket says about renegotiations (no server count needed). */
    final java.util.concurrent.atomic.AtomicInteger offersReceived = new java.util.concurrent.atomic.AtomicInteger();
    private volatile java.util.Map<String, String> slotOwners = java.util.Map.of();
    volatile String failure;
    private volatile boolean closed;

    SimulatedParticipant(Harness h, String name, boolean publishes) {
        this(h, name, publishes, null);
    }

    SimulatedParticipant(Harness h, String name, boolean publishes, LoadTestConfig.ViewerSize viewerSize) {
        this(h, name, publishes, viewerSize, List.of(), 0);
    }

    /**
     * @param nodes a cluster's node URLs: the participant joins through {@code nodes[first]} and, its node lost, comes
     *              back through the next ones (Salotto); empty: the room's node, and no coming back
     */
    SimulatedParticipant(Harness h, String name, boolean publishes, LoadTestConfig.ViewerSize viewerSize,
                         List<String> nodes, int first) {
        this.h = h;
        this.name = name;
        this.publishes = publishes;
        this.viewerSize = viewerSize;
        this.nodes = List.copyOf(nodes);
        this.firstNode = first;
    }

    private final List<String> nodes;
    private final int firstNode;
    /** How it came back after each loss: "resumed" or "joined" (signaling thread). */
    final List<String> comebacks = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The node it came back through after each loss. */
    final List<String> cameBackThrough = new java.util.concurrent.CopyOnWriteArrayList<>();

    LoadTestConfig.ViewerSize viewerSize() {
        return viewerSize;
    }

    /** The publisher's video sources: one, or a simulcast publisher's three layers; empty for none. */
    VideoSource[] videoLayers() {
        return videoLayers;
    }

    String name() {
        return name;
    }

    boolean publishes() {
        return publishes;
    }

    /** Its signaling, once {@link #run} started (tests: to watch frames, to comment). */
    Signaling signaling() {
        return signaling;
    }

    SubscriberMeter meter() {
        return meter;
    }

    /** Joins, publishes when a publisher, subscribes; blocking, on a virtual thread. Failures are recorded. */
    void run() {
        h.metrics().joinsStarted.incrementAndGet();
        joinStartNanos = System.nanoTime();
        try {
            Signaling sig = h.signaling(this);
            if (!nodes.isEmpty() && sig instanceof SignalingClient c) c.followNodes(nodes, firstNode);
            signaling = sig;
            signaling.join(name, publishes);
            participantId = signaling.participantId();
            if (publishes) publish();
            signaling.subscribe();
        } catch (Exception e) {
            fail("join: " + e);
        } finally {
            h.metrics().joinsDone.incrementAndGet();
        }
    }

    private void publish() throws Exception {
        LoadTestConfig c = h.config();
        ServerKind kind = c.server();
        publisher = new ClientConnection(h.receiver().open(h.localAddress()), true, kind.fullIce,
                kind.srtpProfiles);
        int audioSsrc = c.audio() ? ssrc() : 0;
        int videoSsrc = c.videoKbps() > 0 ? ssrc() : 0;
        int rtxSsrc = videoSsrc != 0 ? ssrc() : 0;
        String offer = ClientSdp.publisherOffer(publisher, h.identity(), name, kind.publisherSetup, audioSsrc,
                videoSsrc, rtxSsrc, c.simulcast());
        String answer = signaling.publish(offer, audioSsrc != 0, videoSsrc != 0);
        RemoteTransport remote = RemoteTransport.read(SdpParser.parse(answer));

        VideoSource[] video;
        if (videoSsrc == 0) {
            video = new VideoSource[0];
        } else if (c.simulcast()) {
            // Each layer on an SSRC of its own, announced nowhere: the server learns it from the rid of its packets.
            video = new VideoSource[SimulcastLayer.ALL.size()];
            for (int i = 0; i < video.length; i++) {
                SimulcastLayer l = SimulcastLayer.ALL.get(i);
                video[i] = new VideoSource(new RtpWriter(publisher, h.metrics(), ClientSdp.VP8_PT,
                        i == 0 ? videoSsrc : ssrc(), false, l.rid()), h.metrics(), l.kbps(c.videoKbps()),
                        c.keyframeSeconds(), l);
            }
        } else {
            video = new VideoSource[] {new VideoSource(
                    new RtpWriter(publisher, h.metrics(), ClientSdp.VP8_PT, videoSsrc, false), h.metrics(),
                    c.videoKbps(), c.keyframeSeconds())};
        }
        videoLayers = video;
        AudioSource audio = audioSsrc == 0 ? null
                : new AudioSource(new RtpWriter(publisher, h.metrics(), ClientSdp.OPUS_PT, audioSsrc, true));
        publisher.setRemote(remote, new PublisherFeedback(h.metrics(), video));
        h.receiver().register(publisher);
        h.metrics().connecting.incrementAndGet();
        try {
            publisher.connect(h.identity(), remote.fingerprintSha256(), CONNECT_TIMEOUT_MILLIS);
        } finally {
            h.metrics().connecting.decrementAndGet();
        }
        h.metrics().connected.incrementAndGet();
        sources = Stream.concat(Stream.of(audio), Stream.of(video)).filter(Objects::nonNull)
                .toArray(PacedSource[]::new);
        h.pacer().add(sources);
    }

    @Override
    public void onSubscribeOffer(String sdp, long version) {
        if (closed) return; // the others leaving at the end of the run
        offersReceived.incrementAndGet();
        try {
            SessionDescription offer = SdpParser.parse(sdp);
            List<ClientSdp.Stream> streams = ClientSdp.streams(offer);
            boolean first = subscriber == null;
            ServerKind kind = h.config().server();
            if (first) {
                // The server made the offer: towards a full ICE agent we are the controlled side.
                subscriber = new ClientConnection(h.receiver().open(h.localAddress()), !kind.fullIce,
                        kind.fullIce, kind.srtpProfiles);
                // Kept across a loss: the streams of the next node's connection are added to it.
                if (meter == null) {
                    meter = new SubscriberMeter(h.metrics(), h.runStartNanos(), joinStartNanos, !publishes,
                            h.config().decryptEvery());
                }
            }
            meter.update(streams);
            meter.setSlotOwners(slotOwners);
            if (first) {
                RemoteTransport remote = RemoteTransport.read(offer);
                subscriber.setRemote(remote, meter);
                h.receiver().register(subscriber);
            }
            signaling.answer(ClientSdp.subscriberAnswer(offer, subscriber, h.identity()), version);
            // As the web app does for each new tile: the size it shows the video at (after the answer, which makes the
            // track this subscriber's; the server keeps the size for the track either way).
            if (viewerSize != null) {
                for (ClientSdp.Stream st : streams) {
                    if (st.video() && sized.add(st.trackId())) {
                        signaling.videoSize(st.trackId(), viewerSize.width(), viewerSize.height());
                    }
                }
            }
            if (first) {
                ClientConnection c = subscriber;
                RemoteTransport remote = RemoteTransport.read(offer);
                h.metrics().connecting.incrementAndGet();
                Thread.ofVirtual().name("connect-" + name).start(() -> {
                    try {
                        c.connect(h.identity(), remote.fingerprintSha256(), CONNECT_TIMEOUT_MILLIS);
                        h.metrics().connected.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        fail("subscriber connection: " + e);
                    } finally {
                        h.metrics().connecting.decrementAndGet();
                    }
                });
            }
        } catch (SdpException | IOException | RuntimeException e) {
            fail("subscribe offer: " + e);
        }
    }

    @Override
    public void onStageSlots(java.util.Map<String, String> audio) {
        slotOwners = audio;
        SubscriberMeter m = meter;
        if (m != null) m.setSlotOwners(audio);
    }

    /** Dynacast: pauses the layers {@code active} leaves out, resumes those it names (on the publisher's one video). */
    @Override
    public void onPublisherLayers(String mid, java.util.Set<String> active) {
        if (!mid.equals(ClientSdp.VIDEO_MID)) return;
        for (VideoSource v : videoLayers) {
            String rid = v.layer().rid();
            if (rid == null) continue; // one encoding: nothing to pause
            boolean pause = !active.contains(rid);
            if (pause == v.paused()) continue;
            v.setPaused(pause);
            (pause ? h.metrics().layersPaused : h.metrics().layersResumed).increment();
        }
    }

    @Override
    public void onFailure(String why) {
        fail(why);
    }

    /** Its node lost: the subscriber connection to it is gone; the next node's offer brings a new one. */
    @Override
    public void onConnectionLost(long lostAtNanos) {
        SubscriberMeter m = meter;
        if (m != null) m.lost(lostAtNanos);
        ClientConnection old = subscriber;
        subscriber = null;
        if (old != null) old.close();
    }

    @Override
    public void onReconnected(String how, String nodeUrl, long afterNanos) {
        cameBackThrough.add(nodeUrl);
        comebacks.add(how);
        participantId = signaling.participantId();
    }

    /** The consent refresh (RFC 7675): the server closes a connection it has not heard a check on for 30 s. */
    void refreshConsent() {
        for (ClientConnection c : new ClientConnection[] {publisher, subscriber}) {
            if (c == null) continue;
            try {
                c.sendConnectivityCheck();
            } catch (IOException ignored) {
                // the next refresh tries again; consent lasts 30 s
            }
        }
    }

    void stopSending() {
        for (PacedSource s : sources) s.stop();
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
            h.metrics().joinsFailed.incrementAndGet();
            System.err.println("loadtest: " + name + ": " + why);
        }
    }

    private static int ssrc() {
        int s;
        do s = RANDOM.nextInt(); while (s == 0);
        return s;
    }

    @Override
    public void close() {
        closed = true;
        stopSending();
        Signaling s = signaling;
        if (s != null) s.close();
        if (publisher != null) publisher.close();
        if (subscriber != null) subscriber.close();
    }
}
