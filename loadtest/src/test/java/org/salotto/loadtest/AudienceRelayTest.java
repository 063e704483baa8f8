package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.server.SalottoServer;

/**
 * Three nodes on loopback sharing PostgreSQL and Redis: a space's speakers on its owner, listeners joining through
 * the two other nodes stay there (the edge audience) and hear the speakers relayed node to node; the owner sends each
 * speaker's track once per edge node (/metrics); a listener of node 3 brought on stage moves to the owner and is heard
 * on node 2; an edge node killed, the other edge's listeners hear no gap over 1 s.
 */
class AudienceRelayTest {
    static final Duration LEASE = ThreeNodes.LEASE;

    @Test
    @Timeout(120)
    void listenersOnOtherNodesHearTheStageRelayedOncePerNode() throws Exception {
        List<SimulatedParticipant> people = new ArrayList<>();
        try (ThreeNodes cluster = new ThreeNodes("relay")) {
            HttpClient http = cluster.http;
            LoadTestConfig lc = cluster.space("relay-test", 2, 4);
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
                for (int i = 0; i < 2; i++) {
                    SimulatedParticipant speaker = new SimulatedParticipant(onOwner, "speaker" + i, true);
                    people.add(speaker);
                    speaker.run();
                    assertEquals(null, speaker.failure, speaker.failure);
                }
                List<SimulatedParticipant> listeners = new ArrayList<>();
                for (SalottoServer edge : edges) {
                    Harness onEdge = new Harness(lc, http, identity, receiver, pacer, metrics, start, local, null,
                            room.through(owner.baseUrl(), edge.baseUrl()));
                    for (int i = 0; i < 2; i++) {
                        SimulatedParticipant l = new SimulatedParticipant(onEdge, "listener" + edges.indexOf(edge) + i, false);
                        people.add(l);
                        listeners.add(l);
                        l.run();
                        assertEquals(null, l.failure, l.failure);
                    }
                }
                // Served where they came: the edges hold their media; the owner's room counts them as members.
                assertEquals(6, owner.rooms().runtime().get(room.id()).people(), "the speakers and the 4 listeners");
                for (SalottoServer edge : edges) assertEquals(null, edge.rooms().runtime().get(room.id()));

                // Every listener hears both speakers through its edge's slots.
                long deadline = System.nanoTime() + 15_000_000_000L;
                for (SimulatedParticipant l : listeners) {
                    while (heard(l) < 2) {
                        if (System.nanoTime() > deadline) throw new AssertionError(l.name() + " heard " + heard(l) + " speakers");
                        Thread.sleep(50);
                    }
                }
                // The owner sends each speaker's track once per edge node, whatever the listeners there.
                String m = get(http, owner.baseUrl() + "/metrics");
                for (SalottoServer edge : edges) {
                    String id = edge.cluster().orElseThrow().id();
                    assertTrue(m.contains("salotto_relay_streams{node=\"" + id + "\"} 2"), m.lines()
                            .filter(x -> x.startsWith("salotto_relay")).toList().toString());
                }
                System.out.println(m.lines().filter(x -> x.startsWith("salotto_relay")).toList());

                // A listener of node 3 brought on stage is sent to the owner, publishes there, and is heard on node 2.
                Harness onThree = new Harness(lc, http, identity, receiver, pacer, metrics, start, local, null,
                        room.through(owner.baseUrl(), edges.get(1).baseUrl()));
                SimulatedParticipant promoted = new SimulatedParticipant(onThree, "promoted", true);
                people.add(promoted);
                promoted.run();
                assertEquals(null, promoted.failure, promoted.failure);
                assertEquals(7, owner.rooms().runtime().get(room.id()).people(), "the promoted listener is one member");
                for (SimulatedParticipant l : listeners.subList(0, 2)) {
                    while (heard(l) < 3) {
                        if (System.nanoTime() > deadline + 15_000_000_000L) {
                            throw new AssertionError(l.name() + " on node 2 heard " + heard(l) + " speakers, not the promoted one");
                        }
                        Thread.sleep(50);
                    }
                }

                // One edge killed: the other edge's listeners go on without a gap over 1 s.
                SalottoServer dead = edges.getFirst();
                SalottoServer alive = edges.get(1);
                List<SimulatedParticipant> stay = listeners.subList(2, 4);
                for (SimulatedParticipant l : stay) l.meter().resetMaxGap();
                long before = received(stay);
                java.util.concurrent.CountDownLatch noticed = new java.util.concurrent.CountDownLatch(2);
                for (SalottoServer n : List.of(owner, alive)) {
                    n.cluster().orElseThrow().addListener(new org.salotto.cluster.ClusterListener() {
                        @Override
                        public void nodeLost(org.salotto.cluster.Node node) {
                            noticed.countDown();
                        }
                    });
                }
                cluster.kill(dead);
                // Past the dead node's lease: the owner and the other edge both noticed it, and a renewal later the
                // relay to the edge that is left goes on.
                assertTrue(noticed.await(LEASE.multipliedBy(3).plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS),
                        "the owner and the other edge noticed the lost node");
                org.salotto.cluster.RenewalWatch renewals = new org.salotto.cluster.RenewalWatch();
                owner.cluster().orElseThrow().addListener(renewals);
                renewals.awaitRenewals(3, LEASE.multipliedBy(2).plusSeconds(2), () -> { });
                assertTrue(received(stay) > before + 100, "the listeners on " + alive.baseUrl() + " go on receiving");
                for (SimulatedParticipant l : stay) {
                    long gapMs = l.meter().maxGapNanos() / 1_000_000;
                    System.out.println(l.name() + ": longest gap " + gapMs + " ms around the other edge's death");
                    assertTrue(gapMs < 1000, l.name() + " had a gap of " + gapMs + " ms");
                }
            }
        } finally {
            people.forEach(SimulatedParticipant::close);
        }
    }

    /**
     * A load run given the cluster's node URLs: its publisher joins through {@code --url}, its listeners through the
     * three nodes by turns (two of the nodes serve theirs as edges, the owner its own locally); every one of them
     * hears the publisher, wherever the room was placed.
     */
    @Test
    @Timeout(120)
    void aLoadRunSpreadsItsListenersOverTheNodes() throws Exception {
        try (ThreeNodes cluster = new ThreeNodes("spread")) {
            LoadTestConfig lc = cluster.space("spread-test", 1, 6).withNodeUrls(
                    cluster.nodes.stream().map(n -> URI.create(n.baseUrl())).toList());
            LoadResult r = new LoadRun(lc, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).run();
            assertEquals(0, r.joinsFailed(), "joins failed");
            assertEquals(6, r.listeners().size());
            for (LoadResult.Listener l : r.listeners()) {
                assertEquals(1, l.publishersHeard(), l.name() + " heard the publisher");
                assertTrue(l.comebacks().isEmpty(), l.name() + " lost nothing");
            }
        }
    }

    private static int heard(SimulatedParticipant l) {
        SubscriberMeter m = l.meter();
        if (m == null) return 0;
        java.util.Set<String> who = new java.util.HashSet<>();
        for (StreamStats s : m.streams()) if (s.received > 0) who.addAll(s.ownersHeard);
        return who.size();
    }

    private static long received(List<SimulatedParticipant> ls) {
        long n = 0;
        for (SimulatedParticipant l : ls) for (StreamStats s : l.meter().streams()) n += s.received;
        return n;
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
