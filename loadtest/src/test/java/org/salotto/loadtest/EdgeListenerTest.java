package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.server.SalottoServer;

/**
 * Three nodes on loopback sharing PostgreSQL and Redis, a space owned by one of them and its listeners on the two
 * others (docs/scale.md "Audience relayed across nodes"): an edge's listener is told the room's state by the owner, a
 * hand raised on one edge reaches the host on the owner and the listener on the other edge, and a listener the host
 * brings on stage is sent to the owner ({@code wrong_node}), where the same token makes them a speaker; a listener
 * whose socket closes on an edge stays a member, and resumes (on the owner here) as the same participant.
 */
class EdgeListenerTest {
    /** How long a frame may take to come (across Redis and the room's event batch); shorter than the resume grace. */
    static final long WAIT_NANOS = Duration.ofSeconds(10).toNanos();

    @Test
    @Timeout(120)
    void handsAndStageChangesCrossNodesAndAPromotedListenerMovesToTheOwner() throws Exception {
        List<Client> clients = new ArrayList<>();
        try (ThreeNodes cluster = new ThreeNodes("edge")) {
            HttpClient http = cluster.http;
            SalottoRoom room = SalottoRoom.create(http, cluster.space("edge-test", 1, 2));
            SalottoServer owner = cluster.owner(room.id());
            List<SalottoServer> edges = cluster.edges(owner);
            SalottoRoom api = room.through(owner.baseUrl(), owner.baseUrl());

            Client host = Client.join(http, api, api.joinToken("host", true), clients);
            assertEquals("host", host.joined.path("role").asText());
            // Where to come back through if this node is lost: the cluster's nodes, the one that answered first.
            List<String> nodes = new ArrayList<>();
            for (JsonNode n : host.joined.path("nodes")) nodes.add(n.asText());
            assertEquals(owner.baseUrl(), nodes.isEmpty() ? null : nodes.getFirst(), host.joined.toString());
            assertEquals(java.util.Set.of(owner.baseUrl(), edges.get(0).baseUrl(), edges.get(1).baseUrl()),
                    java.util.Set.copyOf(nodes), host.joined.toString());
            assertEquals(3, nodes.size(), host.joined.toString());
            Client onTwo = Client.join(http, room.through(owner.baseUrl(), edges.get(0).baseUrl()),
                    api.joinToken("two", false), clients);
            Client onThree = Client.join(http, room.through(owner.baseUrl(), edges.get(1).baseUrl()),
                    api.joinToken("three", false), clients);

            // The joined frame comes from the owner: the room's members as a local listener would see them.
            assertEquals("listener", onThree.joined.path("role").asText());
            assertTrue(members(onThree.joined).contains(host.id()), onThree.joined.toString());
            assertTrue(members(onThree.joined).contains(onTwo.id()), onThree.joined.toString());
            // They stay on their edges (no room runs there) and are members of the owner's room, without media.
            for (SalottoServer edge : edges) assertEquals(null, edge.rooms().runtime().get(room.id()));
            assertEquals(3, owner.rooms().runtime().get(room.id()).people());
            assertTrue(metrics(http, owner).contains("salotto_relay_edge_members 2\n"), metrics(http, owner));
            for (SalottoServer edge : edges) {
                assertTrue(metrics(http, edge).contains("salotto_relay_edge_listeners 1\n"), metrics(http, edge));
            }

            // A hand raised on node 3 reaches the host on the owner, and the listener on node 2.
            long raised = System.nanoTime();
            onThree.send("{\"type\":\"raiseHand\"}");
            host.await(event("handRaised", onThree.id()), "the host sees the hand of " + onThree.id());
            long atHost = System.nanoTime();
            onTwo.await(event("handRaised", onThree.id()), "the listener on the other edge sees the hand");
            System.out.println("hand raised on node 3: at the host after " + (atHost - raised) / 1_000_000
                    + " ms, on node 2 after " + (System.nanoTime() - raised) / 1_000_000 + " ms");
            onTwo.await(event("handRaised", onThree.id()), "the listener on the other edge sees the hand");
            // A reaction too; a refused command's error comes back to the edge's client with its ref.
            onThree.send("{\"type\":\"react\",\"emoji\":\"👏\"}");
            host.await(event("reaction", onThree.id()), "the host sees the reaction");
            onThree.send("{\"type\":\"react\",\"emoji\":\"no\",\"id\":\"r1\"}");
            onThree.await(f -> f.path("type").asText().equals("error") && f.path("ref").asText().equals("r1")
                    && f.path("code").asText().equals("bad_message"), "the refusal of a bad reaction");

            // The host brings the listener of node 3, whose hand is up, on stage: the listener on node 2 sees the
            // stage change, and node 3's client is sent to the owner.
            api.inviteToStage(onThree.id());
            onTwo.await(f -> hasEvent(f, "roleChanged", onThree.id(), "speaker"), "the stage change on node 2");
            host.await(f -> hasEvent(f, "roleChanged", onThree.id(), "speaker"), "the stage change on the owner");
            JsonNode moved = onThree.await(f -> f.path("type").asText().equals("error")
                    && f.path("code").asText().equals("wrong_node"), "wrong_node for the promoted listener");
            assertEquals(owner.baseUrl().replaceAll("/+$", ""), moved.path("nodeUrl").asText().replaceAll("/+$", ""));
            onThree.awaitClosed();

            // The same token, on the owner: the same member, a speaker now.
            Client promoted = Client.join(http, room.through(owner.baseUrl(), moved.path("nodeUrl").asText()),
                    onThree.token, clients);
            assertEquals("speaker", promoted.joined.path("role").asText(), promoted.joined.toString());
            assertEquals(onThree.id(), promoted.id());

            // On stage, their media are the owner's: a resume through an edge is sent there (wrong_node), and resumes
            // them there as the same speaker.
            String speakerResume = promoted.joined.path("resumeToken").asText("");
            promoted.close();
            promoted.awaitClosed();
            Client viaEdge = Client.open(http, room.through(owner.baseUrl(), edges.get(0).baseUrl()), speakerResume,
                    clients, "resume");
            assertEquals("wrong_node", viaEdge.joined.path("code").asText(), viaEdge.joined.toString());
            assertEquals(owner.baseUrl().replaceAll("/+$", ""), viaEdge.joined.path("nodeUrl").asText().replaceAll("/+$", ""));
            viaEdge.close();
            Client speakerBack = Client.open(http, room.through(owner.baseUrl(), viaEdge.joined.path("nodeUrl").asText()),
                    speakerResume, clients, "resume");
            assertEquals("resumed", speakerBack.joined.path("type").asText(), speakerBack.joined.toString());
            assertEquals(onThree.id(), speakerBack.id());
            assertEquals("speaker", speakerBack.joined.path("role").asText());

            // An edge's listener resumes as anyone does: their socket closing without 'leave' keeps them a member for
            // the resume grace; their token brings them back, here on the owner (a local listener now), as the same
            // participant, and nobody saw them go.
            String resumeToken = onTwo.joined.path("resumeToken").asText("");
            assertTrue(resumeToken.startsWith("r1."), onTwo.joined.toString());
            onTwo.close();
            onTwo.awaitClosed();
            Client back = Client.open(http, room.through(owner.baseUrl(), owner.baseUrl()), resumeToken, clients, "resume");
            assertEquals("resumed", back.joined.path("type").asText(), back.joined.toString());
            assertEquals(onTwo.id(), back.id());
            assertEquals("listener", back.joined.path("role").asText());
            // Their subscriber connection was the edge's: the owner's offer is for a new one.
            back.await(f -> f.path("type").asText().equals("subscribeOffer") && f.path("newConnection").asBoolean(),
                    "a subscribeOffer for a new connection");
            back.send("{\"type\":\"leave\"}");
            JsonNode left = host.await(event("memberLeft", onTwo.id()), "the listener of node 2 leaving");
            synchronized (host) {
                for (JsonNode f : host.frames.subList(0, host.frames.indexOf(left))) {
                    assertFalse(hasEvent(f, "memberLeft", onTwo.id(), null), "the host saw them leave before they did: " + f);
                }
            }
        } finally {
            clients.forEach(Client::close);
        }
    }

