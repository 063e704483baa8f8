package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.cluster.ClusterConfig;
import org.salotto.cluster.ClusterNode;
import org.salotto.cluster.RenewalWatch;

/**
 * Three servers on loopback sharing one PostgreSQL schema and one Redis (keys under a prefix of this test, a 900 ms
 * lease): a room runs on one of them, and the others send its clients there (docs/scale.md "Routing").
 */
class ClusterRoutingTest {
    static final Duration LEASE = ClusterNodeServerTest.LEASE;
    static final int CALL_MAX = 3;

    private String prefix;
    private ServerFixture first;
    private final List<SalottoServer> nodes = new ArrayList<>();
    private final List<RoomClient> clients = new ArrayList<>();
    private final List<SalottoServer> killed = new ArrayList<>();

    @BeforeEach
    void startThreeNodes() throws Exception {
        prefix = "salotto-test:" + ProcessHandle.current().pid() + ":" + System.nanoTime() + ":";
        ClusterConfig cluster = ClusterConfig.on(ClusterNodeServerTest.REDIS).withKeyPrefix(prefix).withNodeLease(LEASE);
        first = ServerFixture.postgres(c -> c.withCluster(cluster)
                .withRooms(ServerFixture.testRooms().withCallMaxPeople(CALL_MAX)));
        nodes.add(first.server);
        nodes.add(SalottoServer.start(first.config.withPorts(0, 0)));
        nodes.add(SalottoServer.start(first.config.withPorts(0, 0)));
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RoomClient::close);
        for (SalottoServer n : nodes.subList(1, nodes.size())) if (!killed.contains(n)) n.close();
        if (killed.contains(first.server)) first.server = null;
        first.close();
        ClusterNodeServerTest.deleteKeys(prefix);
    }

    /** What a client does: a join token from {@code via}, the socket there, and on wrong_node the socket at nodeUrl. */
    private RoomClient join(Person p, String room, SalottoServer via) throws Exception {
        return join(p, room, via, clients);
    }

    /** As {@link #join(Person, String, SalottoServer)}, keeping every socket opened in {@code clients}. */
    static RoomClient join(Person p, String room, SalottoServer via, List<RoomClient> clients) throws Exception {
        Person.Reply token = p.joinToken(room);
        assertEquals(200, token.status(), token.toString());
        String url = via.baseUrl();
        for (int hop = 0; hop < 3; hop++) {
            RoomClient c = RoomClient.open(url, room);
            clients.add(c);
            c.send(Map.of("type", "join", "token", token.body().get("token").asText()));
            JsonNode answer = c.await("joined or an error", f -> f.path("type").asText().matches("joined|error"));
            if (answer.path("type").asText().equals("joined")) return c;
            if (!answer.path("code").asText().equals("wrong_node")) throw new AssertionError("refused: " + answer);
            c.close();
            assertNotEquals(url, answer.get("nodeUrl").asText(), "sent on to another node");
            url = answer.get("nodeUrl").asText();
        }
        throw new AssertionError("still sent on after 3 nodes");
    }

    private SalottoServer owner(String room) {
        SalottoServer asked = nodes.stream().filter(n -> !killed.contains(n)).findFirst().orElseThrow(); // a live one
        String id = asked.cluster().orElseThrow().placement().owner(room).orElseThrow().id();
        return nodes.stream().filter(n -> n.cluster().orElseThrow().id().equals(id)).findFirst().orElseThrow();
    }

    private SalottoServer notOwner(String room) {
        SalottoServer o = owner(room);
        return nodes.stream().filter(n -> n != o).findFirst().orElseThrow();
    }

    @Test
    void clientsComingThroughDifferentNodesMeetOnTheOwner() throws Exception {
        Person host = Person.account(nodes.get(0).baseUrl(), ServerFixture.uniqueName("host"));
        String room = host.createRoom("call", Map.of());
        RoomClient a = join(Person.guest(nodes.get(1).baseUrl(), "Ada"), room, nodes.get(1));
        SalottoServer owner = owner(room);
        SalottoServer other = notOwner(room);
        // Through a node that does not own the room: sent to the owner, and in the same room as Ada.
        RoomClient b = join(Person.guest(other.baseUrl(), "Bo"), room, other);
        a.awaitEvent("memberJoined", e -> e.toString().contains(b.participantId));
        for (SalottoServer n : nodes) {
            if (n != owner) assertNull(n.rooms().runtime().get(room), "a node that does not own the room never opens it");
        }
        assertEquals(2, owner.rooms().runtime().get(room).people());

        // The room's HTTP API through another node: 421 wrong_node naming the owner, nothing done there.
        Person hostThere = new Person(other.baseUrl(), "host");
        String username = host.name;
        assertEquals(200, hostThere.post("/api/sessions", Map.of("username", username, "password", "correct horse " + username)).status());
        Person.Reply misdirected = hostThere.get("/api/rooms/" + room + "/participants");
        assertEquals(421, misdirected.status(), misdirected.toString());
        assertEquals("wrong_node", misdirected.code());
        assertEquals(owner.baseUrl(), misdirected.body().get("error").get("nodeUrl").asText());
        Person hostOnOwner = new Person(owner.baseUrl(), "host");
        assertEquals(200, hostOnOwner.post("/api/sessions", Map.of("username", username, "password", "correct horse " + username)).status());
        assertEquals(2, hostOnOwner.get("/api/rooms/" + room + "/participants").body().get("participants").size());
    }

    @Test
    void aCallsLimitHoldsAcrossTheNodes() throws Exception {
        Person host = Person.account(nodes.get(0).baseUrl(), ServerFixture.uniqueName("host"));
        String room = host.createRoom("call", Map.of());
        List<RoomClient> in = new ArrayList<>();
        for (int i = 0; i < CALL_MAX; i++) in.add(join(Person.guest(nodes.get(i).baseUrl(), "p" + i), room, nodes.get(i)));
        ClusterNode counting = nodes.get(2).cluster().orElseThrow();
        var counters = counting.counters();
        RenewalWatch renewals = new RenewalWatch();
        counting.addListener(renewals);
        awaitCount(renewals, counters, room, CALL_MAX);
        SalottoServer other = notOwner(room);
        // The join token comes from a node that does not hold the room; the owner refuses the join.
        Person late = Person.guest(other.baseUrl(), "late");
        AssertionError refused = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> join(late, room, other));
        assertTrue(refused.getMessage().contains("room_full"), refused.getMessage());
        // One leaves: the count follows, and someone else comes in through any node.
        in.getFirst().send(Map.of("type", "leave"));
        awaitCount(renewals, counters, room, CALL_MAX - 1);
        join(Person.guest(other.baseUrl(), "later"), room, other);
        awaitCount(renewals, counters, room, CALL_MAX);
    }

    @Test
    void aRoomWhoseOwnerIsKilledIsPlacedAgainOnTheNextJoin() throws Exception {
        Person host = Person.account(nodes.get(0).baseUrl(), ServerFixture.uniqueName("host"));
        String room = host.createRoom("call", Map.of());
        join(Person.guest(nodes.get(0).baseUrl(), "Ada"), room, nodes.get(0));
        SalottoServer dead = owner(room);
        SalottoServer survivor = nodes.stream().filter(n -> n != dead).findFirst().orElseThrow();
        String deadUrl = dead.baseUrl();
        java.util.concurrent.CountDownLatch lost = new java.util.concurrent.CountDownLatch(1);
        survivor.cluster().orElseThrow().addListener(new org.salotto.cluster.ClusterListener() {
            @Override
            public void nodeLost(org.salotto.cluster.Node node) {
                lost.countDown();
            }
        });
        long killedAt = System.nanoTime();
        dead.kill(); // no deregistration: its lease and its room's lapse by themselves
        killed.add(dead);

        // Once the survivor has seen the dead node's lease lapse, the next join places the room again, on a live node.
        assertTrue(lost.await(LEASE.multipliedBy(2).plusSeconds(3).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
                "the survivor noticed the owner's loss");
        join(Person.guest(survivor.baseUrl(), "Bo"), room, survivor);
        long afterMs = (System.nanoTime() - killedAt) / 1_000_000;
        SalottoServer newOwner = owner(room);
        assertNotEquals(deadUrl, newOwner.baseUrl());
        assertEquals(1, newOwner.rooms().runtime().get(room).people(), "Bo, on the new owner");
        assertTrue(afterMs < LEASE.toMillis() * 2 + 3000, "re-placed in " + afterMs + " ms");
        System.out.println("room re-placed and joined " + afterMs + " ms after its owner was killed (lease " + LEASE.toMillis() + " ms)");
    }

    /** Waits until the room's count across the nodes is {@code n}, checking again after each of a node's renewals. */
    private static void awaitCount(RenewalWatch renewals, org.salotto.cluster.RoomCounters counters, String room, int n)
            throws InterruptedException {
        renewals.awaitUntil("a count of " + n + " in room " + room, LEASE.multipliedBy(2).plusSeconds(2),
                () -> counters.count(room, ClusterRooms.PEOPLE) == n);
    }
}
