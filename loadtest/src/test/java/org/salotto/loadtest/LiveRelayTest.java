package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.server.SalottoServer;

/**
 * Three nodes on loopback sharing PostgreSQL and Redis (docs/scale.md "Audience relayed across nodes"): a live whose
 * host, on its owner, publishes Opus and a simulcast VP8 camera (three layers; a keyframe only when asked, so that
 * every keyframe a viewer gets was asked for across the link); two viewers on each of the two other nodes stay there
 * and get the stage on their own node's slots: each viewer's first video packet starts a keyframe, the small tiles get
 * the low layer and the large ones the high layer, everyone hears the host; the owner relays each track once per edge
 * node (/metrics); a viewer coming later to an edge starts on a keyframe that edge asked the owner for over the link;
 * a comment of a viewer on node 3 reaches the host and the viewers on both edges.
 */
class LiveRelayTest {
    private static final long WAIT_NANOS = Duration.ofSeconds(15).toNanos();

    @Test
    @Timeout(90)
    void viewersOnOtherNodesWatchTheStageRelayedOncePerNode() throws Exception {
        List<SimulatedParticipant> people = new ArrayList<>();
        try (ThreeNodes cluster = new ThreeNodes("liverelay")) {
            HttpClient http = cluster.http;
            // keyframeSeconds 600: after the first keyframe, only the server's requests make one.
            LoadTestConfig lc = new LoadTestConfig(ServerKind.SALOTTO, URI.create(cluster.nodes.getFirst().baseUrl()),
                    "live-relay-test", "live", 1, true, 600, 600, 4, Duration.ofSeconds(5), 20, 1, 1, 0,
                    Path.of("target/loadtest-live-relay"), null, true, false, true,
                    LoadTestConfig.viewerSizes("small:1,large:1"));
            SalottoRoom room = SalottoRoom.create(http, lc);
            SalottoServer owner = cluster.owner(room.id());
            List<SalottoServer> edges = cluster.edges(owner);
            Metrics metrics = new Metrics();
            long start = System.nanoTime();
            try (MediaReceiver receiver = new MediaReceiver(1, metrics, false); Pacer pacer = new Pacer(1)) {
                ClientIdentity identity = ClientIdentity.generate();
                InetAddress local = InetAddress.getLoopbackAddress();
                Harness onOwner = new Harness(lc, http, identity, receiver, pacer, metrics, start, local, null,
                        room.through(owner.baseUrl(), owner.baseUrl()));
                SimulatedParticipant host = new SimulatedParticipant(onOwner, "host", true);
                people.add(host);
                host.run();
                assertEquals(null, host.failure, host.failure);
                List<JsonNode> atHost = watch(host);

                List<SimulatedParticipant> viewers = new ArrayList<>();
                for (SalottoServer edge : edges) {
                    Harness onEdge = new Harness(lc, http, identity, receiver, pacer, metrics, start, local, null,
                            room.through(owner.baseUrl(), edge.baseUrl()));
                    for (int i = 0; i < 2; i++) {
                        SimulatedParticipant v = new SimulatedParticipant(onEdge, "viewer" + edges.indexOf(edge) + i,
                                false, lc.viewerSize(i));
                        people.add(v);
                        viewers.add(v);
                        v.run();
                        assertEquals(null, v.failure, v.failure);
                    }
                }
                // Served where they came: the edges hold their media; the owner's room counts them as members.
                assertEquals(5, owner.rooms().runtime().get(room.id()).people(), "the host and the 4 viewers");
                for (SalottoServer edge : edges) assertEquals(null, edge.rooms().runtime().get(room.id()));

                // Each viewer: the camera on its video slot, starting on a keyframe, and the host's voice.
                long began = System.nanoTime();
                for (SimulatedParticipant v : viewers) {
                    await(() -> camera(v) != null && camera(v).firstKeyframe != null, v.name() + " got no video");
                    assertEquals(Boolean.TRUE, camera(v).firstKeyframe, v.name() + ": the first video packet is no keyframe"
                            + " (of " + camera(v).expected() + " packets, " + camera(v).lost() + " lost)");
                    // stageSlots (whose camera each slot carries) is a signaling frame: it may come after the media.
                    await(() -> host.participantId.equals(camera(v).owner), v.name() + ": stageSlots never named the "
                            + "host's camera on the slot");
                    await(() -> heard(v, host.participantId), v.name() + " did not hear the host");
                }
                System.out.println("every viewer's first frame (a keyframe) and the host's voice within "
                        + (System.nanoTime() - began) / 1_000_000 + " ms");
                // A layer per viewer, chosen on its edge: the small tiles the low layer, the large ones the high one.
                for (SimulatedParticipant v : viewers) {
                    int want = v.viewerSize().name().equals("small") ? SimulcastLayer.LOW.index() : SimulcastLayer.HIGH.index();
                    await(() -> camera(v).sampledByLayer[want] >= 60, v.name() + " (" + v.viewerSize().name()
                            + ") got layers " + java.util.Arrays.toString(camera(v).sampledByLayer));
                    System.out.println(v.name() + " (" + v.viewerSize().name() + "): packets by layer "
                            + java.util.Arrays.toString(camera(v).sampledByLayer) + ", lost " + camera(v).lost());
                }

                // A viewer who comes later to node 2, where the camera is relayed already: its slot starts on a
                // keyframe that node 2 asked the owner for over the link (an edge has no publisher of its own: every
                // PLI it sends goes there).
                Harness lateOnTwo = new Harness(lc, http, identity, receiver, pacer, metrics, start, local, null,
                        room.through(owner.baseUrl(), edges.getFirst().baseUrl()));
                long plisBefore = counter(get(http, edges.getFirst().baseUrl() + "/metrics"),
                        "salotto_media_keyframe_requests_sent_total");
                SimulatedParticipant late = new SimulatedParticipant(lateOnTwo, "late", false, lc.viewerSize(1));
                people.add(late);
                late.run();
                assertEquals(null, late.failure, late.failure);
                long lateJoined = System.nanoTime();
                await(() -> camera(late) != null && camera(late).firstKeyframe != null, "the late viewer got no video");
                assertEquals(Boolean.TRUE, camera(late).firstKeyframe, "the late viewer's first video packet is no keyframe");
                long plisAfter = counter(get(http, edges.getFirst().baseUrl() + "/metrics"),
                        "salotto_media_keyframe_requests_sent_total");
                assertTrue(plisAfter > plisBefore, "node 2 asked the owner for no keyframe: " + plisBefore + " then " + plisAfter);
                System.out.println("a late viewer on node 2: its first frame (a keyframe) " + (System.nanoTime() - lateJoined)
                        / 1_000_000 + " ms after joining; node 2's PLIs over the link " + plisBefore + " then " + plisAfter);

                // The owner sends each track (the microphone, the camera) once per edge node, whatever its viewers.
                String m = get(http, owner.baseUrl() + "/metrics");
                for (SalottoServer edge : edges) {
                    String id = edge.cluster().orElseThrow().id();
                    assertTrue(m.contains("salotto_relay_streams{node=\"" + id + "\"} 2"), m.lines()
                            .filter(x -> x.startsWith("salotto_relay")).toList().toString());
                }
                System.out.println(m.lines().filter(x -> x.startsWith("salotto_relay")).toList());

                // A comment of a viewer on node 3: decided by the owner, it reaches the host and every viewer.
                List<List<JsonNode>> atViewers = new ArrayList<>();
                for (SimulatedParticipant v : viewers) atViewers.add(watch(v));
                SimulatedParticipant writer = viewers.getLast();
                long posted = System.nanoTime();
                ((SignalingClient) writer.signaling()).comment("hello from node 3");
                await(() -> hasComment(atHost, writer.participantId, "hello from node 3"), "the host got no comment");
                long hostMs = (System.nanoTime() - posted) / 1_000_000;
                for (int i = 0; i < viewers.size(); i++) {
                    List<JsonNode> frames = atViewers.get(i);
                    await(() -> hasComment(frames, writer.participantId, "hello from node 3"),
                            viewers.get(i).name() + " got no comment");
                }
                System.out.println("a comment on node 3: at the host after " + hostMs + " ms, at every viewer after "
                        + (System.nanoTime() - posted) / 1_000_000 + " ms");
            }
        } finally {
            people.forEach(SimulatedParticipant::close);
        }
    }

