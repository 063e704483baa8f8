package org.salotto.loadtest;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.salotto.signaling.sdp.SdpException;
import org.salotto.signaling.sdp.SdpParser;
import org.salotto.signaling.sdp.SessionDescription;

/**
 * One simulated person: joins over signaling, publishes (when a publisher) on its publisher connection, and answers
 * every subscribe offer on its subscriber connection, then measures what arrives. Control work runs on virtual
 * threads; media on the harness's pacer and receiver threads.
 */
final class SimulatedParticipant implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Harness h;
    private final String name;
    private final boolean publishes;
    private final CompletableFuture<JsonNode> joined = new CompletableFuture<>();
    private final CompletableFuture<JsonNode> publishAnswer = new CompletableFuture<>();
    private volatile SignalingClient signaling;
    private volatile long joinStartNanos;
    private volatile SubscriberMeter meter;
    private volatile ClientConnection subscriber; // created on the signaling thread
    private volatile ClientConnection publisher;
    private volatile PacedSource[] sources = new PacedSource[0];
    volatile String participantId;
    volatile String failure;

    SimulatedParticipant(Harness h, String name, boolean publishes) {
        this.h = h;
        this.name = name;
        this.publishes = publishes;
    }

    String name() {
        return name;
    }

    boolean publishes() {
        return publishes;
    }

    SubscriberMeter meter() {
        return meter;
    }

    /** Joins, and publishes when a publisher; blocking, on a virtual thread. Failures are recorded, not thrown. */
    void run() {
        h.metrics().joinsStarted.incrementAndGet();
        joinStartNanos = System.nanoTime();
        try {
            signaling = SignalingClient.connect(h.http(), h.config().webSocketUri(), this::onFrame,
                    () -> joined.completeExceptionally(new IOException("signaling closed")));
            signaling.send(SignalingClient.message("join").put("name", name));
            JsonNode j = joined.get(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            participantId = j.path("participantId").asText();
            if (publishes) publish();
        } catch (Exception e) {
            fail("join: " + e);
        }
    }

    private void publish() throws Exception {
        LoadTestConfig c = h.config();
        publisher = new ClientConnection(h.localAddress());
        int audioSsrc = c.audio() ? ssrc() : 0;
        int videoSsrc = c.videoKbps() > 0 ? ssrc() : 0;
        int rtxSsrc = videoSsrc != 0 ? ssrc() : 0;
        ObjectNode frame = SignalingClient.message("publish")
                .put("sdp", ClientSdp.publisherOffer(publisher, h.identity(), name, audioSsrc, videoSsrc, rtxSsrc));
        ObjectNode sourcesByMid = frame.putObject("sources");
        if (audioSsrc != 0) sourcesByMid.put("0", "mic");
        if (videoSsrc != 0) sourcesByMid.put("1", "camera");
        signaling.send(frame);
        JsonNode answer = publishAnswer.get(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        RemoteTransport remote = RemoteTransport.read(SdpParser.parse(answer.path("sdp").asText()));

        VideoSource video = videoSsrc == 0 ? null : new VideoSource(
                new RtpWriter(publisher, h.metrics(), ClientSdp.VP8_PT, videoSsrc, false), h.metrics(),
                c.videoKbps(), c.keyframeSeconds());
        AudioSource audio = audioSsrc == 0 ? null
                : new AudioSource(new RtpWriter(publisher, h.metrics(), ClientSdp.OPUS_PT, audioSsrc, true));
        publisher.setRemote(remote, new PublisherFeedback(h.metrics(), video));
        h.receiver().register(publisher);
        publisher.connect(h.identity(), remote.fingerprintSha256(), CONNECT_TIMEOUT_MILLIS);
        h.metrics().connected.incrementAndGet();
        sources = Stream.of(audio, video).filter(Objects::nonNull).toArray(PacedSource[]::new);
        h.pacer().add(sources);
    }

    private void onFrame(JsonNode frame) {
        switch (frame.path("type").asText()) {
            case "joined" -> joined.complete(frame);
            case "publishAnswer" -> publishAnswer.complete(frame);
            case "subscribeOffer" -> onSubscribeOffer(frame);
            case "error" -> {
                String message = frame.path("code").asText() + ": " + frame.path("message").asText();
                publishAnswer.completeExceptionally(new IOException(message));
                fail("server error " + message);
            }
            default -> { } // participants coming and going, tracks: the offers say all we need
        }
    }

    private void onSubscribeOffer(JsonNode frame) {
        try {
            SessionDescription offer = SdpParser.parse(frame.path("sdp").asText());
            List<ClientSdp.Stream> streams = ClientSdp.streams(offer);
            boolean first = subscriber == null;
            if (first) {
                subscriber = new ClientConnection(h.localAddress());
                meter = new SubscriberMeter(h.metrics(), h.runStartNanos(), joinStartNanos, !publishes,
                        h.config().decryptEvery());
            }
            meter.update(streams);
            signaling.send(SignalingClient.message("subscribeAnswer")
                    .put("sdp", ClientSdp.subscriberAnswer(offer, subscriber, h.identity()))
                    .put("version", frame.path("version").asLong()));
            if (first) {
                RemoteTransport remote = RemoteTransport.read(offer);
                subscriber.setRemote(remote, meter);
                h.receiver().register(subscriber);
                ClientConnection c = subscriber;
                Thread.ofVirtual().name("connect-" + name).start(() -> {
                    try {
                        c.connect(h.identity(), remote.fingerprintSha256(), CONNECT_TIMEOUT_MILLIS);
                        h.metrics().connected.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        fail("subscriber connection: " + e);
                    }
                });
            }
        } catch (SdpException | IOException | RuntimeException e) {
            fail("subscribe offer: " + e);
        }
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
        stopSending();
        SignalingClient s = signaling;
        if (s != null) {
            s.send(SignalingClient.message("leave"));
            s.close();
        }
        if (publisher != null) publisher.close();
        if (subscriber != null) subscriber.close();
    }
}
