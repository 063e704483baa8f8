package org.salotto.rooms.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.salotto.rooms.Grants;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.domain.MemberView;
import org.salotto.rooms.domain.RoomEvent;
import org.salotto.rooms.domain.RoomMachine;
import org.salotto.rooms.domain.RoomModel;
import org.salotto.rooms.store.UnitOfWork;
import org.salotto.signaling.Conference;
import org.salotto.signaling.MediaSession;
import org.salotto.signaling.PublishPolicy;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.FrameCodec;
import org.salotto.signaling.protocol.Wire;
import org.salotto.signaling.protocol.RoomEventFrame;
import org.salotto.signaling.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open room: its state machine, owned by one {@link Mailbox} (the room's single writer, no lock), and the
 * adapters that carry out what it decides. The order of a command's effects:
 *
 * <ol>
 * <li>the machine decides the command into events (or refuses it: nothing changes);</li>
 * <li>each event, in order: frames to the clients it concerns, media changes (joining the conference, what each
 *     person may publish, leaving), timers; events for everyone go into the next {@code roomEvents} batch, which is
 *     sent at once before any media change that follows a role change, so a person hears why before their tracks
 *     change;</li>
 * <li>the decision's database writes, as one unit of work with its outbox events, go to the room's writer, off this
 *     executor; the command's future completes when they are committed.</li>
 * </ol>
 */
public final class OpenRoom {
    private static final Logger log = LoggerFactory.getLogger(OpenRoom.class);
    /** Commands waiting for one room at most; past this, a command is refused as {@code busy}. */
    static final int MAILBOX_CAPACITY = 10_000;

    private final RoomRuntime runtime;
    private final String id;
    /** The room as it was opened: its id, kind and host never change, so any thread may read them here. */
    private final org.salotto.rooms.store.Room opened;
    private final RoomMachine machine;
    private final RoomModel model;
    private final Mailbox mailbox;
    private final RoomWrites writes;
    private final RoomFrames frames;
    /** Clients by connection id: members and people in the lobby. */
    private final Map<Long, Client> clients = new HashMap<>();
    private final Map<String, MediaSession> media = new HashMap<>();
    /** The connection each member is on, as their client was told (kept after the member leaves the model). */
    private final Map<String, Long> memberConnections = new HashMap<>();
    private final Map<String, Long> lobbyConnections = new HashMap<>();
    private final List<RoomEventFrame> batch = new ArrayList<>();
    /** The batch as the room's managers get it: with what concerns the unlisted audience, in order. */
    private final List<RoomEventFrame> managersBatch = new ArrayList<>();
    /** Whether {@link #managersBatch} has more than {@link #batch}. */
    private boolean managersOnly;
    private final AudienceListing listing;
    /** The audience's size last sent in {@code audienceChanged} (a space or a live), -1 before the first. */
    private int audienceSent = -1;
    /** The members who are hidden (a join token's grant): what concerns them is not shown to the others. */
    private final java.util.Set<String> hiddenMembers = new java.util.HashSet<>();
    private Conference conference;
    private boolean flushScheduled;
    /** When the last batch went ({@link System#nanoTime}), 0 before the first: the next waits out the interval. */
    private long lastBatchNanos;
    /** The lobby changed since hosts were last sent it. */
    private boolean lobbyChanged;
    private boolean closed;
    private volatile int people;
    private volatile int onStage;
    /** The room as its last decision left it, for readers on other threads. */
    private volatile org.salotto.rooms.store.Room current;
    /**
     * Until when this room takes back, on a resume, the participants of its previous instance (it changed hands: its
     * node was lost or drained, or its server crashed); null when it did not change hands.
     */
    private final Instant takesBackUntil;
    /** The end of the window is awaited (the room is empty and waits for its people). */
    private boolean windowEndScheduled;

    OpenRoom(RoomRuntime runtime, RoomModel model, long lastEventSeq) {
        this(runtime, model, lastEventSeq, null);
    }

    OpenRoom(RoomRuntime runtime, RoomModel model, long lastEventSeq, Instant takesBackUntil) {
        this.takesBackUntil = takesBackUntil;
        this.runtime = runtime;
        this.id = model.room().id();
        this.opened = model.room();
        this.current = model.room();
        this.model = model;
        this.machine = new RoomMachine(model, runtime.config(), runtime.ids(), runtime.lobbyMaxPeople());
        this.mailbox = new Mailbox("room-" + id, MAILBOX_CAPACITY);
        this.frames = runtime.frames();
        this.writes = new RoomWrites(frames, lastEventSeq, runtime.notifications());
        this.listing = new AudienceListing(runtime.config().listedAudience());
    }

    public String id() {
        return id;
    }

    /** The room's fixed facts (id, kind, host) for checks made off its executor. */
    org.salotto.rooms.store.Room roomForFacts() {
        return opened;
    }

    /** The room as its last decision left it (title, lock, state...). */
    public org.salotto.rooms.store.Room current() {
        return current;
    }

    public int people() {
        return people;
    }

    /** Whether a resume of a participant this instance does not know is taken as their return now (see the field). */
    boolean takesBackAt(Instant now) {
        return takesBackUntil != null && now.isBefore(takesBackUntil);
    }

    public int onStage() {
        return onStage;
    }

    /**
     * Decides a command on this room's executor; {@code joining} is the client a Join, Resume or Knock comes from.
     * The future fails with {@link RoomRuntime#CLOSED} if this room closed before the command ran (the runtime then
     * opens the room again), with a {@link RoomException} if the command is refused.
     */
    CompletableFuture<List<RoomEvent>> submit(Command command, Client joining) {
        return submit(command, joining, true);
    }

    /**
     * As {@link #submit(Command, Client)}; {@code untilStored} false completes the future once the command is decided
     * and carried out, without waiting for its database writes (a socket's join: its {@code joined} frame is already
     * on its way, and the socket's next frames must not wait for the disk).
     */
    CompletableFuture<List<RoomEvent>> submit(Command command, Client joining, boolean untilStored) {
        CompletableFuture<List<RoomEvent>> result = new CompletableFuture<>();
        if (!mailbox.offer(() -> run(command, joining, result, untilStored))) {
            runtime.counters().busy();
            result.completeExceptionally(new RoomException(ErrorCode.BUSY, "this room is too busy right now: try again"));
        }
        return result;
    }

    /** Reads the room's state on its executor. */
    <T> CompletableFuture<T> read(Function<RoomModel, T> reader) {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queued = mailbox.offer(() -> {
            if (closed) result.completeExceptionally(RoomRuntime.CLOSED);
            else result.complete(reader.apply(model));
        });
        if (!queued) result.completeExceptionally(new RoomException(ErrorCode.BUSY, "this room is too busy right now: try again"));
        return result;
    }

    /** Sends a frame to everyone connected (the server's drain notice), written once. */
    void broadcast(FrameCodec.Encoded frame) {
        mailbox.offer(() -> {
            for (Client c : clients.values()) c.outbox().send(frame);
        });
    }

    private void run(Command command, Client joining, CompletableFuture<List<RoomEvent>> result, boolean untilStored) {
        if (closed) {
            result.completeExceptionally(RoomRuntime.CLOSED);
            return;
        }
        if (command instanceof Command.Resume r && joining != null && joining.mediaElsewhere()) {
            RoomException refused = edgeResumeRefusal(r);
            if (refused != null) {
                result.completeExceptionally(refused);
                return;
            }
        }
        if (joining != null) clients.put(joining.connection(), joining);
        Instant now = runtime.clock().instant();
        int before = model.people();
        List<RoomEvent> events;
        try {
            events = machine.handle(command, now);
        } catch (RoomException e) {
            if (joining != null && !memberConnections.containsValue(joining.connection())
                    && !lobbyConnections.containsValue(joining.connection())) {
                clients.remove(joining.connection());
            }
            result.completeExceptionally(e);
            closeIfEmpty();
            return;
        }
        // Counted before the effects: a client told of the decision (its joined frame) acts on what it was told, and
        // the rules that read the count (screen share in a call) must already see it.
        int peopleBefore = people;
        people = model.people();
        onStage = model.onStage();
        if (people != peopleBefore) runtime.peopleChanged(id);
        org.salotto.rooms.store.Room roomBefore = current;
        current = model.room();
        for (RoomEvent event : events) {
            try {
                carryOut(event);
            } catch (RuntimeException e) {
                // The decision stands; one effect failing (the media loop refusing work) must not undo the others.
                log.error("room {}: carrying out {} failed", id, event, e);
            }
        }
        UnitOfWork work = writes.of(roomBefore, model, command, events, before, now);
        CompletableFuture<Void> stored = runtime.write(work);
        if (!untilStored) {
            result.complete(events);
            closeIfEmpty();
            return;
        }
        stored.whenComplete((ok, failed) -> {
            if (failed != null) result.completeExceptionally(failed);
            else result.complete(events);
        });
        closeIfEmpty();
    }

    // ---- carrying out one event, on the executor ----

    private void carryOut(RoomEvent event) {
        switch (event) {
            case RoomEvent.MemberJoined e -> {
                Client c = clients.get(e.connection());
                if (e.admitted() && c != null) c.outbox().send(new ServerFrame.Admitted());
                enter(e.member().participantId(), e.connection(), e.returned());
                toEveryone(e);
            }
            case RoomEvent.MemberLeft e -> {
                MediaSession m = media.remove(e.participantId());
                if (m != null) m.leave(e.reason());
                Long connection = memberConnections.remove(e.participantId());
                Client c = connection == null ? null : clients.remove(connection);
                // Someone whose account was suspended is told so, and their socket closes.
                if (c != null && RoomRuntime.SUSPENDED.equals(e.reason())) {
                    sendAndClose(c, new ServerFrame.Removed("your account was suspended by the server's admins"), "suspended");
                } else if (c != null) {
                    c.gone();
                }
                toEveryone(e);
            }
            case RoomEvent.Replaced e -> {
                replace(e.oldConnection());
                MediaSession m = media.remove(e.participantId());
                if (m != null) m.leave("replaced by a new connection");
                enter(e.participantId(), e.connection(), false);
            }
            case RoomEvent.Disconnected e -> {
                clients.remove(e.connection());
                runtime.schedule(e.resumeBy(), id, new Command.ResumeExpired(e.participantId(), e.connection()));
            }
            case RoomEvent.Resumed e -> resumed(e);
            case RoomEvent.Knocked e -> {
                lobbyConnections.put(e.entry().lobbyId(), e.entry().connection());
                Client c = clients.get(e.entry().connection());
                if (c != null) {
                    c.waiting(this, e.entry().lobbyId());
                    c.outbox().send(frames.waiting(e.entry().lobbyId(), model.room().practice()));
                }
                lobbyChanged();
            }
            case RoomEvent.LobbyLeft e -> {
                Long connection = lobbyConnections.remove(e.lobbyId());
                if (connection != null && e.why() == RoomEvent.LobbyLeft.Why.REPLACED) replace(connection);
                else if (connection != null && e.why() == RoomEvent.LobbyLeft.Why.LEFT) clients.remove(connection);
                lobbyChanged();
            }
            case RoomEvent.Denied e -> {
                Long connection = lobbyConnections.remove(e.entry().lobbyId());
                Client c = connection == null ? null : clients.remove(connection);
                if (c != null) sendAndClose(c, new ServerFrame.Denied(e.message()), "denied");
                lobbyChanged();
            }
            case RoomEvent.Removed e -> {
                Long connection = memberConnections.get(e.participantId());
                Client c = connection == null ? null : clients.remove(connection);
                if (c != null) sendAndClose(c, new ServerFrame.Removed(e.message()), "removed");
            }
            case RoomEvent.RoleChanged e -> roleChanged(e);
            case RoomEvent.GrantsChanged e -> grantsChanged(e);
            case RoomEvent.Invited e -> memberClient(e.participantId())
                    .ifPresent(c -> c.outbox().send(frames.invited(e.byName(), model.room().kind())));
            case RoomEvent.HostGraceStarted e -> runtime.scheduleHostGrace(id, e.due());
            case RoomEvent.HostGraceCancelled e -> runtime.cancelHostGrace(id);
            case RoomEvent.RoomEnded e -> {
                FrameCodec.Encoded frame = FrameCodec.encode(new ServerFrame.RoomEnded(e.message()));
                for (Client c : List.copyOf(clients.values())) sendAndClose(c, frame, "room ended");
                clients.clear();
                lobbyConnections.clear();
                runtime.cancelHostGrace(id);
                log.info("room {} ended: {}", id, e.message());
            }
            default -> toEveryone(event);
        }
    }

    /**
     * Makes the client on {@code connection} a member: the snapshot first, then their media, which may send a
     * {@code subscribeOffer} at once and so must come after the snapshot. {@code returned}: a participant of the
     * room's previous instance, back with a resume: they get {@code resumed}, and media connections that are new to
     * them (their old ones were with the node that is gone): the subscriber offer is for a new connection, and their
     * publisher connection is closed ({@code transportClosed}), so that they publish again on a new one.
     */
    private void enter(String participantId, long connection, boolean returned) {
        MemberView m = model.member(participantId).orElseThrow();
        memberConnections.put(participantId, connection);
        Client c = clients.get(connection);
        if (c == null) return; // the connection dropped meanwhile: its Disconnect follows
        c.outbox().send(snapshot(returned ? ServerFrame.SnapshotType.RESUMED : ServerFrame.SnapshotType.JOINED, m, c, returned));
        if (c.mediaElsewhere()) {
            // An edge's listener: their media are on their node, fed by the relay.
            media.remove(participantId);
            c.entered(this, participantId, null);
            return;
        }
        MediaSession session = conference().join(participantId, m.displayName(), c.outbox(), policy(m.role(), m.grants()),
                c.receiving(), m.grants().subscribe(), returned);
        media.put(participantId, session);
        c.entered(this, participantId, session);
        if (returned) {
            c.outbox().send(new ServerFrame.TransportClosed(ServerFrame.Connection.PUBLISHER, RoomRuntime.MOVED));
        }
    }

    /**
     * Someone resuming through another node (an edge) is served there only as a listener: anyone else (on stage since,
     * or hidden) is sent here, where their media must be. Null when the resume may go on (or is the machine's to refuse).
     */
    private RoomException edgeResumeRefusal(Command.Resume r) {
        MemberView m = model.member(r.participantId()).orElse(null);
        if (m == null || !m.identity().equals(r.identity())) return null;
        if (m.role() == Role.AUDIENCE && !m.grants().hidden()) return null;
        String url = runtime.nodeUrl();
        return url == null ? new RoomException(ErrorCode.RESUME_FAILED, "you are no longer in this room: join again")
                : RoomException.wrongNode(url);
    }

    private void resumed(RoomEvent.Resumed e) {
        Long old = memberConnections.put(e.participantId(), e.connection());
        if (old != null && old != e.connection()) replace(old);
        Client c = clients.get(e.connection());
        if (c == null) return;
        MemberView m = model.member(e.participantId()).orElseThrow();
        MediaSession session = media.get(e.participantId());
        if (c.mediaElsewhere()) {
            // Resumed through an edge node (their old node was lost, or they came back through another): their media
            // are there now, fed by the relay; any they had here end.
            if (session != null) {
                media.remove(e.participantId());
                session.leave("resumed on another node");
            }
            c.outbox().send(snapshot(ServerFrame.SnapshotType.RESUMED, m, c, false));
            c.entered(this, e.participantId(), null);
            return;
        }
        c.outbox().send(snapshot(ServerFrame.SnapshotType.RESUMED, m, c, false));
        if (session == null) {
            // An edge's listener resuming here: their media were on their node; they get a session here, as a join.
            session = conference().join(e.participantId(), m.displayName(), c.outbox(), policy(m.role(), m.grants()),
                    c.receiving(), m.grants().subscribe(), true);
            media.put(e.participantId(), session);
            c.entered(this, e.participantId(), session);
            return;
        }
        session.rebind(c.outbox());
        c.entered(this, e.participantId(), session);
        // New ICE credentials on the subscriber connection and a fresh offer, whatever the network did meanwhile.
        session.restartSubscriberIce();
    }

    /** An older connection of someone who came again from a new one: told, and closed. */
    private void replace(long oldConnection) {
        Client old = clients.remove(oldConnection);
        if (old != null) {
            sendAndClose(old, new ServerFrame.Error(ErrorCode.REPLACED, "you joined this room from somewhere else", null), "replaced");
        }
    }

    private void roleChanged(RoomEvent.RoleChanged e) {
        toEveryone(e);
        // The person hears why before their tracks change.
        flush();
        Optional<Client> client = memberClient(e.participantId());
        if (client.isPresent() && client.get().mediaElsewhere() && e.to() != Role.AUDIENCE && e.to() != Role.MODERATOR) {
            // An edge's listener brought on stage publishes here: their client is sent to this node, where they join
            // again with the same token and go on as the same member (docs/protocol.md "Several nodes").
            client.get().outbox().send(new ServerFrame.Error(ErrorCode.WRONG_NODE,
                    "you are on the stage now: join again on the room's node", null, null, runtime.nodeUrl()));
            client.get().outbox().closeAfterFlush("on stage: moved to the room's node");
            return;
        }
        MediaSession m = media.get(e.participantId());
        boolean leavesStage = e.to() == Role.AUDIENCE || e.to() == Role.MODERATOR;
        Grants grants = model.member(e.participantId()).map(MemberView::grants).orElse(Grants.FULL);
        if (m != null) m.setPolicy(policy(e.to(), grants), leavesStage);
        if (e.to() == Role.HOST || e.to() == Role.CO_HOST) {
            memberClient(e.participantId()).ifPresent(c -> c.outbox().send(frames.lobby(model.lobby())));
        }
    }

    private ServerFrame.Snapshot snapshot(ServerFrame.SnapshotType type, MemberView m, Client c, boolean returned) {
        boolean hostLike = m.role() == Role.HOST || m.role() == Role.CO_HOST;
        // An edge's listener resumes too: through any node, which serves them as its own listener again (their old
        // node lost, or their socket dropped), or here.
        String resume = runtime.resumeToken(id, m.participantId(), m.identity(),
                Grants.FULL.equals(m.grants()) && m.metadata() == null);
        return frames.snapshot(type, m, model, conference().tracks(), hostLike ? model.lobby() : null,
                resume, runtime.config().resumeGrace().toMillis(), runtime.clusterNodes(),
                AudienceListing.manages(m.role()) ? java.util.Set.of() : listing.unlisted(), returned);
    }

    /** What a member may publish: what their join token grants, within what their role in this kind of room allows. */
    private PublishPolicy policy(Role role, Grants grants) {
        return source -> {
            String refusal = grants.publishRefusal(source);
            return refusal != null ? refusal : machine.rules().publishRefusal(role, source, people);
        };
    }

    /**
     * An application changed someone's grants: what they may publish now (tracks no longer granted end for everyone
     * at once, their RTP dropped from then on), whether they receive, whether the others see them.
     */
    private void grantsChanged(RoomEvent.GrantsChanged e) {
        MemberView member = model.member(e.participantId()).orElse(null);
        if (member == null) return;
        if (e.from().hidden() != e.grants().hidden()) {
            if (e.grants().hidden()) hiddenMembers.add(e.participantId());
            else hiddenMembers.remove(e.participantId());
            RoomEventFrame frame = e.grants().hidden() ? new RoomEventFrame.MemberLeft(e.participantId())
                    : new RoomEventFrame.MemberJoined(RoomFrames.member(member, model.room().kind()));
            flush();
            FrameCodec.Encoded encoded = FrameCodec.encode(new ServerFrame.RoomEvents(List.of(frame)));
            for (Map.Entry<String, Long> m : memberConnections.entrySet()) {
                Client c = m.getKey().equals(e.participantId()) ? null : clients.get(m.getValue());
                if (c != null) c.outbox().send(encoded);
            }
        }
        MediaSession m = media.get(e.participantId());
        if (m == null) return;
        m.setPolicy(policy(member.role(), e.grants()), true);
        if (e.from().subscribe() != e.grants().subscribe()) m.setSubscribe(e.grants().subscribe());
    }

    private Conference conference() {
        if (conference == null) {
            // A live's viewers watch its stage on fixed video slots, as many as the stage holds (at most the setting).
            conference = runtime.signaling().conference(id,
                    opened.kind() == org.salotto.rooms.RoomKind.LIVE ? runtime.config().liveStageMax() : 0);
            // Tracks come and go in the conference, off this executor; the room records them as its own decisions
            // (events clients do not see: they hear of tracks from the conference), in its outbox for webhooks.
            conference.setTrackListener(new Conference.TrackListener() {
                @Override
                public void published(org.salotto.signaling.protocol.ServerFrame.Track t) {
                    submit(new Command.RecordTrack(t.participantId(), t.trackId(), Wire.name(t.kind()), Wire.name(t.source()),
                            true), null, false);
                }

                @Override
                public void unpublished(String participantId, String trackId) {
                    submit(new Command.RecordTrack(participantId, trackId, null, null, false), null, false);
                }
            });
        }
        return conference;
    }

    // ---- clients ----

    private Optional<Client> memberClient(String participantId) {
        Long connection = memberConnections.get(participantId);
        return Optional.ofNullable(connection == null ? null : clients.get(connection));
    }

    private static void sendAndClose(Client c, ServerFrame frame, String reason) {
        sendAndClose(c, FrameCodec.encode(frame), reason);
    }

    private static void sendAndClose(Client c, FrameCodec.Encoded frame, String reason) {
        c.outbox().send(frame);
        c.outbox().closeAfterFlush(reason);
        c.gone();
    }

    /**
     * The lobby changed: hosts get it with the next batch, at most one {@code lobby} frame per batch interval, so a
     * thousand knocks cost a few frames of the whole lobby, not a thousand.
     */
    private void lobbyChanged() {
        lobbyChanged = true;
        scheduleFlush();
    }

    private void sendLobby() {
        lobbyChanged = false;
        FrameCodec.Encoded frame = FrameCodec.encode(frames.lobby(model.lobby()));
        for (MemberView m : model.members()) {
            if (m.role() == Role.HOST || m.role() == Role.CO_HOST) memberClient(m.participantId()).ifPresent(c -> c.outbox().send(frame));
        }
    }

    // ---- batched room events ----

    private void toEveryone(RoomEvent event) {
        RoomEventFrame e = frames.clientEvent(event, model.room().kind());
        if (e == null) return;
        String about = hiddenSubject(event);
        if (about != null) {
            // A hidden member is not shown to the others: what concerns them goes to them alone.
            memberClient(about).ifPresent(c -> c.outbox().send(new ServerFrame.RoomEvents(List.of(e))));
            return;
        }
        String unlisted = listing.unlistedSubject(event, model.room().kind() != RoomKind.CALL);
        if (unlisted != null) {
            // Counted, not listed: to them now, to the managers with the batch.
            memberClient(unlisted).ifPresent(c -> c.outbox().send(new ServerFrame.RoomEvents(List.of(e))));
            managersBatch.add(e);
            managersOnly = true;
        } else if (event instanceof RoomEvent.RoleChanged r && listing.listOnLeavingAudience(r)) {
            // An unlisted listener on stage: the managers see the role change, the others meet them, they are told.
            memberClient(r.participantId()).ifPresent(c -> c.outbox().send(new ServerFrame.RoomEvents(List.of(e))));
            managersBatch.add(e);
            managersOnly = true;
            model.member(r.participantId()).ifPresent(m ->
                    batch.add(new RoomEventFrame.MemberJoined(RoomFrames.member(m, model.room().kind()))));
        } else {
            batch.add(e);
            managersBatch.add(e);
        }
        scheduleFlush();
    }

    /** The hidden member an event is about (their coming, going, role, hand, reactions), or null. */
    private String hiddenSubject(RoomEvent event) {
        String pid = switch (event) {
            case RoomEvent.MemberJoined e -> e.member().hidden() && hiddenMembers.add(e.member().participantId())
                    ? e.member().participantId() : null;
            case RoomEvent.MemberLeft e -> hiddenMembers.remove(e.participantId()) ? e.participantId() : null;
            case RoomEvent.RoleChanged e -> e.participantId();
            case RoomEvent.HandRaised e -> e.participantId();
            case RoomEvent.HandLowered e -> e.participantId();
            case RoomEvent.InvitationDeclined e -> e.participantId();
            case RoomEvent.Reacted e -> e.participantId();
            default -> null;
        };
        if (pid == null || event instanceof RoomEvent.MemberJoined || event instanceof RoomEvent.MemberLeft) return pid;
        return hiddenMembers.contains(pid) ? pid : null;
    }

    /**
     * At most one batch per {@code rooms.event-batch-interval}: an event in a room that sent none for an interval goes
     * at once (after the decision that made it, with the rest of its events), later ones wait out the interval's rest,
     * gathered. A quiet room's comment is not held back; a thousand joins in a second still cost ten frames.
     */
    private void scheduleFlush() {
        if (flushScheduled) return;
        flushScheduled = true;
        long wait = lastBatchNanos == 0 ? 0 : lastBatchNanos + runtime.config().eventBatchInterval().toNanos() - System.nanoTime();
        if (wait <= 0) offerFlush();
        else runtime.afterNanos(wait, this::offerFlush);
    }

    private void offerFlush() {
        // A mailbox full of commands: the batch goes after them, one interval on.
        if (!mailbox.offer(this::flush)) runtime.afterNanos(runtime.config().eventBatchInterval().toNanos(), this::offerFlush);
    }

    private void flush() {
        flushScheduled = false;
        lastBatchNanos = Math.max(1, System.nanoTime());
        if (lobbyChanged) sendLobby();
        int audience = audience();
        if (model.room().kind() != RoomKind.CALL && audience != audienceSent) {
            audienceSent = audience;
            RoomEventFrame counted = new RoomEventFrame.AudienceChanged(audience);
            batch.add(counted);
            managersBatch.add(counted);
        }
        if (batch.isEmpty() && !managersOnly) return;
        // Written once for the whole room, however many members it goes to (and once more for its managers, when
        // they are told of the unlisted audience).
        FrameCodec.Encoded frame = batch.isEmpty() ? null : FrameCodec.encode(new ServerFrame.RoomEvents(List.copyOf(batch)));
        FrameCodec.Encoded managers = managersOnly
                ? FrameCodec.encode(new ServerFrame.RoomEvents(List.copyOf(managersBatch))) : frame;
        batch.clear();
        managersBatch.clear();
        managersOnly = false;
        boolean edges = false;
        for (Map.Entry<String, Long> m : memberConnections.entrySet()) {
            Client c = clients.get(m.getValue());
            if (c == null) continue;
            FrameCodec.Encoded theirs = frame;
            if (managers != frame) {
                Role role = model.member(m.getKey()).map(MemberView::role).orElse(Role.AUDIENCE);
                if (AudienceListing.manages(role)) theirs = managers;
            }
            if (theirs == null) continue;
            if (c.mediaElsewhere()) edges = true; // sent once to their node, below
            else c.outbox().send(theirs);
        }
        if (edges && frame != null) runtime.relayEvents(id, frame);
    }

    /** The audience's size as people are shown it: everyone off stage, but the hidden. */
    private int audience() {
        int hidden = 0;
        for (String pid : hiddenMembers) {
            Role role = model.member(pid).map(MemberView::role).orElse(Role.STAGE);
            if (role == Role.AUDIENCE || role == Role.MODERATOR) hidden++;
        }
        return people - onStage - hidden;
    }

    /** See {@link RoomRuntime#giveUp}: closed here without a decision, every client's socket closed. */
    void giveUp() {
        mailbox.offer(() -> {
            if (closed) return;
            closed = true;
            log.warn("room {}: another node owns it now; closing it here", id);
            for (Client c : clients.values()) c.outbox().closeAfterFlush(RoomRuntime.MOVED);
            clients.clear();
            runtime.forget(this);
            runtime.signaling().release(id);
        });
    }

    /**
     * Closes this room here without deciding anything, for another node to take it (this one drains): no command runs
     * here any more, nothing more is written, its media go. Its clients are handed back, still connected, for the
     * caller to send them to the new owner once it is known. The database still says people are in the room: that is
     * how its next instance knows it changed hands and takes its people back.
     */
    CompletableFuture<List<Client>> handOver() {
        CompletableFuture<List<Client>> result = new CompletableFuture<>();
        boolean queued = mailbox.offer(() -> {
            if (closed) {
                result.complete(List.of());
                return;
            }
            closed = true;
            flush();
            List<Client> moving = List.copyOf(clients.values());
            clients.clear();
            runtime.forgetHandedOver(this);
            runtime.signaling().release(id);
            log.info("room {}: handed over to another node with {} people", id, model.people());
            result.complete(moving);
        });
        if (!queued) result.completeExceptionally(new RoomException(ErrorCode.BUSY, "this room is too busy right now"));
        return result;
    }

    private void closeIfEmpty() {
        if (closed || !model.isEmpty()) return;
        if (takesBackUntil != null && !model.ended()) {
            // A room that changed hands waits for its people through its window, even with nobody in it yet (a
            // refused resume must not close it on the others)...
            Instant now = runtime.clock().instant();
            if (now.isBefore(takesBackUntil)) {
                if (!windowEndScheduled) {
                    windowEndScheduled = true;
                    runtime.at(takesBackUntil, () -> mailbox.offer(() -> {
                        windowEndScheduled = false;
                        closeIfEmpty();
                    }));
                }
                return;
            }
        }
        closed = true;
        flush();
        if (takesBackUntil != null) {
            // ...and then no longer counts anyone of its former instance in it: its next instance takes nobody back
            // (a window per change of hands, not per opening).
            runtime.write(new UnitOfWork(id, null, false, List.of(), List.of(), List.of(), List.of(), List.of(), List.of()));
        }
        runtime.forget(this);
        runtime.signaling().release(id);
    }
}