    private static String metrics(HttpClient http, SalottoServer node) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> members(JsonNode joined) {
        List<String> ids = new ArrayList<>();
        for (JsonNode m : joined.path("members")) ids.add(m.path("participantId").asText());
        return ids;
    }

    private static Predicate<JsonNode> event(String type, String participantId) {
        return f -> hasEvent(f, type, participantId, null);
    }

    private static boolean hasEvent(JsonNode frame, String type, String participantId, String role) {
        if (!frame.path("type").asText().equals("roomEvents")) return false;
        for (JsonNode e : frame.path("events")) {
            if (e.path("type").asText().equals(type) && e.path("participantId").asText().equals(participantId)
                    && (role == null || e.path("role").asText().equals(role))) {
                return true;
            }
        }
        return false;
    }

    /** A client of the room's WebSocket that keeps every frame it is sent. */
    private static final class Client implements AutoCloseable {
        final String token;
        final JsonWebSocket socket;
        final List<JsonNode> frames = new ArrayList<>();
        boolean closed;
        JsonNode joined;

        private Client(HttpClient http, SalottoRoom room, String token) {
            this.token = token;
            this.socket = JsonWebSocket.connect(http, room.webSocketUri(), null, t -> false, this::add, this::onClose);
        }

        static Client join(HttpClient http, SalottoRoom room, String token, List<Client> all) throws Exception {
            Client c = open(http, room, token, all, "join");
            assertEquals("joined", c.joined.path("type").asText(), c.joined.toString());
            return c;
        }

        /** A socket that sends {@code type} ("join" or "resume") with the token; {@code joined} is the answer. */
        static Client open(HttpClient http, SalottoRoom room, String token, List<Client> all, String type) throws Exception {
            Client c = new Client(http, room, token);
            all.add(c);
            c.send("{\"type\":\"" + type + "\",\"token\":\"" + token + "\"}");
            c.joined = c.await(f -> f.path("type").asText().matches("joined|resumed|error"), "joined or resumed");
            return c;
        }

        String id() {
            return joined.path("participantId").asText();
        }

        void send(String frame) throws Exception {
            socket.send((com.fasterxml.jackson.databind.node.ObjectNode) JsonWebSocket.JSON.readTree(frame));
        }

        private synchronized void add(JsonNode frame) {
            frames.add(frame);
            notifyAll();
        }

        private synchronized void onClose() {
            closed = true;
            notifyAll();
        }

        synchronized JsonNode await(Predicate<JsonNode> what, String description) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT_NANOS;
            int seen = 0;
            while (true) {
                for (; seen < frames.size(); seen++) if (what.test(frames.get(seen))) return frames.get(seen);
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no " + description + " in " + frames);
                wait(Math.max(1, left / 1_000_000));
            }
        }

        synchronized void awaitClosed() throws InterruptedException {
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("the socket did not close");
                wait(Math.max(1, left / 1_000_000));
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (RuntimeException e) {
                // closed already
            }
        }
    }
}
