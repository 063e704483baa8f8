package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.cluster.ClusterConfig;
import org.salotto.cluster.ClusterListener;
import org.salotto.cluster.Node;
import org.salotto.rooms.Role;
import org.salotto.rooms.store.RoomTimer;

/**
 * A room moves between nodes when its owner is lost or drains, and its people come back as themselves
 * (docs/scale.md "A node lost"). A cluster on loopback: PostgreSQL (a schema of this test) and Redis (keys under a
 * prefix of this test, a 900 ms lease); the room's first owner is a real {@code salotto serve} process (so that it can
 * be killed with SIGKILL or sent SIGTERM), the other nodes run in this JVM. The clients are signaling-level: they do
 * what the web app does when its socket drops (resume through a node, following {@code wrong_node}).
 */
class RoomMovesTest {
    static final Duration LEASE = ClusterNodeServerTest.LEASE;
    /** How long a room that changed hands takes its people back (rooms.resume-grace). */
    static final Duration GRACE = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private String prefix;
    private String schema;
    private ClusterConfig cluster;
    private final List<SalottoServer> nodes = new ArrayList<>();
    private final List<RoomClient> clients = new ArrayList<>();
    private final List<ServerProcess> processes = new ArrayList<>();

    @BeforeEach
    void schemaAndPrefix() throws Exception {
        prefix = "salotto-test:" + ProcessHandle.current().pid() + ":" + System.nanoTime() + ":";
        schema = "salotto_moves_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        try (Connection c = DriverManager.getConnection(ServerFixture.POSTGRES, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        cluster = ClusterConfig.on(ClusterNodeServerTest.REDIS).withKeyPrefix(prefix).withNodeLease(LEASE);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RoomClient::close);
        for (ServerProcess p : processes) p.kill();
        for (SalottoServer n : nodes) n.close();
        ClusterNodeServerTest.deleteKeys(prefix);
        try (Connection c = DriverManager.getConnection(ServerFixture.POSTGRES, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private ServerConfig nodeConfig() {
        return ServerConfig.forTests().withRooms(ServerFixture.testRooms().withResumeGrace(GRACE))
                .withDatabase(ServerFixture.POSTGRES + "?currentSchema=" + schema, "postgres", "").withCluster(cluster);
    }

    /** A node in this JVM. */
    private SalottoServer node() throws Exception {
        SalottoServer n = SalottoServer.start(nodeConfig());
        nodes.add(n);
        return n;
    }

    /** A node as a child process ({@code salotto serve} with a configuration file). */
    private ServerProcess processNode() throws Exception {
        Path config = dir.resolve("node-" + processes.size() + ".conf");
        Files.writeString(config, """
                http.port = 0
                media.port = 0
                data-dir = "%s"
                drain-timeout = 10s
                database { url = "%s?currentSchema=%s", user = postgres }
                cluster { redis-url = "%s", node-lease = %dms, key-prefix = "%s" }
                rooms { resume-grace = %ds }
                limits { guest-tokens-per-address = 0, join-tokens-per-address = 0, login-per-address = 0,
                  rooms-per-account = 0, connections-per-address = 0 }
                """.formatted(dir.resolve("data-" + processes.size()).toString(), ServerFixture.POSTGRES, schema,
                ClusterNodeServerTest.REDIS, LEASE.toMillis(), prefix, GRACE.toSeconds()));
        ServerProcess p = ServerProcess.start(config);
        processes.add(p);
        return p;
    }

    /** A host and a speaker in a space owned by a node of its own (a child process), and two nodes in this JVM. */
    private record Space(ServerProcess owner, String roomId, RoomClient host, RoomClient speaker, Person hostPerson,
                         SalottoServer b, SalottoServer c) {
    }

    private Space spaceOnAProcessNode() throws Exception {
        ServerProcess a = processNode(); // alone in the cluster: the room is placed on it
        Person hostPerson = Person.account(a.url(), ServerFixture.uniqueName("host"));
        String room = hostPerson.createRoom("space", Map.of());
        RoomClient host = track(hostPerson.enter(room));
        RoomClient speaker = track(Person.guest(a.url(), "Sam").enter(room));
        assertEquals("listener", speaker.joined.get("role").asText());
        speaker.send(Map.of("type", "raiseHand"));
        host.awaitEvent("handRaised", e -> e.path("participantId").asText().equals(speaker.participantId));
        Person.Reply made = hostPerson.put("/api/rooms/" + room + "/participants/" + speaker.participantId + "/role",
                Map.of("role", "speaker"));
        assertEquals(200, made.status(), made.toString());
        speaker.awaitEvent("roleChanged", e -> e.path("role").asText().equals("speaker"));
        SalottoServer b = node();
        SalottoServer c = node();
        // The speaker's role is in the database (what a new owner reads) before anything happens to the owner.
        try {
            awaitCondition("the speaker's membership stored", Duration.ofSeconds(10), () -> b.store().memberships(room)
                    .stream().anyMatch(m -> m.displayName().equals("Sam") && m.role() == Role.STAGE));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + b.store().memberships(room), e);
        }
        return new Space(a, room, host, speaker, hostPerson, b, c);
    }

    private RoomClient track(RoomClient c) {
        clients.add(c);
        return c;
    }

    /**
     * What a client does when its socket dropped: the last resume token, on a new socket through {@code via}; on
     * {@code wrong_node} the same on the node named; a node that cannot be reached: again through {@code via} a
     * moment later (as the web app: 250 ms). Returns the {@code resumed} frame (or the last refusal) and its client.
     */
    private Resumed resume(String token, String room, String via, long deadlineNanos) throws Exception {
        String url = via;
        while (System.nanoTime() < deadlineNanos) {
            RoomClient c;
            try {
                c = track(RoomClient.open(url, room));
            } catch (Exception unreachable) {
                url = via;
                Thread.sleep(250); // the web app's first back-off
                continue;
            }
            c.send(Map.of("type", "resume", "token", token));
            JsonNode answer = c.await("resumed or an error", f -> f.path("type").asText().matches("resumed|error"));
            if (answer.path("code").asText().equals("wrong_node")) {
                c.close();
                url = answer.get("nodeUrl").asText();
                continue;
            }
            return new Resumed(answer, c, url);
        }
        throw new AssertionError("not resumed in time");
    }

    private record Resumed(JsonNode frame, RoomClient client, String nodeUrl) {
        void assertBackAs(String participantId, String role) {
            assertEquals("resumed", frame.path("type").asText(), frame.toString());
            assertEquals(participantId, frame.get("participantId").asText(), "the same participant");
            assertEquals(role, frame.get("role").asText());
        }
    }

    private static void awaitCondition(String what, Duration within, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within " + within);
            Thread.sleep(20);
        }
    }

    private SalottoServer nodeAt(String url) {
        return nodes.stream().filter(n -> n.baseUrl().equals(url)).findFirst()
                .orElseThrow(() -> new AssertionError("no node of this JVM at " + url));
    }

    @Test
    void theOwnerKilledWithSigkillItsPeopleResumeOnAnotherNodeAsThemselves() throws Exception {
        Space s = spaceOnAProcessNode();
        String hostToken = s.host().joined.get("resumeToken").asText();
        String speakerToken = s.speaker().joined.get("resumeToken").asText();
        String hostId = s.host().participantId;
        String speakerId = s.speaker().participantId;

        long killedAt = System.nanoTime();
        s.owner().kill(); // SIGKILL: no deregistration, nothing flushed
        long deadline = killedAt + TimeUnit.SECONDS.toNanos(20);
        // Their sockets dropped; each comes back through the node it knows of that is still there.
        Resumed host = resume(hostToken, s.roomId(), s.b().baseUrl(), deadline);
        long hostMs = (System.nanoTime() - killedAt) / 1_000_000;
        Resumed speaker = resume(speakerToken, s.roomId(), s.c().baseUrl(), deadline);
        long speakerMs = (System.nanoTime() - killedAt) / 1_000_000;
        host.assertBackAs(hostId, "host");
        speaker.assertBackAs(speakerId, "speaker");
        assertEquals(host.nodeUrl(), speaker.nodeUrl(), "both on the room's new owner");
        assertNotEquals(s.owner().url(), host.nodeUrl());
        System.out.println("after kill -9 of the owner (lease " + LEASE.toMillis() + " ms): the host resumed on the new owner "
                + hostMs + " ms later, the speaker " + speakerMs + " ms later");
        assertTrue(speakerMs < 10_000, "both back within 10 s of the kill: " + speakerMs + " ms");

        // The host sees the speaker come back; the speaker is told to publish again on a new connection (nobody
        // publishes in this test, so no subscriber offer is due yet: its first says newConnection).
        host.client().awaitEvent("memberJoined", e -> e.path("member").path("participantId").asText().equals(speakerId));
        assertEquals("publisher", speaker.client().awaitType("transportClosed").path("connection").asText());

        // The room goes on there: a reaction, and a role change decided by the new owner.
        speaker.client().send(Map.of("type", "react", "emoji", "👏"));
        host.client().awaitEvent("reaction", e -> e.path("participantId").asText().equals(speakerId));
        Person hostThere = new Person(host.nodeUrl(), "host");
        String username = s.hostPerson().name;
        assertEquals(200, hostThere.post("/api/sessions", Map.of("username", username, "password", "correct horse " + username)).status());
        Person.Reply back = hostThere.put("/api/rooms/" + s.roomId() + "/participants/" + speakerId + "/role", Map.of("role", "listener"));
        assertEquals(200, back.status(), back.toString());
        speaker.client().awaitEvent("roleChanged", e -> e.path("role").asText().equals("listener"));
        assertEquals(2, nodeAt(host.nodeUrl()).rooms().runtime().get(s.roomId()).people());
    }

    @Test
    void sigtermOnTheOwnerMovesTheRoomAndItsPeopleGoOnElsewhere() throws Exception {
        Space s = spaceOnAProcessNode();
        String hostToken = s.host().joined.get("resumeToken").asText();
        String speakerToken = s.speaker().joined.get("resumeToken").asText();

        long sent = System.nanoTime();
        s.owner().process().destroy(); // SIGTERM: the drain
        JsonNode hostMoved = s.host().awaitError("wrong_node");
        JsonNode speakerMoved = s.speaker().awaitError("wrong_node");
        String to = hostMoved.get("nodeUrl").asText();
        assertEquals(to, speakerMoved.get("nodeUrl").asText());
        assertEquals(1000, s.host().closeCode(Duration.ofSeconds(5)), "a normal close: the room goes on elsewhere");
        assertEquals(1000, s.speaker().closeCode(Duration.ofSeconds(5)));
        assertTrue(s.host().seen().stream().noneMatch(f -> f.path("type").asText().matches("roomEnded|serverDraining")),
                "the room did not end: " + s.host().seen());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Resumed host = resume(hostToken, s.roomId(), to, deadline);
        Resumed speaker = resume(speakerToken, s.roomId(), to, deadline);
        long ms = (System.nanoTime() - sent) / 1_000_000;
        host.assertBackAs(s.host().participantId, "host");
        speaker.assertBackAs(s.speaker().participantId, "speaker");
        assertEquals(to, host.nodeUrl(), "resumed where they were sent, no further hop");
        System.out.println("after SIGTERM of the owner: both resumed on " + to + " " + ms + " ms later");

        Person.Reply room = new Person(s.b().baseUrl(), "anyone").get("/api/rooms/" + s.roomId());
        assertEquals(200, room.status(), room.toString());
        assertEquals("open", room.body().get("state").asText());
        speaker.client().send(Map.of("type", "react", "emoji", "👏"));
        host.client().awaitEvent("reaction", e -> e.path("participantId").asText().equals(s.speaker().participantId));

        assertTrue(s.owner().process().waitFor(20, TimeUnit.SECONDS), "the drained node exits");
        assertEquals(0, s.owner().process().exitValue(), s.owner().output());
    }

    @Test
    void recoveryLeavesARoomAnotherLiveNodeOwnsAndRecoversOneWithNoLiveOwner() throws Exception {
        // A node alone in the cluster, with a space that has people when it is killed: no live owner afterwards.
        SalottoServer doomed = node();
        Person hostD = Person.account(doomed.baseUrl(), ServerFixture.uniqueName("hostD"));
        String orphan = hostD.createRoom("space", Map.of());
        track(hostD.enter(orphan));
        String doomedId = doomed.cluster().orElseThrow().id();
        awaitCondition("the orphan occupied in the database", Duration.ofSeconds(5), () -> doomed.store().occupied(orphan));
        doomed.kill();
        nodes.remove(doomed);

        // The next node recovers it at start once the dead node's lease is over (it could be alive, else).
        SalottoServer a = node();
        var seen = a.cluster().orElseThrow();
        if (seen.nodes().stream().anyMatch(x -> x.id().equals(doomedId))) {
            // Started while the dead node still counted as alive: it left the orphan alone, as it should. It watches
            // for the dead node's lease to end (its own renewals), then the next node starts.
            assertTrue(a.store().occupied(orphan), "a room whose owner is alive is not touched");
            var watch = new org.salotto.cluster.RenewalWatch();
            seen.addListener(watch);
            watch.awaitUntil("the dead node's lease ends", LEASE.multipliedBy(2).plusSeconds(3),
                    () -> seen.nodes().stream().noneMatch(x -> x.id().equals(doomedId)));
            nodes.remove(a);
            a.close();
            a = node();
        }
        SalottoServer first = a;
        assertFalse(first.store().occupied(orphan), "the orphan, with no live owner, is recovered");
        // Nobody came back to it: it ends after its host's grace, as a space does.
        Person anyone = new Person(first.baseUrl(), "anyone");
        awaitCondition("the orphan ended", Duration.ofSeconds(10),
                () -> get(anyone, "/api/rooms/" + orphan).path("state").asText().equals("ended"));

        // A space on the live node, with people.
        Person hostA = Person.account(first.baseUrl(), ServerFixture.uniqueName("hostA"));
        String alive = hostA.createRoom("space", Map.of());
        track(hostA.enter(alive));
        track(Person.guest(first.baseUrl(), "Ada").enter(alive));
        awaitCondition("the space occupied in the database", Duration.ofSeconds(5), () -> first.store().occupied(alive));

        SalottoServer late = node(); // recovers at start, synchronously
        assertTrue(late.store().occupied(alive), "the live owner's room is left as it is");
        assertTrue(late.store().roomTimer(alive, RoomTimer.Kind.HOST_GRACE).isEmpty(), "no host grace for it");
        assertEquals(2, first.rooms().runtime().get(alive).people(), "its people still there");
        assertEquals("open", get(anyone, "/api/rooms/" + alive).path("state").asText());
    }

    private static JsonNode get(Person p, String path) {
        try {
            return p.get(path).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void afterACrashTheWindowBoundsAResumeTokenAndABanStillHolds() throws Exception {
        // One process, no cluster: its rooms change hands when it restarts after a crash.
        // A long host grace: the space must not end while its host comes back.
        ServerConfig config = ServerConfig.forTests().withRooms(ServerFixture.testRooms().withResumeGrace(GRACE)
                        .withLiveHostGrace(Duration.ofSeconds(30)))
                .withDatabase(ServerFixture.POSTGRES + "?currentSchema=" + schema, "postgres", "");
        SalottoServer before = SalottoServer.start(config);
        nodes.add(before);
        Person host = Person.account(before.baseUrl(), ServerFixture.uniqueName("host"));
        String room = host.createRoom("space", Map.of());
        RoomClient h = track(host.enter(room));
        RoomClient eve = track(Person.guest(before.baseUrl(), "Eve").enter(room));
        RoomClient leo = track(Person.guest(before.baseUrl(), "Leo").enter(room));
        assertEquals(204, host.post("/api/rooms/" + room + "/participants/" + eve.participantId + "/remove", null).status());
        eve.awaitType("removed");
        awaitCondition("the ban stored", Duration.ofSeconds(5), () -> before.store().memberships(room).size() == 3
                && before.store().occupied(room));
        nodes.remove(before);
        before.close(); // its sockets drop; the room still has people in the database, as after a crash

        ManualTime time = new ManualTime();
        SalottoServer after = SalottoServer.start(config.withPorts(0, 0), time, time);
        nodes.add(after);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        resume(h.joined.get("resumeToken").asText(), room, after.baseUrl(), deadline).assertBackAs(h.participantId, "host");
        Resumed banned = resume(eve.joined.get("resumeToken").asText(), room, after.baseUrl(), deadline);
        assertEquals("banned", banned.frame().path("code").asText(), banned.frame().toString());

        time.advance(GRACE.plusSeconds(1)); // past the window counted from the start
        Resumed late = resume(leo.joined.get("resumeToken").asText(), room, after.baseUrl(), deadline);
        assertEquals("resume_failed", late.frame().path("code").asText(), late.frame().toString());
        // As before this change: they join afresh, as a new participant.
        RoomClient again = track(Person.guest(after.baseUrl(), "Leo").enter(room));
        assertNotEquals(leo.participantId, again.participantId);
    }
}
