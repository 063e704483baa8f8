package org.salotto.rooms.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.auth.Tokens.JoinGrant;
import org.salotto.rooms.auth.Tokens;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.domain.CommentsState;
import org.salotto.rooms.money.Purchase;
import org.salotto.rooms.domain.LiveComment;
import org.salotto.rooms.domain.Entrant;
import org.salotto.rooms.domain.IdSource;
import org.salotto.rooms.domain.KindRules;
import org.salotto.rooms.domain.RoomEvent;
import org.salotto.rooms.domain.RoomMachine;
import org.salotto.rooms.domain.RoomModel;
import org.salotto.rooms.store.Identities;
import org.salotto.rooms.store.Membership;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.RoomTimer;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.StoredComment;
import org.salotto.rooms.store.StoredCommentState;
import org.salotto.rooms.store.StoreException;
import org.salotto.rooms.store.UnitOfWork;
import org.salotto.signaling.SignalingService;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.FrameCodec;
import org.salotto.signaling.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms open now, each an {@link OpenRoom} with its own executor, and what they share: the store and its
 * writers, timers, the signaling service. A command for a room that is not open opens it (loading it from the
 * database on the caller's thread, never on a room's executor); a room with nobody left closes itself.
 *
 * <p>Database writes run on {@link DecisionWriters}, a room always on the same writer, so that a room's decisions are
 * written in the order they were made while rooms write in parallel, and kept through a database outage.
 */