    /** The viewer's video slot stream (the camera), or null before its offer. */
    private static StreamStats camera(SimulatedParticipant v) {
        SubscriberMeter m = v.meter();
        if (m == null) return null;
        for (StreamStats s : m.streams()) if (s.stream.video() && s.isSlot() && s.received > 0) return s;
        return null;
    }

    private static boolean heard(SimulatedParticipant v, String who) {
        SubscriberMeter m = v.meter();
        if (m == null) return false;
        for (StreamStats s : m.streams()) if (!s.stream.video() && s.received > 0 && s.ownersHeard.contains(who)) return true;
        return false;
    }

    private static List<JsonNode> watch(SimulatedParticipant p) {
        List<JsonNode> frames = new CopyOnWriteArrayList<>();
        ((SignalingClient) p.signaling()).observe(frames::add);
        return frames;
    }

    private static boolean hasComment(List<JsonNode> frames, String writer, String text) {
        for (JsonNode f : frames) {
            if (!f.path("type").asText().equals("roomEvents")) continue;
            for (JsonNode e : f.path("events")) {
                JsonNode c = e.path("comment");
                if (e.path("type").asText().equals("commentPosted") && c.path("participantId").asText().equals(writer)
                        && c.path("text").asText().equals(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void await(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(failure);
            Thread.sleep(20);
        }
    }

    /** A counter's value in a Prometheus text page (0 when absent). */
    private static long counter(String page, String name) {
        return page.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> (long) Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElse(0);
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
