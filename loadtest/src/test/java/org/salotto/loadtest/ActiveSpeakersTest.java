package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;
import org.salotto.signaling.sdp.SdpParser;

/**
 * The server names who speaks from the audio levels publishers send (RFC 6464), over real sockets: the real server,
 * two publishers on our own ICE, DTLS and SRTP sending Opus-sized packets every 20 ms with an audio level, and a third
 * person in the call who publishes nothing and reads {@code activeSpeakers}. Ann talks (-30 dBov) while Bob is silent
 * (127): Ann is named, alone. Then they swap: Bob is listed as speaking while Ann still holds the floor (the
 * hysteresis), and then takes it.
 */
class ActiveSpeakersTest {
    private static final long WAIT_MILLIS = 10_000;

    @Test
    @Timeout(60)
    void aPublisherWhoTalksIsNamedAndTheFloorMovesWhenAnotherTakesOver() throws Exception {
        try (SalottoServer server = SalottoServer.start(ServerConfig.forTests());
             MediaReceiver receiver = new MediaReceiver(1, new Metrics(), false)) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            ClientIdentity identity = ClientIdentity.generate();
            SalottoRoom room = SalottoRoom.create(http, LoadTest.parse(new String[] {"--url", server.baseUrl(),
                    "--kind", "call", "--room", "active-speakers"}));
            LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
            Signaling.Events quiet = new Signaling.Events() {
                @Override
                public void onSubscribeOffer(String sdp, long version) {
                    // nobody here needs to receive the media: the test reads signaling only
                }

                @Override
                public void onFailure(String why) {
                    frames.add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                            .put("type", "failure").put("why", why));
                }
            };
            try (AudioHost ann = new AudioHost(http, room, receiver, identity, "ann", 30, quiet);
                 AudioHost bob = new AudioHost(http, room, receiver, identity, "bob", 127, quiet);
                 SignalingClient cat = new SignalingClient(http, room, quiet).observe(f -> {
                     if (f.path("type").asText().equals("activeSpeakers") || f.path("type").asText().equals("failure")) {
                         frames.add(f);
                     }
                 })) {
                cat.join("cat", false);
                long start = System.nanoTime();
                JsonNode first = await(frames, "Ann named", f -> ann.id().equals(f.path("dominant").asText()));
                System.out.printf("activeSpeakers named the talker %.0f ms after the listener joined: %s%n",
                        (System.nanoTime() - start) / 1e6, first);
                assertEquals(List.of(ann.id()), speakers(first), "Ann alone speaks: " + first);
                assertTrue(first.path("speakers").get(0).path("level").asInt() >= 90,
                        "-30 dBov is loudness 97: " + first);

                ann.writer.setAudioLevel(127, false);
                bob.writer.setAudioLevel(25, true);
                long swapped = System.nanoTime();
                List<JsonNode> seen = new ArrayList<>();
                long[] heardAt = {0};
                JsonNode taken = await(frames, "Bob takes the floor", f -> {
                    seen.add(f);
                    if (heardAt[0] == 0 && speakers(f).contains(bob.id())) heardAt[0] = System.nanoTime();
                    return bob.id().equals(f.path("dominant").asText());
                });
                long heardMillis = (heardAt[0] - swapped) / 1_000_000;
                System.out.printf("Bob listed as speaking %d ms after he started talking, the floor his %.0f ms after;"
                        + " frames: %s%n", heardMillis, (System.nanoTime() - swapped) / 1e6, seen);
                // Two 200 ms intervals at most (he may start late in one), and the 50 ms a loaded machine adds.
                assertTrue(heardMillis <= 500, "Bob's ring lit " + heardMillis + " ms after he started");
                assertEquals(List.of(bob.id()), speakers(taken));
                assertTrue(seen.stream().anyMatch(f -> ann.id().equals(f.path("dominant").asText())
                                && speakers(f).contains(bob.id())),
                        "Bob was heard speaking before he took the floor from Ann: " + seen);
            }
        }
    }

    private static List<String> speakers(JsonNode frame) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : frame.path("speakers")) out.add(s.path("participantId").asText());
        return out;
    }

    private static JsonNode await(LinkedBlockingQueue<JsonNode> frames, String what, Predicate<JsonNode> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (f == null) throw new AssertionError(what + ": no such activeSpeakers frame in " + WAIT_MILLIS + " ms");
            if (f.path("type").asText().equals("failure")) throw new AssertionError(what + ": " + f);
            if (match.test(f)) return f;
        }
    }

    /** A person in the call publishing a microphone: Opus-sized packets every 20 ms with a level the test sets. */
    private static final class AudioHost implements AutoCloseable {
        final RtpWriter writer;
        private final SignalingClient signaling;
        private final ClientConnection publisher;
        private final Thread sender;
        private volatile boolean sending = true;

        AudioHost(HttpClient http, SalottoRoom room, MediaReceiver receiver, ClientIdentity identity, String name,
                  int levelDbov, Signaling.Events events) throws Exception {
            signaling = new SignalingClient(http, room, events);
            publisher = new ClientConnection(receiver.open(InetAddress.getByName("127.0.0.1")), true, false,
                    ServerKind.SALOTTO.srtpProfiles);
            int ssrc = Vp8Host.ssrc();
            try {
                signaling.join(name, true);
                String offer = ClientSdp.publisherOffer(publisher, identity, name, ServerKind.SALOTTO.publisherSetup,
                        ssrc, 0, 0);
                RemoteTransport remote = RemoteTransport.read(SdpParser.parse(signaling.publish(offer, true, false)));
                publisher.setRemote(remote, (c, buf, off, len, now) -> { });
                receiver.register(publisher);
                publisher.connect(identity, remote.fingerprintSha256(), 10_000);
            } catch (Exception e) {
                signaling.close();
                publisher.close();
                throw e;
            }
            writer = new RtpWriter(publisher, new Metrics(), ClientSdp.OPUS_PT, ssrc, true);
            writer.setAudioLevel(levelDbov, levelDbov <= 60);
            sender = Thread.ofPlatform().name("audio-" + name).start(this::sendAudio);
        }

        String id() {
            return signaling.participantId();
        }

        private void sendAudio() {
            long timestamp = Vp8Host.RANDOM.nextInt() & 0xFFFFFFFFL;
            long next = System.nanoTime();
            while (sending) {
                writer.send(timestamp, false, AudioSource.PAYLOAD_BYTES);
                timestamp = (timestamp + 960) & 0xFFFFFFFFL;
                next += 20_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
            }
        }

        @Override
        public void close() throws InterruptedException {
            sending = false;
            sender.join();
            signaling.close();
            publisher.close();
        }
    }
}
