package org.salotto.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.salotto.cluster.ClusterListener;
import org.salotto.cluster.ClusterNode;
import org.salotto.cluster.Node;
import org.salotto.cluster.NodeMessages;
import org.salotto.media.MediaServer;
import org.salotto.media.forward.Consumer;
import org.salotto.media.forward.Endpoint;
import org.salotto.media.forward.Producer;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;
import org.salotto.rooms.runtime.EdgeAudience;
import org.salotto.rooms.runtime.RoomRuntime;
import org.salotto.signaling.Conference;
import org.salotto.signaling.MediaSession;
import org.salotto.signaling.Outbox;
import org.salotto.signaling.PublishPolicy;
import org.salotto.signaling.SignalingService;
import org.salotto.signaling.protocol.FrameCodec;
import org.salotto.signaling.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A space's or a live's audience relayed across nodes (docs/scale.md "Audience relayed across nodes"): this node as the
 * room's owner (the stage's node) and as an edge (listeners and viewers of rooms other nodes own).
 *
 * <p>Media goes node to node over one SRTP link per pair of nodes ({@link MediaServer#createRelayEndpoint}, keys
 * from {@link NodeMessages#linkKeys}): the owner sends each stage track (the microphones, a live's cameras) once to each
 * edge that wants the room (a relay {@link Consumer} on the link; a simulcast camera's, one per layer, {@link
 * Endpoint#consumeLayer}), the edge receives it as a relay {@link Producer} (a simulcast camera's layers as one) that
 * feeds its own conference's audience slots, audio and video ({@link Conference#setRelayedStage}). The edge's keyframe
 * requests and NACKs for a relayed stream go back on the link as RTCP, to the relay consumer, which passes them on. Control goes through Redis pub/sub, one channel per node:
 *
 * <ul>
 * <li>{@code want} (edge to owner, every third of the node lease while the edge has listeners in the room): a lease;
 *     an edge not heard for three periods gets nothing more;</li>
 * <li>{@code stage} (owner to edge, in answer to each {@code want} and at once when the stage's tracks change): each
 *     track's participant id, name and track id; a microphone's relay SSRC; a camera's {@code kind} {@code video},
 *     codec MIME type and {@code layers} (the relay SSRC and RTX SSRC of each stream: one, or a simulcast camera's
 *     two or three);</li>
 * <li>{@code closed} (owner to edge, when the room is no longer open on the owner): the edge ends its listeners
 *     (a room ended for good: {@code roomEnded}; otherwise their sockets close and they join again, through the
 *     new owner);</li>
 * <li>{@code join}, {@code frame}, {@code drop} (edge to owner, per listener, named by a random {@code ref} the edge
 *     chose): the listener's first frame, a {@code join} (token redeemed on the edge) or a {@code resume} (token read
 *     on the edge: the person was a listener served by this or another node, or by the owner); their other frames
 *     but media (hands, reactions, answers to invitations, {@code leave}); {@code drop} when their socket closed
 *     without {@code leave}. The owner runs a {@code ClientSession} for each, a member of its room without media, so
 *     the room decides their commands as anyone's, and a dropped or lost connection (the edge's {@code drop}, the
 *     edge node lost) leaves them members for the resume grace, as anyone's;</li>
 * <li>{@code to}, {@code gone} (owner to edge, per listener): a frame the owner's room sends them alone (their
 *     {@code joined} or {@code resumed}, an error answering a command, {@code wrong_node} when they are brought on stage, {@code
 *     roomEnded}), and their connection closing there;</li>
 * <li>{@code events} (owner to edge, once per batch of the room's events, to each edge with listeners in it): the
 *     {@code roomEvents} frame the room's local members get, which the edge gives each of its listeners.</li>
 * </ul>
 *
 * <p>Why the per-node channel and not a channel per room: an edge already reads it (no subscribing per room as rooms
 * come and go, nothing delivered to nodes without listeners in the room), and one subscription delivers in order, so a
 * listener's {@code joined} comes before the events that follow it and a room's {@code closed} after its last events.
 * The owner publishes a batch once per edge (about 25 edges for 100,000 listeners: 250 publishes a second at 10 batches
 * a second); a channel per room would be one publish per batch, worth it past a few hundred edges (sharded pub/sub).
 *
 * <p>Threads: messages arrive on Lettuce's thread and are handed to {@code relay}, one virtual thread that does all of
 * this class's work in order (so no lock); the {@code relay-tick} thread posts the periodic work there. Nothing here
 * is on the per-packet path: the packets go through the media loop's consumers and producers as any others.
 */
final class AudienceRelay implements EdgeAudience, ClusterListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudienceRelay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;
    /** Periods without a {@code want} after which an edge is dropped. */
    private static final int MISSED_WANTS = 3;

    private final ClusterNode node;
    private final MediaServer media;
    private final SignalingService signaling;
    private final RoomRuntime runtime;
    private final org.salotto.rooms.RoomService rooms;
    private final NodeMessages messages;
    /** Messages from other nodes dropped: not JSON, unknown type, or naming a listener or room that is not there. */
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final ExecutorService relay = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("relay").factory());
    private final ScheduledExecutorService tick =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("relay-tick").factory());
    private final long periodNanos;

    /** One media link per other node (relay thread). */
    private final Map<String, Link> links = new HashMap<>();
    /** Rooms owned here that edges want (relay thread). */
    private final Map<String, Owned> owned = new HashMap<>();
    /** Rooms owned elsewhere with listeners here (relay thread; the listeners' sets are read by joins too). */
    private final Map<String, Edge> edges = new ConcurrentHashMap<>();
    /** Listeners here by their ref (edge side). */
    private final Map<String, Member> refs = new ConcurrentHashMap<>();
    /** Edges' listeners as members of rooms owned here, by "{edge} {ref}" (owner side). */
    private final Map<String, Remote> remotes = new ConcurrentHashMap<>();

    private static final class Link {
        final String peer;
        final Endpoint endpoint;

        Link(String peer, Endpoint endpoint) {
            this.peer = peer;
            this.endpoint = endpoint;
        }
    }

    /**
     * A room owned here: its stage's tracks, and per edge the relay consumers sending them there (a microphone's or a
     * one-stream camera's one, a simulcast camera's one per layer).
     */
    private static final class Owned {
        final String roomId;
        final Conference conference;
        List<Conference.StageTrack> stage = List.of();
        /** Per track, the SSRCs it is relayed on: a microphone's one; a camera's media and RTX SSRC per stream. */
        final Map<String, int[]> ssrcs = new HashMap<>();
        final Map<String, Long> lastWant = new HashMap<>();
        final Map<String, Map<String, Sent>> consumers = new HashMap<>();

        Owned(String roomId, Conference conference) {
            this.roomId = roomId;
            this.conference = conference;
        }
    }

    /** One stage track sent to one edge: the producer it comes from and its relay consumers (one per stream). */
    private record Sent(Producer producer, Consumer[] consumers) {
        void close() {
            for (Consumer c : consumers) c.close();
        }
    }

    /** A room owned by another node, with listeners (a space's) or viewers (a live's) here. */
    private final class Edge {
        final String roomId;
        final Conference conference;
        final Set<Member> listeners = ConcurrentHashMap.newKeySet();
        String owner;
        final Map<String, Producer> producers = new HashMap<>();

        /** @param stageVideo the video slots of its audience (a live's stage size), 0 for none (a space) */
        Edge(String roomId, int stageVideo) {
            this.roomId = roomId;
            this.conference = signaling.conference(roomId, stageVideo);
        }
    }

    /** A listener here: their media session in the edge's conference once the owner said {@code joined}. */
    private final class Member implements EdgeAudience.Listener {
        final String ref;
        final String roomId;
        final int stageVideo;
        final String owner;
        final Outbox outbox;
        volatile MediaSession session;

        Member(String ref, String roomId, int stageVideo, String owner, Outbox outbox) {
            this.ref = ref;
            this.roomId = roomId;
            this.stageVideo = stageVideo;
            this.owner = owner;
            this.outbox = outbox;
        }

        @Override
        public MediaSession media() {
            // Waits for a join in progress (onTo): its subscribeOffer may be answered before the join has returned.
            synchronized (this) {
                return session;
            }
        }

        @Override
        public void forward(String frame) {
            post(() -> messages.send(owner, message("frame").put("ref", ref).put("frame", frame).toString()));
        }

        @Override
        public void leave() {
            boolean known = refs.remove(ref, this);
            drop(this);
            if (known) post(() -> messages.send(owner, message("frame").put("ref", ref).put("frame", LEAVE).toString()));
        }

        @Override
        public void dropped() {
            boolean known = refs.remove(ref, this);
            drop(this);
            // Not a leave: the owner keeps them for the resume grace, and they may resume through any node.
            if (known) post(() -> messages.send(owner, message("drop").put("ref", ref).toString()));
        }
    }

    /** Takes a listener out of its edge room: their media leave. */
    private void drop(Member m) {
        Edge e = edges.get(m.roomId);
        if (e != null) e.listeners.remove(m);
        MediaSession session = m.session;
        if (session != null) session.leave("left");
        post(() -> dropIfEmpty(m.roomId));
    }

    /**
     * On the owner: an edge's listener, a member of a room here without media, through a {@code ClientSession} whose
     * connection is the edge. Its frames run one at a time, in order, off the relay thread (a join reads the database).
     */
    private final class Remote implements org.salotto.signaling.ClientConnection {
        final String edge;
        final String ref;
        final String roomId;
        final org.salotto.rooms.session.ClientSession session;
        private java.util.concurrent.CompletableFuture<Void> tail = java.util.concurrent.CompletableFuture.completedFuture(null);

        Remote(String edge, String ref, String roomId) {
            this.edge = edge;
            this.ref = ref;
            this.roomId = roomId;
            this.session = rooms.connectFromEdge(roomId, this);
        }

        synchronized void run(Runnable work) {
            tail = tail.thenRunAsync(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("relay: a frame of listener {} from node {} failed", ref, edge, e);
                }
            }, FRAMES);
        }

        @Override
        public void send(String json) {
            post(() -> messages.send(edge, message("to").put("ref", ref).put("frame", json).toString()));
        }

        @Override
        public void close(String reason) {
            if (!remotes.remove(edge + " " + ref, this)) return;
            post(() -> messages.send(edge, message("gone").put("ref", ref).put("reason", reason).toString()));
            run(session::onClosed);
        }
    }

    /** The frame an edge sends for a listener who left. */
    private static final String LEAVE = "{\"type\":\"leave\"}";
    private static final ExecutorService FRAMES = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("relay-frames").factory());

    private ObjectNode message(String type) {
        return JSON.createObjectNode().put("t", type).put("from", node.id());
    }

    AudienceRelay(ClusterNode node, MediaServer media, SignalingService signaling, org.salotto.rooms.RoomService rooms) {
        this.node = node;
        this.media = media;
        this.signaling = signaling;
        this.rooms = rooms;
        this.runtime = rooms.runtime();
        this.periodNanos = node.config().renewEvery().toNanos();
        this.messages = node.messages(m -> post(() -> onMessage(m)));
        tick.scheduleAtFixedRate(() -> post(this::periodic), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** Hands work to the relay thread; after {@link #close} (the server stopping) it is dropped. */
    private void post(Runnable work) {
        try {
            relay.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // closing: nothing more is relayed
        }
    }

    // ---- edge: listeners here ----

    @Override
    public Listener listen(String roomId, int stageVideo, String joinFrame, Outbox outbox) {
        return serve(roomId, stageVideo, joinFrame, outbox);
    }

    @Override
    public Listener resume(String roomId, int stageVideo, String resumeFrame, Outbox outbox) {
        // The same message as a join: the owner's session for them reads the frame, a resume here.
        return serve(roomId, stageVideo, resumeFrame, outbox);
    }

    /** A listener served here: their first frame ({@code join} or {@code resume}) goes to the owner, under a new ref. */
    private Listener serve(String roomId, int stageVideo, String joinFrame, Outbox outbox) {
        Optional<Node> owner = node.placement().owner(roomId);
        if (owner.isEmpty() || owner.get().id().equals(node.id())) throw new IllegalStateException("the room has no owner now");
        byte[] r = new byte[12];
        RANDOM.nextBytes(r);
        Member m = new Member(java.util.HexFormat.of().formatHex(r), roomId, stageVideo, owner.get().id(), outbox);
        refs.put(m.ref, m);
        edges.computeIfAbsent(roomId, k -> new Edge(k, stageVideo)).listeners.add(m);
        post(() -> messages.send(m.owner, message("join").put("room", roomId).put("ref", m.ref).put("frame", joinFrame).toString()));
        return m;
    }

    /**
     * A frame the owner's room sends one listener here; their {@code joined} (or {@code resumed}) brings their media up
     * (relay thread).
     */
    private void onTo(JsonNode msg) {
        Member m = refs.get(msg.path("ref").asText());
        String frame = msg.path("frame").asText();
        if (m == null || !m.owner.equals(msg.path("from").asText()) || frame.isEmpty()) {
            dropped.incrementAndGet();
            return;
        }
        m.outbox.send(frame);
        if (m.session != null || !(frame.startsWith("{\"type\":\"joined\"") || frame.startsWith("{\"type\":\"resumed\""))) {
            return;
        }
        JsonNode joined;
        try {
            joined = JSON.readTree(frame);
        } catch (java.io.IOException e) {
            return;
        }
        String participantId = joined.path("participantId").asText();
        String name = "";
        for (JsonNode member : joined.path("members")) {
            if (member.path("participantId").asText().equals(participantId)) name = member.path("displayName").asText();
        }
        Edge e = edges.computeIfAbsent(m.roomId, k -> new Edge(k, m.stageVideo));
        e.listeners.add(m);
        synchronized (m) {
            // The join sends the subscribeOffer; the client's answer must find the session (media() waits for it).
            m.session = e.conference.join(participantId, name, m.outbox, PublishPolicy.NOTHING,
                    Conference.Receiving.SERVER_OFFERS, true, frame.startsWith("{\"type\":\"resumed\""));
        }
        if (!refs.containsKey(m.ref)) drop(m); // they left meanwhile
        else want(e);
    }

    /** The owner closed a listener's connection (their room ended, they were removed or sent to the owner). */
    private void onGone(JsonNode msg) {
        Member m = refs.get(msg.path("ref").asText());
        if (m == null || !m.owner.equals(msg.path("from").asText())) {
            dropped.incrementAndGet();
            return;
        }
        refs.remove(m.ref, m);
        m.outbox.closeAfterFlush(msg.path("reason").asText("closed"));
        drop(m);
    }

    /** A batch of the owner's room events: to each listener here the owner said {@code joined} to. */
    private void onEvents(JsonNode msg) {
        Edge e = edges.get(msg.path("room").asText());
        String frame = msg.path("frame").asText();
        String from = msg.path("from").asText();
        if (e == null || frame.isEmpty()) {
            dropped.incrementAndGet();
            return;
        }
        for (Member m : e.listeners) if (m.session != null && m.owner.equals(from)) m.outbox.send(frame);
    }

    /**
     * Whether Redis still has this node as the room's owner (relay thread): a room not open here but placed here is
     * opening, or closed a moment ago and opening again for someone joining; it is not gone, and its edges keep their
     * listeners. When Redis cannot be asked, the room counts as still here (its edges ask again).
     */
    private boolean stillMine(String roomId) {
        try {
            return node.placement().owner(roomId).map(n -> n.id().equals(node.id())).orElse(false);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** Tells the room's owner this node wants its stage (relay thread). */
    private void want(Edge e) {
        if (e.listeners.isEmpty()) return;
        Optional<Node> owner;
        try {
            owner = node.placement().owner(e.roomId);
        } catch (RuntimeException x) {
            log.warn("relay: the owner of room {} could not be asked ({})", e.roomId, x.getMessage());
            return;
        }
        if (owner.isEmpty() || owner.get().id().equals(node.id())) return;
        String o = owner.get().id();
        if (e.owner != null && !e.owner.equals(o)) dropStage(e); // re-placed: the old owner's tracks are gone
        e.owner = o;
        ObjectNode m = JSON.createObjectNode().put("t", "want").put("room", e.roomId).put("from", node.id());
        messages.send(o, m.toString());
    }

    /**
     * The owner's stage for a room with listeners here: a relay producer on the link per track (a simulcast camera's
     * layers as one producer, each on the SSRC the owner said), which feed this node's audience slots (relay thread).
     */
    private void onStage(JsonNode m) {
        Edge e = edges.get(m.path("room").asText());
        String from = m.path("from").asText();
        if (e == null || e.listeners.isEmpty() || !from.equals(e.owner)) return;
        Link link = link(from);
        if (link == null) return;
        Map<String, Producer> next = new HashMap<>();
        List<Conference.StageTrack> stage = new ArrayList<>();
        for (JsonNode t : m.path("tracks")) {
            String trackId = t.path("id").asText();
            org.salotto.media.params.TrackParameters parameters = RelayedTrack.parameters(trackId, t);
            if (parameters == null || next.containsKey(trackId)) continue; // a bad entry is skipped, the others kept
            Producer p = e.producers.remove(trackId);
            if (p == null || !p.parameters().encodings().equals(parameters.encodings())) {
                if (p != null) p.close();
                p = link.endpoint.produce(trackId, parameters);
            }
            next.put(trackId, p);
            stage.add(new Conference.StageTrack(t.path("p").asText(), t.path("n").asText(), trackId, parameters.kind(), p));
        }
        for (Producer gone : e.producers.values()) gone.close();
        e.producers.clear();
        e.producers.putAll(next);
        e.conference.setRelayedStage(stage);
    }

    private void dropStage(Edge e) {
        for (Producer p : e.producers.values()) p.close();
        e.producers.clear();
        e.conference.setRelayedStage(List.of());
    }

    private void onClosed(JsonNode m) {
        Edge e = edges.get(m.path("room").asText());
        if (e == null || !m.path("from").asText().equals(e.owner)) return;
        boolean ended = m.path("ended").asBoolean();
        // Not ended: the room is not open on the node this one took for its owner (it moved, or is opening again
        // there). Their sockets close with no error: their client comes back as after any drop (a resume, through
        // this node or another, which finds the room wherever it is now; else a fresh join).
        FrameCodec.Encoded frame = ended ? FrameCodec.encode(new ServerFrame.RoomEnded("the room ended")) : null;
        for (Member l : List.copyOf(e.listeners)) {
            if (frame != null) l.outbox.send(frame);
            sendBack(l, ended ? "room ended" : "room moved");
        }
        dropIfEmpty(e.roomId);
    }

    /** Closes a listener's socket here (with no error frame: their client comes back as after any drop), their media gone. */
    private void sendBack(Member l, String reason) {
        l.outbox.closeAfterFlush(reason);
        Edge e = edges.get(l.roomId);
        if (e != null) e.listeners.remove(l);
        refs.remove(l.ref, l);
        if (l.session != null) l.session.leave(reason);
    }

    private void dropIfEmpty(String roomId) {
        Edge e = edges.get(roomId);
        if (e == null || !e.listeners.isEmpty()) return;
        edges.remove(roomId);
        dropStage(e);
        signaling.release(roomId);
    }

    // ---- owner: edges' listeners as members here ----

    private void onJoin(JsonNode m) {
        String edge = m.path("from").asText();
        String ref = m.path("ref").asText();
        String roomId = m.path("room").asText();
        String frame = m.path("frame").asText();
        if (edge.isEmpty() || edge.equals(node.id()) || ref.isEmpty() || roomId.isEmpty() || frame.isEmpty()) {
            dropped.incrementAndGet();
            return;
        }
        Remote r = new Remote(edge, ref, roomId);
        if (remotes.putIfAbsent(edge + " " + ref, r) != null) {
            dropped.incrementAndGet();
            return;
        }
        r.run(() -> r.session.onMessage(frame));
    }

    /** An edge's listener's socket closed without {@code leave}: their connection dropped, as any member's. */
    private void onDrop(JsonNode m) {
        String key = m.path("from").asText() + " " + m.path("ref").asText();
        Remote r = remotes.remove(key);
        if (r == null) {
            dropped.incrementAndGet();
            return;
        }
        r.run(r.session::onClosed);
    }

    private void onFrame(JsonNode m) {
        String key = m.path("from").asText() + " " + m.path("ref").asText();
        Remote r = remotes.get(key);
        String frame = m.path("frame").asText();
        if (r == null || frame.isEmpty()) {
            dropped.incrementAndGet();
            return;
        }
        r.run(() -> {
            r.session.onMessage(frame);
            if (LEAVE.equals(frame)) remotes.remove(key, r); // they left, joined or not
        });
    }

    @Override
    public void roomEvents(String roomId, FrameCodec.Encoded batch) {
        post(() -> {
            Set<String> to = new java.util.HashSet<>();
            for (Remote r : remotes.values()) if (r.roomId.equals(roomId)) to.add(r.edge);
            for (String edge : to) {
                messages.send(edge, message("events").put("room", roomId).put("frame", batch.json()).toString());
            }
        });
    }

    @Override
    public String nodeUrl() {
        return node.httpUrl();
    }

    // ---- owner: the stage sent to the edges ----

    private void onWant(JsonNode m) {
        String roomId = m.path("room").asText();
        String edge = m.path("from").asText();
        if (edge.isEmpty() || edge.equals(node.id())) return;
        Owned o = owned.get(roomId);
        if (o == null) {
            Conference c = runtime.get(roomId) == null ? null : signaling.existing(roomId);
            if (c == null) {
                if (!stillMine(roomId)) tellClosed(roomId, edge);
                return; // placed here and opening (or opening again): the edge asks again in a third of a lease
            }
            o = new Owned(roomId, c);
            owned.put(roomId, o);
            Owned room = o;
            c.setStageListener(stage -> post(() -> stageChanged(room, stage)));
        }
        o.lastWant.put(edge, System.nanoTime());
        relayTo(o, edge);
    }

    private void stageChanged(Owned o, List<Conference.StageTrack> stage) {
        if (owned.get(o.roomId) != o) return;
        o.stage = stage;
        for (String edge : List.copyOf(o.lastWant.keySet())) relayTo(o, edge);
    }

    /**
     * Brings one edge's relay consumers up to the stage, and tells it the stage (relay thread): each track once, a
     * simulcast camera's every layer on a stream of its own (media and RTX SSRC each), so that the edge chooses a layer
     * per viewer.
     */
    private void relayTo(Owned o, String edge) {
        Link link = link(edge);
        if (link == null) return;
        Map<String, Sent> sent = o.consumers.computeIfAbsent(edge, k -> new HashMap<>());
        ArrayNode tracks = JSON.createArrayNode();
        Set<String> now = new java.util.HashSet<>();
        for (Conference.StageTrack a : o.stage) {
            int[] ssrcs = o.ssrcs.computeIfAbsent(a.trackId(), k -> RelayedTrack.newSsrcs(a));
            now.add(a.trackId());
            Sent s = sent.get(a.trackId());
            if (s == null || s.producer() != a.producer()) {
                if (s != null) s.close();
                String id = "relay-" + a.trackId() + "-" + edge;
                sent.put(a.trackId(), new Sent(a.producer(), RelayedTrack.send(link.endpoint, id, a, ssrcs)));
            }
            RelayedTrack.describe(tracks.addObject(), a, ssrcs);
        }
        sent.entrySet().removeIf(en -> {
            if (now.contains(en.getKey())) return false;
            en.getValue().close();
            return true;
        });
        o.ssrcs.keySet().retainAll(now);
        ObjectNode m = JSON.createObjectNode().put("t", "stage").put("room", o.roomId).put("from", node.id());
        m.set("tracks", tracks);
        messages.send(edge, m.toString());
    }

    private void stopRelaying(Owned o, String edge) {
        o.lastWant.remove(edge);
        Map<String, Sent> sent = o.consumers.remove(edge);
        if (sent != null) for (Sent c : sent.values()) c.close();
    }

    private void tellClosed(String roomId, String edge) {
        boolean ended;
        try {
            ended = runtime.roomEnded(roomId);
        } catch (RuntimeException e) {
            ended = false;
        }
        messages.send(edge, JSON.createObjectNode().put("t", "closed").put("room", roomId).put("from", node.id())
                .put("ended", ended).toString());
    }

    // ---- both ----

    private void onMessage(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (java.io.IOException e) {
            dropped.incrementAndGet();
            log.warn("relay: a message that is not JSON was dropped");
            return;
        }
        switch (m.path("t").asText()) {
            case "want" -> onWant(m);
            case "stage" -> onStage(m);
            case "closed" -> onClosed(m);
            case "join" -> onJoin(m);
            case "frame" -> onFrame(m);
            case "drop" -> onDrop(m);
            case "to" -> onTo(m);
            case "gone" -> onGone(m);
            case "events" -> onEvents(m);
            default -> {
                dropped.incrementAndGet();
                log.warn("relay: a message of unknown type {} was dropped", m.path("t").asText());
            }
        }
    }

    /** Every third of the node lease (relay thread): edges renew their wants; owners drop the edges gone quiet. */
    private void periodic() {
        for (Edge e : edges.values()) want(e);
        long now = System.nanoTime();
        for (Owned o : List.copyOf(owned.values())) {
            if (runtime.get(o.roomId) == null || signaling.existing(o.roomId) != o.conference) {
                // Closed here. Gone (not placed here any more): the edges' listeners go. Opening again here: the
                // edges' next want relays the new instance's stage.
                boolean gone = !stillMine(o.roomId);
                for (String edge : List.copyOf(o.lastWant.keySet())) {
                    stopRelaying(o, edge);
                    if (gone) tellClosed(o.roomId, edge);
                }
                o.conference.setStageListener(null);
                owned.remove(o.roomId);
                continue;
            }
            for (Map.Entry<String, Long> w : List.copyOf(o.lastWant.entrySet())) {
                if (now - w.getValue() > MISSED_WANTS * periodNanos) stopRelaying(o, w.getKey());
            }
        }
    }

    /** The link to another node, made on first use (relay thread: the keys come from Redis). Null if it is unknown. */
    private Link link(String peer) {
        Link l = links.get(peer);
        if (l != null) return l;
        Node n = null;
        for (Node x : node.lastSeen()) if (x.id().equals(peer)) n = x;
        if (n == null) {
            for (Node x : node.nodes()) if (x.id().equals(peer)) n = x;
        }
        if (n == null) return null;
        InetSocketAddress address = parse(n.mediaAddress());
        if (address == null) return null;
        byte[] keys = messages.linkKeys(peer, 2 * (PROFILE.keyLength() + PROFILE.saltLength()));
        Endpoint endpoint = media.createRelayEndpoint("relay-" + peer, PROFILE, keys, node.id().compareTo(peer) < 0,
                address, new TransportListener() {
                    @Override
                    public void onConnected(WebRtcTransport transport) {
                    }

                    @Override
                    public void onClosed(WebRtcTransport transport, String reason) {
                        log.info("relay: the link to node {} closed: {}", peer, reason);
                    }
                });
        java.util.Arrays.fill(keys, (byte) 0);
        l = new Link(peer, endpoint);
        links.put(peer, l);
        log.info("relay: media link to node {} at {}", peer, address);
        return l;
    }

    private static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) return null;
        try {
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void nodeLost(Node lost) {
        post(() -> {
            // Its listeners' connections dropped: they stay members for the resume grace, and resume through
            // another node (which serves them as its own listeners) as the same participants.
            for (Remote r : List.copyOf(remotes.values())) {
                if (r.edge.equals(lost.id()) && remotes.remove(r.edge + " " + r.ref, r)) r.run(r.session::onClosed);
            }
            for (Owned o : owned.values()) stopRelaying(o, lost.id());
            for (Edge e : edges.values()) {
                if (lost.id().equals(e.owner)) {
                    dropStage(e);
                    e.owner = null;
                }
            }
            // Listeners of rooms the lost node owned, served here or waiting for its answer to their join or resume:
            // their room is re-placed by the next node asked. Their sockets close with no error; they resume (through
            // this node or another), which finds the room on its new owner, as the same participants.
            java.util.Set<String> rooms = new java.util.HashSet<>();
            for (Member m : List.copyOf(refs.values())) {
                if (!m.owner.equals(lost.id())) continue;
                rooms.add(m.roomId);
                sendBack(m, "room moved");
            }
            for (String roomId : rooms) dropIfEmpty(roomId);
            Link l = links.remove(lost.id());
            if (l != null) l.endpoint.close();
            try {
                messages.forgetLink(lost.id());
            } catch (RuntimeException x) {
                log.debug("relay: the keys of the link to {} stay in Redis", lost.id());
            }
        });
    }

    // ---- metrics ----

    /** Per other node: relay streams sent to it now, RTP packets sent to it and received from it. */
    record LinkStats(String peer, int streams, long sent, long received) {
    }

    /** Listeners of rooms other nodes own, served here now. */
    int listenersServed() {
        return refs.size();
    }

    /** Members of rooms owned here whose node is another. */
    int edgeMembers() {
        return remotes.size();
    }

    /** Messages from other nodes dropped since the start. */
    long droppedMessages() {
        return dropped.get();
    }

    List<LinkStats> stats() {
        try {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                List<LinkStats> out = new ArrayList<>();
                for (Link l : links.values()) {
                    int streams = 0;
                    for (Owned o : owned.values()) {
                        Map<String, Sent> sent = o.consumers.get(l.peer);
                        if (sent != null) streams += sent.size();
                    }
                    WebRtcTransport t = l.endpoint.transport();
                    out.add(new LinkStats(l.peer, streams, t.relayRtpSent(), t.relayRtpReceived()));
                }
                return out;
            }, relay).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        tick.shutdownNow();
        relay.shutdown();
        try {
            relay.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