public final class RoomRuntime {
    /** The answer of a room that closed before a command reached it: the runtime opens it again and retries. */
    static final RuntimeException CLOSED = new IllegalStateException("the room closed") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };
    /** The reason of a {@code Leave} for someone whose account was suspended: they get {@code removed} and their socket closes. */
    public static final String SUSPENDED = "suspended";
    /**
     * Why a room's sockets close when it moves to another node (given up, handed over by a draining node): a normal
     * close (1000), not the "server restarted" of a drain, since the room goes on elsewhere.
     */
    public static final String MOVED = "the room moved to another node";
    private static final Logger log = LoggerFactory.getLogger(RoomRuntime.class);
    private static final AtomicLong CONNECTIONS = new AtomicLong();

    /** What the runtime counts, for /metrics. */
    public final class Counters {
        private final AtomicLong busy = new AtomicLong();

        void busy() {
            busy.incrementAndGet();
        }

        /** Commands refused because a room's executor had too much queued. */
        public long busyRefusals() {
            return busy.get();
        }

        /** Decisions whose database writes failed for another reason than an outage (logged with the room). */
        public long writeFailures() {
            return writers.failures();
        }

        /** Attempts to store a decision that found the database unreachable (each retried until it is back). */
        public long writeRetries() {
            return writers.retries();
        }

        /** Writers holding a decision until the database is back (0 when all is well). */
        public int writersWaitingForDatabase() {
            return writers.stalledWriters();
        }
    }

    private final ConcurrentHashMap<String, OpenRoom> open = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<String>> eventsListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, ScheduledFuture<?>> hostGraceTimers = new ConcurrentHashMap<>();
    /** Rooms {@link #recover} found with people from the run before (a crash), and when: they take them back. */
    private final Map<String, Instant> recovered = new ConcurrentHashMap<>();
    private final Store store;
    private final SignalingService signaling;
    private final RoomsConfig config;
    private final Clock clock;
    private final IdSource ids;
    private final Tokens tokens;
    private final RoomFrames frames;
    private final ScheduledExecutorService timers;
    private final DecisionWriters writers;
    private final Counters counters = new Counters();
    private volatile String drainMessage;
    /** Which node runs which room, with a cluster; null for one process, which takes none of its paths. */
    private volatile RoomOwnership ownership;
    /** The audience of rooms other nodes own, served here; null without a cluster. */
    private volatile EdgeAudience edge;
    private final int lobbyMaxPeople;
    private volatile org.salotto.rooms.notify.RoomNotifications notifications =
            new org.salotto.rooms.notify.RoomNotifications(org.salotto.rooms.notify.NotificationsConfig.defaults().reminderLead());

    public RoomRuntime(Store store, SignalingService signaling, RoomsConfig config, Clock clock, IdSource ids,
                       Tokens tokens, String linkPath) {
        this(store, signaling, config, clock, ids, tokens, linkPath, RoomMachine.NO_LOBBY_LIMIT);
    }

    /** @param lobbyMaxPeople people waiting in one room's lobby at most (limits.lobby-max-people) */
    public RoomRuntime(Store store, SignalingService signaling, RoomsConfig config, Clock clock, IdSource ids,
                       Tokens tokens, String linkPath, int lobbyMaxPeople) {
        this.lobbyMaxPeople = lobbyMaxPeople;
        this.store = store;
        this.signaling = signaling;
        this.config = config;
        this.clock = clock;
        this.ids = ids;
        this.tokens = tokens;
        this.frames = new RoomFrames(linkPath);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "room-timers");
            t.setDaemon(true);
            return t;
        });
        this.writers = new DecisionWriters(store);
    }

    /**
     * Makes this runtime one node of a cluster (set before any room opens): a room opens here only if this node owns
     * it, a command for a room another node owns is refused with {@code wrong_node} and the owner's URL, and joins
     * that count toward a room-wide limit are counted across the nodes.
     */
    public void ownedThrough(RoomOwnership ownership) {
        this.ownership = java.util.Objects.requireNonNull(ownership);
    }

    /**
     * With a cluster: refuses with {@code wrong_node} (the owner's URL) a join or resume of a room that another node
     * owns, placing the room if it has no live owner. Called before a join token is spent, so that the client can
     * present it to the owner. Nothing without a cluster, or when the room is open here.
     */
    public void route(String roomId) throws RoomException {
        RoomOwnership o = ownership;
        if (o == null || open.containsKey(roomId)) return;
        Optional<String> owner = ask(() -> o.claim(roomId));
        if (owner.isPresent()) throw RoomException.wrongNode(owner.get());
    }

    /**
     * With a cluster and an edge audience: whether the person of {@code grant}, refused here with {@code wrongNode}
     * because another node owns the room, is served on this node instead, as a listener of the edge's audience (a
     * space's listener or a live's viewer, the live not in practice mode: not its host, no role to come back to, the
     * room open, not locked and not in knock mode, the person not removed from it). If so their {@code join} frame goes to the owner, which decides it as for anyone
     * (its {@code joined} carries the room's state) and knows them as a member without media, and they are put in the
     * edge's audience; otherwise null and the caller sends them to the owner. On the caller's thread (the store is
     * read here, never on an executor).
     */
    public EdgeAudience.Listener joinAtEdge(Client client, Tokens.JoinGrant grant, String joinFrame, RoomException wrongNode)
            throws RoomException {
        EdgeAudience e = edge;
        if (e == null || wrongNode.nodeUrl() == null) return null;
        Room room;
        try {
            room = store.room(grant.roomId()).orElse(null);
            boolean audienceRoom = room != null && (room.kind() == RoomKind.SPACE
                    || room.kind() == RoomKind.LIVE && !room.practice()); // a practice live's viewers wait in its lobby
            if (!audienceRoom || room.state() != RoomState.OPEN || room.locked() || room.knock() || grant.grants().hidden()) {
                return null;
            }
            long account = Identities.accountId(grant.identity());
            if (account == room.hostAccountId()) return null;
            Optional<Membership> before = store.membership(room.id(), grant.identity());
            // A co-host or moderator comes back as one (a former speaker joins as a listener, as anyone).
            if (before.isPresent() && (before.get().role() == Role.CO_HOST || before.get().role() == Role.MODERATOR)) return null;
            if (store.isBanned(room.id(), grant.identity())) {
                throw new RoomException(ErrorCode.BANNED, "you were removed from this room and cannot come back");
            }
            if (store.isBlocked(room.hostAccountId(), grant.identity())) {
                throw new RoomException(ErrorCode.BLOCKED, "the host has blocked you from their rooms");
            }
        } catch (StoreException.Unavailable x) {
            return null; // the owner answers, with its own view of the database
        }
        int stageVideo = room.kind() == RoomKind.LIVE ? config.liveStageMax() : 0; // as OpenRoom's conference
        return ask(() -> e.listen(room.id(), stageVideo, joinFrame, client.outbox()));
    }

    /**
     * With a cluster and an edge audience: whether the person of {@code grant} (a resume token read here), refused
     * here with {@code wrongNode} because another node owns the room, is served on this node as a listener of the
     * edge's audience again (a space's listener or an open live's viewer: not its host, no role on stage as far as the
     * database knows, not removed; the owner checks their role in the room itself). If so their {@code resume} frame goes to the owner,
     * which resumes them with this node as their connection; otherwise null and the caller sends them to the owner.
     */
    public EdgeAudience.Listener resumeAtEdge(Client client, Tokens.ResumeGrant grant, String resumeFrame,
                                              RoomException wrongNode) throws RoomException {
        EdgeAudience e = edge;
        if (e == null || wrongNode.nodeUrl() == null) return null;
        Room room;
        try {
            room = store.room(grant.roomId()).orElse(null);
            boolean audienceRoom = room != null && (room.kind() == RoomKind.SPACE
                    || room.kind() == RoomKind.LIVE && !room.practice());
            if (!audienceRoom || room.state() != RoomState.OPEN) return null;
            long account = Identities.accountId(grant.identity());
            if (account == room.hostAccountId()) return null;
            Optional<Membership> before = store.membership(room.id(), grant.identity());
            if (before.isPresent() && before.get().role() != Role.AUDIENCE) return null;
            if (store.isBanned(room.id(), grant.identity())) {
                throw new RoomException(ErrorCode.RESUME_FAILED, "you were removed from this room and cannot come back");
            }
        } catch (StoreException.Unavailable x) {
            return null; // the owner answers, with its own view of the database
        }
        int stageVideo = room.kind() == RoomKind.LIVE ? config.liveStageMax() : 0; // as OpenRoom's conference
        return ask(() -> e.resume(room.id(), stageVideo, resumeFrame, client.outbox()));
    }

    /** An open room's batch of events, for the edges that have listeners in it (with a cluster; on its executor). */
    void relayEvents(String roomId, FrameCodec.Encoded batch) {
        EdgeAudience e = edge;
        if (e != null) e.roomEvents(roomId, batch);
    }

    /** The cluster's nodes for a snapshot's {@code nodes} (this one first); null without a cluster. */
    List<String> clusterNodes() {
        RoomOwnership o = ownership;
        return o == null ? null : o.nodes();
    }

    /** This node's URL, where a listener of an edge brought on stage goes; null without a cluster. */
    String nodeUrl() {
        EdgeAudience e = edge;
        return e == null ? null : e.nodeUrl();
    }

    /** Whether the room has ended for good, as the database says (a closed room that did not end may open again). */
    public boolean roomEnded(String roomId) {
        return store.room(roomId).map(r -> r.state() == RoomState.ENDED).orElse(true);
    }

    /** Whether this node serves listeners of rooms other nodes own. */
    public boolean servesEdgeAudience() {
        return edge != null;
    }

    /** The edge audience of this node (set with a cluster, before any join). */
    public void servesAudienceThrough(EdgeAudience edge) {
        this.edge = java.util.Objects.requireNonNull(edge);
    }

    /** A question to the cluster; its failure (Redis unreachable) is {@code unavailable}, as a database outage is. */
    private static <T> T ask(java.util.function.Supplier<T> question) throws RoomException {
        try {
            return question.get();
        } catch (RuntimeException e) {
            log.warn("the cluster could not be asked: {}", e.getMessage());
            throw new RoomException(ErrorCode.UNAVAILABLE, "the service cannot reach its other nodes: try again in a moment");
        }
    }

    /** The time on the rooms' clock. */
    public Instant now() {
        return clock.instant();
    }

    /** A new connection id, unique in this process. */
    public static long newConnection() {
        return CONNECTIONS.incrementAndGet();
    }

    // ---- commands ----

    /** Decides a command in its room (opening it if nobody is in it), waiting for the decision to be stored. */
    public List<RoomEvent> decide(String roomId, Command command) throws RoomException {
        return call(roomId, room -> room.submit(command, null));
    }

    /**
     * Decides a command for a socket: returns once it is decided and carried out (its frames are on their way), not
     * waiting for the database, so that the socket's next frames do not queue behind the disk.
     */
    public List<RoomEvent> act(String roomId, Command command) throws RoomException {
        return call(roomId, room -> room.submit(command, null, false));
    }

    /**
     * Hands a command to the room if it is open now, without waiting: a connection that went, a timer of a room
     * that closed meanwhile, have nothing to do in a room nobody is in.
     */
    public void tell(String roomId, Command command) {
        OpenRoom room = open.get(roomId);
        if (room == null) return;
        room.submit(command, null).exceptionally(e -> null);
    }

    /** Reads an open room's state on its executor; empty if nobody is in the room. */
    public <T> java.util.Optional<T> read(String roomId, Function<RoomModel, T> reader) throws RoomException {
        OpenRoom room = open.get(roomId);
        if (room == null) {
            // Not open here: with a cluster it may be open on its owner, which alone knows its state.
            RoomOwnership o = ownership;
            if (o != null) {
                Optional<String> owner = ask(() -> o.owner(roomId));
                if (owner.isPresent()) throw RoomException.wrongNode(owner.get());
            }
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(await(room.read(reader)));
        } catch (IllegalStateException closed) {
            return java.util.Optional.empty();
        }
    }

    /** Brings a client with a valid join grant into its room (or the room's lobby). */
    public void join(Client client, JoinGrant grant) throws RoomException {
        refuseWhileDraining();
        String identity = grant.identity();
        long accountId = Identities.accountId(identity);
        // A join token made before its account was suspended opens nothing.
        if (accountId >= 0 && store.people().suspended(accountId)) {
            throw new RoomException(ErrorCode.SUSPENDED, "this account is suspended by the server's admins");
        }
        RoomOwnership o = ownership;
        boolean[] counted = {false};
        try {
            call(grant.roomId(), room -> {
                // What the database knows of the person, read here on the caller's thread.
                Room r = room.roomForFacts();
                if (grant.issuerAccountId() >= 0 && grant.issuerAccountId() != r.hostAccountId()) {
                    return CompletableFuture.failedFuture(new RoomException(ErrorCode.WRONG_ROOM,
                            "this join token's key belongs to an account that does not host this room"));
                }
                if (o != null && !counted[0]) {
                    try {
                        admitAcrossNodes(o, r, counted);
                    } catch (RoomException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                }
                boolean banned = store.isBanned(r.id(), identity);
                boolean blocked = accountId != r.hostAccountId() && store.isBlocked(r.hostAccountId(), identity);
                Role stored = store.membership(r.id(), identity).map(Membership::role).orElse(null);
                Entrant entrant = new Entrant(identity, accountId, grant.displayName(), banned, blocked, stored,
                        client.connection(), grant.grants(), grant.metadata());
                return room.submit(new Command.Join(entrant), client, false);
            });
        } finally {
            if (counted[0]) o.settled(grant.roomId());
        }
    }

    /**
     * Brings a member whose connection dropped back on a new one, as the same participant.
     *
     * <p>A room that changed hands (its node was lost or drained, or the server crashed: see {@link #takesBack}) knows
     * none of its people when it opens again. For the resume grace from then, it takes back a participant it does not
     * know on their resume token, as the same participant id, as if they joined: the role their membership gives
     * (host, co-host, speaker...), every check of a join (a suspended account, a ban, a block, the lock, a call's limit
     * across the nodes, the stage's size), and they get {@code resumed}. Why a window: a resume token does not expire
     * (it is worth nothing once its participant has left a room that stays open); a room that changed hands cannot
     * tell who had left, so a token is taken only in the moments after the change, when the people coming back are
     * the ones who were in it, and only from someone the database has as a member (their membership) with the
     * server's own grants (an application's grants and metadata are not in the database: those join again).
     */
    public void resume(Client client, Tokens.ResumeGrant grant) throws RoomException {
        String roomId = grant.roomId();
        boolean here = open.containsKey(roomId);
        // With a cluster the room may be open on another node, which resumes it (asked first: a draining node sends
        // its moved rooms' people on).
        if (!here) route(roomId);
        refuseWhileDraining();
        if (!here && !takesBack(roomId)) {
            throw new RoomException(ErrorCode.RESUME_FAILED, "you are no longer in this room: join again");
        }
        try {
            call(roomId, room -> room.submit(new Command.Resume(grant.participantId(), grant.identity(),
                    client.connection()), client, false));
            return;
        } catch (RoomException e) {
            // The room does not know them: if it changed hands a moment ago, they may be coming back (below).
            OpenRoom room = open.get(roomId);
            if (e.errorCode() != ErrorCode.RESUME_FAILED || !grant.plain() || room == null
                    || !room.takesBackAt(clock.instant())) {
                throw e;
            }
        }
        RoomOwnership o = ownership;
        boolean[] counted = {false};
        try {
            call(roomId, room -> {
                Entrant returning = null;
                if (room.takesBackAt(clock.instant())) {
                    try {
                        returning = returning(room.roomForFacts(), grant, client, o, counted);
                    } catch (RoomException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                }
                return room.submit(new Command.Resume(grant.participantId(), grant.identity(), client.connection(),
                        returning), client, false);
            });
        } finally {
            if (counted[0]) o.settled(roomId);
        }
    }

    /**
     * Whether a room not open here changed hands (opening it would take back its people): the database still has
     * people in it (its last instance went without closing: its node lost, or handed over), or this server found it
     * so when it started (a crash) a moment ago.
     */
    private boolean takesBack(String roomId) {
        Instant at = recovered.get(roomId);
        if (at != null) {
            if (clock.instant().isBefore(at.plus(config.resumeGrace()))) return true;
            recovered.remove(roomId, at);
        }
        return store.occupied(roomId);
    }

    /**
     * Who the resume token's person is, for the room to take them back as a join: what the database says of them
     * (their membership's name and role, a ban, a block), on the caller's thread; counted against a call's limit
     * across the nodes. Refused as a join would be for a suspended account; {@code resume_failed} for someone who was
     * never a member here.
     */
    private Entrant returning(Room r, Tokens.ResumeGrant grant, Client client, RoomOwnership o, boolean[] counted)
            throws RoomException {
        String identity = grant.identity();
        long accountId = Identities.accountId(identity);
        if (accountId >= 0 && store.people().suspended(accountId)) {
            throw new RoomException(ErrorCode.SUSPENDED, "this account is suspended by the server's admins");
        }
        Membership member = store.membership(r.id(), identity).orElse(null);
        if (member == null) throw new RoomException(ErrorCode.RESUME_FAILED, "you are no longer in this room: join again");
        if (o != null && !counted[0]) admitAcrossNodes(o, r, counted);
        boolean banned = store.isBanned(r.id(), identity);
        boolean blocked = accountId != r.hostAccountId() && store.isBlocked(r.hostAccountId(), identity);
        return new Entrant(identity, accountId, member.displayName(), banned, blocked, member.role(), client.connection());
    }

    /** A room-wide limit holds across the nodes (an owner changing has people on two for a moment). */
    private void admitAcrossNodes(RoomOwnership o, Room r, boolean[] counted) throws RoomException {
        int limit = KindRules.of(r.kind(), config).maxPeople();
        if (limit == Integer.MAX_VALUE) return;
        if (!ask(() -> o.admit(r.id(), limit))) {
            throw new RoomException(ErrorCode.ROOM_FULL, "this call is full: it has " + limit + " people");
        }
        counted[0] = true;
    }

    /**
     * Waits until every decision made so far in this room is in the database: what a client was told (the room
     * ended, the title changed) is then what the API reads.
     */
    public void settled(String roomId) throws RoomException {
        await(writers.settled(roomId));
    }

    /** Runs an action on a room, opening it if needed, again on a fresh one if it closed meanwhile. */
    private <T> T call(String roomId, Function<OpenRoom, CompletableFuture<T>> action) throws RoomException {
        for (int attempt = 0; ; attempt++) {
            OpenRoom room = openRoom(roomId);
            try {
                return await(action.apply(room));
            } catch (IllegalStateException closed) {
                if (closed != CLOSED || attempt > 100) throw closed;
            }
        }
    }

    private OpenRoom openRoom(String roomId) throws RoomException {
        OpenRoom room = open.get(roomId);
        if (room != null) return room;
        // With a cluster, a room opens only on its owner: placed now if it has none (on this thread, like the load).
        route(roomId);
        // Writes of the room's last instance land before it is read again.
        await(writers.settled(roomId));
        Room r = store.room(roomId).orElseThrow(RoomException::notFound);
        Instant grace = store.roomTimer(roomId, RoomTimer.Kind.HOST_GRACE).map(RoomTimer::due).orElse(null);
        long lastSeq = store.lastEventSeq(roomId);
        CommentsState comments = r.kind() == RoomKind.LIVE
                ? comments(store.commentState(roomId, RoomModel.SNAPSHOT_COMMENTS), store.ledger().purchases(roomId))
                : CommentsState.NONE;
        // A room that changed hands takes its people back for the resume grace from now (or from the crash found at start).
        Instant recoveredAt = recovered.get(roomId);
        Instant takesBackUntil = recoveredAt != null ? recoveredAt.plus(config.resumeGrace())
                : store.occupied(roomId) ? clock.instant().plus(config.resumeGrace()) : null;
        return open.computeIfAbsent(roomId, id -> new OpenRoom(this, new RoomModel(r, grace, comments), lastSeq, takesBackUntil));
    }

    /**
     * A live's comments as the database kept them, for its room opening again, and each buyer's best badge of the
     * live (its purchases not refunded), which their comments go on showing.
     */
    private static CommentsState comments(StoredCommentState s, List<Purchase> purchases) {
        List<LiveComment> recent = new java.util.ArrayList<>(s.recent().size());
        for (StoredComment c : s.recent()) recent.add(comment(c));
        java.util.Map<String, Integer> badges = new java.util.HashMap<>();
        for (Purchase p : purchases) {
            if (p.state() == Purchase.State.COMPLETED) badges.merge(p.buyerIdentity(), p.hearts(), Math::max);
        }
        return new CommentsState(recent, s.pinned() == null ? null : comment(s.pinned()), s.commentsOff(),
                java.util.Set.copyOf(s.offFor()), badges);
    }

    private static LiveComment comment(StoredComment c) {
        return new LiveComment(c.id(), c.participantId(), c.identity(), c.name(), c.text(), c.at(), c.badge());
    }

    private static <T> T await(CompletableFuture<T> future) throws RoomException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoomException(ErrorCode.BUSY, "interrupted while waiting for the room");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RoomException r) throw r;
            if (cause instanceof RuntimeException r) throw r;
            throw new IllegalStateException(cause);
        }
    }

    // ---- what open rooms use ----

    /**
     * Writes one decision off the room's executor, in order with the room's other decisions; through a database
     * outage it is kept and retried (see {@link DecisionWriters}), and the future fails with the first attempt.
     */
    CompletableFuture<Void> write(UnitOfWork work) {
        CompletableFuture<Void> stored = writers.write(work);
        if (!work.events().isEmpty()) stored.thenRun(() -> eventsStored(work.roomId()));
        return stored;
    }

    /**
     * Adds a listener told that a room's outbox has new events, once they are committed (the webhook dispatcher's
     * wake-up; it also looks at every stream now and then, so a listener missing one changes only how soon it is
     * delivered; a test waits on it for what a room decided). Must return at once. Closing the answer removes it.
     */
    public AutoCloseable onEventsStored(java.util.function.Consumer<String> listener) {
        eventsListeners.add(listener);
        return () -> eventsListeners.remove(listener);
    }

    /** Tells the listeners that {@code roomId}'s outbox has new events. */
    public void eventsStored(String roomId) {
        for (java.util.function.Consumer<String> listener : eventsListeners) {
            try {
                listener.accept(roomId);
            } catch (RuntimeException e) {
                log.warn("the outbox listener failed for room {}", roomId, e);
            }
        }
    }

    /** Runs {@code command} in a room at {@code at}, if the room is still open then. */
    void schedule(Instant at, String roomId, Command command) {
        timers.schedule(() -> tell(roomId, command), delayMillis(at), TimeUnit.MILLISECONDS);
    }

    /** The durable host-grace timer's in-memory half: at {@code due}, the room (opened if needed) decides. */
    void scheduleHostGrace(String roomId, Instant due) {
        ScheduledFuture<?> f = timers.schedule(() -> Thread.ofVirtual().start(() -> {
            hostGraceTimers.remove(roomId);
            try {
                decide(roomId, new Command.HostGraceOver());
            } catch (StoreException.Unavailable outage) {
                // The room could not be read or its writes are held: the grace is over all the same, try again soon.
                log.warn("room {}: the host's grace is over but the database cannot be reached; trying again", roomId);
                scheduleHostGrace(roomId, clock.instant().plus(DecisionWriters.MAX_RETRY));
            } catch (RoomException | RuntimeException e) {
                log.warn("room {}: the host's grace ended with an error", roomId, e);
            }
        }), delayMillis(due), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> old = hostGraceTimers.put(roomId, f);
        if (old != null) old.cancel(false);
    }

    void cancelHostGrace(String roomId) {
        ScheduledFuture<?> f = hostGraceTimers.remove(roomId);
        if (f != null) f.cancel(false);
    }

    /** Runs {@code task} (which must not block) at {@code at} on the rooms' clock. */
    void at(Instant at, Runnable task) {
        timers.schedule(task, delayMillis(at), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} (which must not block) after {@code nanos}. */
    void afterNanos(long nanos, Runnable task) {
        timers.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    private long delayMillis(Instant at) {
        // Rounded up: a timer that fires a fraction of a millisecond early would find its moment not yet come.
        long nanos = Duration.between(clock.instant(), at).toNanos();
        return Math.max(0, (nanos + 999_999) / 1_000_000);
    }

    void forget(OpenRoom room) {
        if (open.remove(room.id(), room)) {
            RoomOwnership o = ownership;
            if (o != null) o.closed(room.id());
        }
    }

    /** A room handed over to another node (see {@link OpenRoom#handOver}): gone from here, its placement kept. */
    void forgetHandedOver(OpenRoom room) {
        open.remove(room.id(), room);
    }

    /** An open room's number of people changed (on its executor): the cluster's counts follow. */
    void peopleChanged(String roomId) {
        RoomOwnership o = ownership;
        if (o != null) o.peopleChanged(roomId);
    }

    /**
     * This node no longer owns the room (the cluster gave it to another node while this one was cut off): it stops
     * writing for it at once. The room closes here without deciding anything (its state is the new owner's), and its
     * clients' sockets close: they come back, are sent to the new owner ({@code wrong_node}) and join there.
     */
    public void giveUp(String roomId) {
        OpenRoom room = open.get(roomId);
        if (room != null) room.giveUp();
    }

    String resumeToken(String roomId, String participantId, String identity, boolean plain) {
        return tokens.resumeToken(roomId, participantId, identity, plain);
    }

    RoomsConfig config() {
        return config;
    }

    /** Which decisions notify whom (set before any room opens; the default lead otherwise). */
    public void notifyWith(org.salotto.rooms.notify.RoomNotifications rules) {
        this.notifications = rules;
    }

    org.salotto.rooms.notify.RoomNotifications notifications() {
        return notifications;
    }

    int lobbyMaxPeople() {
        return lobbyMaxPeople;
    }

    Clock clock() {
        return clock;
    }

    IdSource ids() {
        return ids;
    }

    RoomFrames frames() {
        return frames;
    }

    SignalingService signaling() {
        return signaling;
    }

    Store store() {
        return store;
    }

    public Counters counters() {
        return counters;
    }

    // ---- start, drain and the numbers ----

    /**
     * Resumes what a previous run of the server left: its durable timers, and rooms that still had people when it
     * stopped without ending them (a crash). Nobody is in them now: a live or a space gets its host's grace (it ends
     * unless the host is back in time), a call simply has nobody in it; for the resume grace from now, each takes its
     * people back on their resume tokens (see {@link #resume}).
     *
     * <p>With a cluster (call it once {@link #ownedThrough} is set), a room another live node owns is that node's: it
     * is open there with its people, and nothing of it is touched here. Only rooms with no live owner are recovered.
     */
    public void recover() {
        RoomOwnership o = ownership;
        for (RoomTimer t : store.roomTimers()) {
            if (!ownedElsewhere(o, t.roomId())) scheduleHostGrace(t.roomId(), t.due());
        }
        Instant now = clock.instant();
        for (Room r : store.occupiedRooms()) {
            if (ownedElsewhere(o, r.id())) {
                log.info("room {} has people on another node: left to it", r.id());
                continue;
            }
            boolean graced = r.kind() != RoomKind.CALL && r.state() == RoomState.OPEN && !hostGraceTimers.containsKey(r.id());
            Instant due = now.plus(config.liveHostGrace());
            store.commit(new UnitOfWork(r.id(), null, false, List.of(), List.of(), List.of(),
                    graced ? List.of(new RoomTimer(r.id(), RoomTimer.Kind.HOST_GRACE, due)) : List.of(), List.of(), List.of()));
            if (graced) scheduleHostGrace(r.id(), due);
            if (r.state() == RoomState.OPEN) recovered.put(r.id(), now);
            log.info("room {} still had people when the server stopped{}", r.id(), graced ? ": it ends unless its host is back" : "");
        }
    }

    /** Whether another live node owns the room (with a cluster; false without, or when the cluster cannot be asked). */
    private static boolean ownedElsewhere(RoomOwnership o, String roomId) {
        if (o == null) return false;
        try {
            return o.owner(roomId).isPresent();
        } catch (RuntimeException e) {
            log.warn("room {}: the cluster could not be asked who owns it ({}); recovered here", roomId, e.getMessage());
            return false;
        }
    }

    /** From now on joins are refused ({@code server_draining}) and every connected client is told why. */
    public void beginDrain(String message) {
        beginDrain(message, true);
    }

    /**
     * From now on joins are refused ({@code server_draining}); {@code tell}: every connected client is told why (not
     * when their rooms move to other nodes and go on: see {@link #moveAll}).
     */
    public void beginDrain(String message, boolean tell) {
        drainMessage = message;
        if (!tell) return;
        FrameCodec.Encoded frame = FrameCodec.encode(new ServerFrame.ServerDraining(message));
        for (OpenRoom room : open.values()) room.broadcast(frame);
    }

    public boolean draining() {
        return drainMessage != null;
    }

    /**
     * Ends every room this server holds with {@code message}: the open ones, and the ones nobody is in whose host's
     * grace still runs (a live its host left). Waits until each decision is stored.
     */
    public void endAll(String message) {
        java.util.Set<String> held = new java.util.LinkedHashSet<>(open.keySet());
        held.addAll(hostGraceTimers.keySet());
        for (String roomId : held) {
            try {
                decide(roomId, new Command.Shutdown(message));
            } catch (RoomException | RuntimeException e) {
                log.warn("room {} could not be ended on shutdown", roomId, e);
            }
        }
    }

    /**
     * With a cluster, while draining: every room open here moves to another node instead of ending. For each, in turn:
     * it closes here without deciding anything ({@link OpenRoom#handOver}: no command, no change of its state or of
     * the people the database has in it), its writes so far are stored, its placement goes to another node
     * ({@link RoomOwnership#handOver}), and each of its clients is sent there: an {@code error} {@code wrong_node}
     * with the new owner's URL, and the socket closes normally ({@link #MOVED}). They resume there, as the same
     * participants (see {@link #resume}). When no other node takes rooms, the room's sockets close with
     * {@code message} (the server restarts) and the room waits, with its people in the database, for the next node
     * that opens it. Returns the rooms moved.
     */
    public int moveAll(String message) {
        RoomOwnership o = ownership;
        if (o == null) return 0;
        int moved = 0;
        for (OpenRoom room : List.copyOf(open.values())) {
            String roomId = room.id();
            try {
                List<Client> clients = await(room.handOver());
                await(writers.settled(roomId));
                Optional<String> to = o.handOver(roomId);
                if (to.isEmpty()) {
                    // Its clients are told the server restarts (1012) and come back; the database still has people
                    // in the room, so whichever node opens it next takes them back.
                    log.warn("room {}: no other node takes rooms now; its people are told to come back later", roomId);
                    for (Client c : clients) c.outbox().closeAfterFlush(message);
                    continue;
                }
                FrameCodec.Encoded moving = FrameCodec.encode(new ServerFrame.Error(ErrorCode.WRONG_NODE,
                        "this room moved to another node of this service: " + to.get(), null, null, to.get()));
                for (Client c : clients) {
                    // An edge's listener is sent on by its own node when its connection here closes.
                    if (!c.mediaElsewhere()) c.outbox().send(moving);
                    c.outbox().closeAfterFlush(MOVED);
                }
                moved++;
                log.info("room {} moved to {} with {} connections", roomId, to.get(), clients.size());
            } catch (RoomException | RuntimeException e) {
                log.warn("room {} could not be moved to another node", roomId, e);
            }
        }
        return moved;
    }

    private void refuseWhileDraining() throws RoomException {
        if (drainMessage != null) throw new RoomException(ErrorCode.SERVER_DRAINING, drainMessage);
    }

    /** The rooms open now (people in them or not), in no order. */
    public List<OpenRoom> openNow() {
        return List.copyOf(open.values());
    }

    public OpenRoom get(String roomId) {
        return open.get(roomId);
    }

    public int openRooms() {
        return open.size();
    }

    public int people() {
        int n = 0;
        for (OpenRoom r : open.values()) n += r.people();
        return n;
    }

    /**
     * The server stops: no more timers; what the open rooms are deciding now (people whose connections just closed)
     * is decided, and the decisions are stored, waiting up to {@code wait} for both.
     */
    public void close(java.time.Duration wait) {
        timers.shutdownNow();
        long deadline = System.nanoTime() + wait.toNanos();
        for (OpenRoom room : open.values()) {
            try {
                room.read(model -> null).get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
                // closed or still busy: its writes so far are waited for below
            }
        }
        writers.close(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
}
