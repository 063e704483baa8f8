package org.salotto.rooms;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.salotto.rooms.account.Accounts;
import org.salotto.rooms.account.PasswordHasher;
import org.salotto.rooms.auth.TokenSigner;
import org.salotto.rooms.auth.SecretSeal;
import org.salotto.rooms.auth.StoredJoinKeys;
import org.salotto.rooms.auth.Tokens;
import org.salotto.rooms.domain.Actor;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.domain.IdSource;
import org.salotto.rooms.domain.MemberView;
import org.salotto.rooms.domain.RoomEvent;
import org.salotto.rooms.limits.Limiters;
import org.salotto.rooms.limits.Limits;
import org.salotto.rooms.money.BadgesConfig;
import org.salotto.rooms.money.Purchase;
import org.salotto.rooms.money.Purchases;
import org.salotto.rooms.people.People;
import org.salotto.rooms.people.PeopleConfig;
import org.salotto.rooms.notify.NotificationsConfig;
import org.salotto.rooms.runtime.OpenRoom;
import org.salotto.rooms.runtime.RoomFrames;
import org.salotto.rooms.runtime.RoomRuntime;
import org.salotto.rooms.session.ClientSession;
import org.salotto.rooms.store.Block;
import org.salotto.rooms.store.Identities;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.Store;
import org.salotto.signaling.ClientConnection;
import org.salotto.signaling.SignalingService;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.ServerFrame;

/**
 * The rooms layer's one entry point for the server: accounts, rooms and their links, join tokens, moderation. Every
 * method may block on the database: call it from a virtual thread. Errors are {@link RoomException}s with stable codes.
 */
public final class RoomService {
    /** Where a room's page is: the link is this plus the room id. */
    public static final String LINK_PATH = "/r/";
    private static final int MAX_LIST = 100;

    private final Store store;
    private final RoomsConfig config;
    private final Clock clock;
    private final Accounts accounts;
    private final Tokens tokens;
    private final StoredJoinKeys joinKeys;
    private final RoomRuntime live;
    private final Limiters limiters;
    private final LiveComments comments;
    private final Purchases purchases;
    private final org.salotto.rooms.people.People people;
    private final org.salotto.rooms.notify.Notifications notifications;
    private final java.util.concurrent.atomic.AtomicLong sessionsPurged = new java.util.concurrent.atomic.AtomicLong();

    public RoomService(Store store, SignalingService signaling, RoomsConfig config, PasswordHasher hasher, Clock clock) {
        this(store, signaling, config, new Limiters(Limits.defaults(), System::nanoTime), hasher, clock);
    }

    public RoomService(Store store, SignalingService signaling, RoomsConfig config, Limiters limiters,
                       PasswordHasher hasher, Clock clock) {
        this(store, signaling, config, limiters, hasher, clock, BadgesConfig.defaults());
    }

    /** @param badges badge prices, the platform's fee and the payment provider (configuration {@code badges}) */
    public RoomService(Store store, SignalingService signaling, RoomsConfig config, Limiters limiters,
                       PasswordHasher hasher, Clock clock, BadgesConfig badges) {
        this(store, signaling, config, limiters, hasher, clock, badges, PeopleConfig.defaults(), NotificationsConfig.defaults());
    }

    /**
     * @param peopleConfig avatars, admins and reports (configuration {@code people})
     * @param notify       the notifications' batch, reminder lead, streams (configuration {@code notifications})
     */
    public RoomService(Store store, SignalingService signaling, RoomsConfig config, Limiters limiters,
                       PasswordHasher hasher, Clock clock, BadgesConfig badges, PeopleConfig peopleConfig,
                       NotificationsConfig notify) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.limiters = limiters;
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        TokenSigner signer = new TokenSigner(store.secret("token-signing-key", key));
        byte[] sealKey = new byte[32];
        new java.security.SecureRandom().nextBytes(sealKey);
        this.joinKeys = new StoredJoinKeys(store, new SecretSeal(store.secret("api-key-seal-key", sealKey)), clock);
        this.accounts = new Accounts(store, hasher, clock, config.sessionTtl(), limiters, signer, joinKeys);
        this.tokens = new Tokens(signer, clock, config.guestTokenTtl(), keyId -> store.apiKey(keyId).isPresent(), joinKeys);
        this.live = new RoomRuntime(store, signaling, config, clock, IdSource.random(), tokens, LINK_PATH,
                limiters.limits().lobbyMaxPeople());
        this.comments = new LiveComments(this, store, live);
        this.notifications = new org.salotto.rooms.notify.Notifications(store, notify, clock, LINK_PATH);
        live.notifyWith(notifications.rules());
        // What a crash left is recovered by the server once it knows whether it is a node of a cluster
        // (RoomRuntime.recover).
        this.purchases = new Purchases(live, store.ledger(), badges.newProvider(), badges, clock);
        this.people = new People(store, this, peopleConfig, clock);
        notifications.notifier().start();
    }

    /** Profiles, follows, the home page, reports and what admins do. */
    public People peopleService() {
        return people;
    }

    /** The inbox, the real-time streams and the fan-out worker. */
    public org.salotto.rooms.notify.Notifications notifications() {
        return notifications;
    }

    /** Badges, their payments and the ledger. */
    public Purchases purchases() {
        return purchases;
    }

    /** A live's comments and their moderation. */
    public LiveComments comments() {
        return comments;
    }

    /**
     * Whether anyone may watch or listen to this room over WHEP without a join token (docs/api.md "WHIP and WHEP"):
     * the host's setting, off by default; only a public room takes anonymous viewers, whatever it says.
     */
    public boolean setAnonymousWhep(Caller caller, String id, boolean anonymous) throws RoomException {
        Room r = roomFor(caller, id);
        if (!isHost(caller, r)) throw RoomException.notAllowed("only the host decides who may watch over WHEP");
        store.whip().setAnonymousWhep(id, anonymous);
        return anonymous;
    }

    /** The host's WHEP setting of a room (the host only). */
    public boolean anonymousWhep(Caller caller, String id) throws RoomException {
        Room r = roomFor(caller, id);
        if (!isHost(caller, r)) throw RoomException.notAllowed("only the host sees the room's WHEP setting");
        return store.whip().anonymousWhep(id);
    }

    /**
     * The grant of an anonymous WHEP viewer: a new guest identity named "WHEP viewer", for a public room whose host
     * allows it; {@code unauthenticated} otherwise (send a join token).
     */
    public Tokens.JoinGrant anonymousWhepGrant(String id) throws RoomException {
        Room r = room(id);
        if (r.visibility() != Visibility.PUBLIC || !store.whip().anonymousWhep(id)) {
            throw new RoomException(ErrorCode.UNAUTHENTICATED,
                    "this room takes no anonymous WHEP viewers: send Authorization: Bearer <a join token of this room>");
        }
        String guest = "w" + newRoomId();
        return new Tokens.JoinGrant(id, org.salotto.rooms.store.Identities.guest(guest), "WHEP viewer",
                clock.instant().getEpochSecond() + 60, "whep-" + guest);
    }

    /** The open rooms and their executors. */
    public RoomRuntime runtime() {
        return live;
    }

    public Accounts accounts() {
        return accounts;
    }

    /** The keys of the join tokens applications mint offline: sealed API key secrets, registered signing keys. */
    public StoredJoinKeys joinKeys() {
        return joinKeys;
    }

    /** Join tokens: the server's own, and the ones applications mint ({@link Tokens#readJoinJwt}). */
    public Tokens tokens() {
        return tokens;
    }

    public RoomsConfig config() {
        return config;
    }

    /** The abuse limits, shared with the HTTP edge (which checks the per-address ones). */
    public Limiters limiters() {
        return limiters;
    }

    // ---- guests ----

    public String newGuestToken() {
        return tokens.newGuestToken();
    }

    public Optional<Caller> guestCaller(String guestToken) {
        return Optional.ofNullable(tokens.guestId(guestToken)).map(Caller::guest);
    }

    /**
     * Forgets what has expired: browser sessions (deleted from the database) and the ids of spent join tokens. The
     * server runs it every {@code rooms.purge-interval}; returns the sessions deleted.
     */
    public int purgeExpired() {
        tokens.forgetExpired();
        int n = accounts.purgeExpiredSessions();
        sessionsPurged.addAndGet(n);
        return n;
    }

    /** Expired sessions deleted since the start ({@code salotto_sessions_purged_total}). */
    public long sessionsPurged() {
        return sessionsPurged.get();
    }

    // ---- rooms ----

    /**
     * What a new room is made of; {@code scheduledStart} may be null (open now). {@code practice}: a live that opens
     * in its backstage.
     */
    public record NewRoom(RoomKind kind, String title, String activity, Visibility visibility, Instant scheduledStart,
                          boolean knock, boolean practice, List<String> invitees) {

        public NewRoom {
            invitees = invitees == null ? List.of() : List.copyOf(invitees);
        }

        public NewRoom(RoomKind kind, String title, String activity, Visibility visibility, Instant scheduledStart,
                       boolean knock, boolean practice) {
            this(kind, title, activity, visibility, scheduledStart, knock, practice, List.of());
        }

        public NewRoom(RoomKind kind, String title, String activity, Visibility visibility, Instant scheduledStart,
                       boolean knock) {
            this(kind, title, activity, visibility, scheduledStart, knock, false);
        }
    }

    public Room create(Caller caller, NewRoom spec) throws RoomException {
        if (caller == null || !caller.isAccount()) {
            throw new RoomException(ErrorCode.UNAUTHENTICATED, "creating a room needs an account: log in first");
        }
        refuseSuspended(caller.accountId());
        if (spec.kind() == null) throw RoomException.badRequest("'kind' must be call, live or space");
        if (spec.practice() && spec.kind() != RoomKind.LIVE) throw RoomException.badRequest("only a live has a backstage ('practice')");
        String title = Names.title(spec.title());
        String activity = Activities.check(spec.activity());
        Instant now = clock.instant();
        Instant start = spec.scheduledStart();
        if (start != null && start.isBefore(now.minusSeconds(60))) throw RoomException.badRequest("'scheduledStart' is in the past");
        RoomState state = start != null && start.isAfter(now) ? RoomState.SCHEDULED : RoomState.OPEN;
        if (!spec.invitees().isEmpty() && state != RoomState.SCHEDULED) {
            throw RoomException.badRequest("'invitees' are for a room scheduled for later ('scheduledStart')");
        }
        List<Long> invitees = inviteeIds(spec.invitees(), caller.accountId());
        // Last of the checks, so that a request refused for its content does not use up the account's rooms.
        Limiters.check(limiters.roomsPerAccount, Long.toString(caller.accountId()), "new rooms for this account");
        Room room = new Room(newRoomId(), caller.accountId(), spec.kind(), title, activity,
                spec.visibility() == null ? Visibility.PUBLIC : spec.visibility(), start, state, false, spec.knock(),
                now, null, spec.practice());
        // The room's first outbox event, in the same transaction: webhooks' room.created.
        var created = org.salotto.signaling.Messages.message("roomCreated");
        created.set("room", org.salotto.signaling.protocol.FrameCodec.tree(RoomFrames.room(room, LINK_PATH, 0, 0)));
        // A scheduled room's invitees and the host's followers are told now; the reminders wait for their time
        // (durable jobs). The room, its invitees and the jobs commit together or not at all.
        var firstEvent = new org.salotto.rooms.store.OutboxEvent(room.id(), 1, "roomCreated",
                org.salotto.signaling.Messages.text(created), now);
        if (state == RoomState.SCHEDULED) {
            store.createRoom(room, firstEvent, invitees, notifications.rules().scheduled(room, hostName(caller), now));
        } else {
            store.createRoom(room, firstEvent);
        }
        live.eventsStored(room.id());
        return room;
    }

    /**
     * The accounts of these usernames (the host left out, duplicates once), at most
     * {@code notifications.max-invitees}; unknown usernames are a {@code not_found} naming them.
     */
    private List<Long> inviteeIds(List<String> usernames, long hostId) throws RoomException {
        int max = notifications.config().maxInvitees();
        if (usernames.size() > max) throw RoomException.badRequest("at most " + max + " invitees");
        java.util.LinkedHashSet<Long> ids = new java.util.LinkedHashSet<>();
        List<String> unknown = new java.util.ArrayList<>();
        for (String u : usernames) {
            if (u == null || u.isBlank() || u.length() > 64) throw RoomException.badRequest("'invitees' must be usernames");
            Optional<org.salotto.rooms.store.Account> a = store.accountByUsername(u.strip());
            if (a.isEmpty()) unknown.add(u.strip());
            else if (a.get().id() != hostId) ids.add(a.get().id());
        }
        if (!unknown.isEmpty()) {
            throw new RoomException(ErrorCode.NOT_FOUND, "no one is called " + String.join(", ", unknown));
        }
        return List.copyOf(ids);
    }

    private String hostName(Caller caller) {
        return accounts.account(caller.accountId()).map(a -> a.displayName()).orElse(null);
    }

    /** "Remind me" of a scheduled room the caller can see ({@code on}), or not any more. */
    public void remindMe(Caller caller, String id, boolean on) throws RoomException {
        requireAccount(caller);
        Room r = roomFor(caller, id);
        if (!on) {
            store.notifications().forgetReminder(r.id(), caller.accountId());
            return;
        }
        if (r.state() != RoomState.SCHEDULED) {
            throw new RoomException(ErrorCode.CONFLICT, "only a room scheduled for later has reminders: this one "
                    + (r.state() == RoomState.ENDED ? "has ended" : "is open now"));
        }
        store.notifications().remind(r.id(), caller.accountId(), clock.instant());
    }

    /** The usernames invited to a scheduled room (its host only). */
    public List<String> invitees(Caller caller, String id) throws RoomException {
        Room r = roomFor(caller, id);
        if (!isHost(caller, r)) throw RoomException.notAllowed("only the host sees who is invited");
        List<String> out = new java.util.ArrayList<>();
        for (Long a : store.notifications().invitees(id)) store.account(a).ifPresent(x -> out.add(x.username()));
        return out;
    }

    /** A room by its id (the link): anyone with the link may see it. */
    public Room room(String id) throws RoomException {
        if (id == null || id.length() > 64) throw RoomException.notFound();
        // An open room knows itself best; a closed one is read once its last decisions are stored.
        OpenRoom open = live.get(id);
        if (open != null) return open.current();
        live.settled(id);
        return store.room(id).orElseThrow(RoomException::notFound);
    }

    /** A room as the API shows it, with how many people are in it now. */
    public ServerFrame.Room view(Room r) {
        OpenRoom l = live.get(r.id());
        return RoomFrames.room(r, LINK_PATH, l == null ? 0 : l.people(), l == null ? 0 : l.onStage());
    }

    public List<Room> roomsOf(Caller caller) throws RoomException {
        requireAccount(caller);
        return store.roomsHostedBy(caller.accountId());
    }

    /**
     * Public rooms people can go to: the scheduled ones, and the open ones with people in them now (a live once it
     * is live, not while its host practises in the backstage); newest first. An open room nobody is in is not listed.
     */
    public List<Room> publicRooms() {
        List<Room> out = new java.util.ArrayList<>(publicRoomsWithPeople());
        out.addAll(store.people().scheduledPublicRooms(null, MAX_LIST));
        out.sort(NEWEST_FIRST);
        return out.size() > MAX_LIST ? List.copyOf(out.subList(0, MAX_LIST)) : out;
    }

    private static final java.util.Comparator<Room> NEWEST_FIRST =
            java.util.Comparator.comparing(Room::createdAt).thenComparing(Room::id).reversed();

    /**
     * Public rooms open now with people in them, as this server's open rooms know them (no lag behind the database,
     * no mark left by a crash), leaving out a live in its backstage; newest first.
     */
    public List<Room> publicRoomsWithPeople() {
        List<Room> out = new java.util.ArrayList<>();
        for (OpenRoom open : live.openNow()) {
            if (open.people() == 0) continue;
            Room r = open.current();
            if (r.visibility() == Visibility.PUBLIC && r.state() == RoomState.OPEN
                    && !(r.kind() == RoomKind.LIVE && r.practice())) {
                out.add(r);
            }
        }
        out.sort(NEWEST_FIRST);
        return out;
    }

    /**
     * Changes what the host may change; null fields stay. Lock and knock may be changed by co-hosts in the room too.
     * Each change is a decision of the room (open or not), stored before this returns.
     */
    public Room update(Caller caller, String id, String title, String activity, Visibility visibility, Boolean locked,
                       Boolean knock) throws RoomException {
        return update(caller, id, title, activity, visibility, locked, knock, null, null);
    }

    /**
     * As above, and for a scheduled room (the host only, while it is scheduled: else {@code conflict}) its start and
     * its invitees (replaced; the newly invited are told). Its invitees and the people reminded are told of a new
     * start or title, and its reminders move with the start.
     */
    public Room update(Caller caller, String id, String title, String activity, Visibility visibility, Boolean locked,
                       Boolean knock, Instant scheduledStart, List<String> invitees) throws RoomException {
        Room r = roomFor(caller, id);
        if (scheduledStart != null || invitees != null) {
            if (!isHost(caller, r)) throw RoomException.notAllowed("only the host can change when the room starts and who is invited");
            if (r.state() != RoomState.SCHEDULED) {
                throw new RoomException(ErrorCode.CONFLICT, "the room is no longer scheduled: its start and invitees cannot change");
            }
            if (scheduledStart != null && !scheduledStart.isAfter(clock.instant())) {
                throw RoomException.badRequest("'scheduledStart' must be in the future");
            }
        }
        List<Long> inviteeIds = invitees == null ? null : inviteeIds(invitees, r.hostAccountId());
        boolean host = isHost(caller, r);
        if ((title != null || activity != null || visibility != null) && !host) {
            throw RoomException.notAllowed("only the host can change the title, activity or visibility");
        }
        if (r.state() == RoomState.ENDED) throw new RoomException(ErrorCode.ROOM_ENDED, "this room has ended");
        String newTitle = title != null ? Names.title(title) : null;
        String newActivity = activity != null ? Activities.check(activity) : null;
        Actor actor = actor(caller);
        if (locked != null) live.decide(id, new Command.SetLocked(actor, locked));
        if (knock != null) live.decide(id, new Command.SetKnock(actor, knock));
        if (newTitle != null || newActivity != null || visibility != null) {
            live.decide(id, new Command.UpdateRoom(actor, newTitle, newActivity, visibility));
        }
        if (scheduledStart != null) live.decide(id, new Command.Reschedule(actor, scheduledStart));
        if (inviteeIds != null) {
            Instant now = clock.instant();
            List<Long> added = store.notifications().setInvitees(id, inviteeIds, now);
            Room now2 = store.room(id).orElseThrow(RoomException::notFound);
            store.notifications().addJobs(id, notifications.rules().invited(now2, added, hostName(caller), now));
        }
        return store.room(id).orElseThrow(RoomException::notFound);
    }

    /**
     * A live in its backstage goes live: the people waiting come in. The host only; a live already live stays as it
     * is. Returns the room as it is then.
     */
    public Room goLive(Caller caller, String id) throws RoomException {
        Room r = roomFor(caller, id);
        if (r.kind() != RoomKind.LIVE) throw RoomException.badRequest("only a live has a backstage");
        if (!isHost(caller, r)) throw RoomException.notAllowed("only the host can go live");
        live.decide(id, new Command.GoLive(actor(caller)));
        return room(id);
    }

    /**
     * Ends a room for everyone on an admin's decision (or as its host is suspended): as the host's end, with
     * {@code message} told to the people in it. An ended room stays as it is.
     */
    public void endByAdmin(String id, String message) throws RoomException {
        try {
            live.decide(id, new Command.Shutdown(message));
        } catch (RoomException e) {
            if (e.errorCode() != ErrorCode.ROOM_ENDED) throw e;
        }
    }

    /** A suspended account can neither host nor join (nor log in: {@link Accounts#logIn}). */
    void refuseSuspended(long accountId) throws RoomException {
        if (store.people().suspended(accountId)) throw new RoomException(ErrorCode.SUSPENDED, SUSPENDED);
    }

    /** What a suspended account is told. */
    public static final String SUSPENDED = "this account is suspended by the server's admins";

    /** Ends a room for everyone: the host only (co-hosts cannot). Ending an ended room again changes nothing. */
    public void end(Caller caller, String id) throws RoomException {
        Room r = roomFor(caller, id);
        if (!isHost(caller, r)) throw RoomException.notAllowed("only the host can end the room for all");
        if (r.state() == RoomState.ENDED) return;
        try {
            live.decide(id, new Command.End(actor(caller)));
        } catch (RoomException e) {
            if (e.errorCode() != ErrorCode.ROOM_ENDED) throw e;
        }
    }

    // ---- joining ----

    /**
     * A join token for the caller (an account, or a guest with a display name). Refuses early what the WebSocket
     * join would refuse (ended, removed, blocked, locked, full), so a person hears it before any media is set up.
     */
    public String joinToken(Caller caller, String id, String displayName) throws RoomException {
        if (caller == null) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in, or join as a guest with a guest token");
        refuseWhileDraining();
        Room r = room(id);
        String name;
        if (caller.isAccount()) {
            name = displayName != null ? Names.displayName(displayName)
                    : accounts.account(caller.accountId()).map(a -> a.displayName()).orElse("someone");
        } else {
            name = Names.displayName(displayName);
        }
        precheck(r, caller.identity());
        return tokens.joinToken(r.id(), caller.identity(), name, config.joinTokenTtl());
    }

    /** A join token an application (by its API key) makes for one of its users, in a room its account hosts. */
    public String appJoinToken(Caller caller, String id, String user, String displayName) throws RoomException {
        return appJoinToken(caller, id, user, displayName, null, null);
    }

    /**
     * As {@link #appJoinToken(Caller, String, String, String)}, with grants ({@code null}: what the room's kind and role
     * allow, as before) and metadata. A key made since V8 gets a JWT, the same an application would mint offline; an
     * older key, whose secret the server never kept, the server's own {@code j1} token, which cannot carry grants.
     */
    public String appJoinToken(Caller caller, String id, String user, String displayName, Grants grants, String metadata)
            throws RoomException {
        if (caller == null || caller.apiKeyId() == null) throw new RoomException(ErrorCode.UNAUTHENTICATED, "this needs an API key");
        refuseWhileDraining();
        Room r = roomFor(caller, id);
        if (!isHost(caller, r)) throw RoomException.notAllowed("an API key makes tokens for the rooms of its own account");
        if (user == null || user.isEmpty() || user.length() > 64 || !user.chars().allMatch(c -> c > 32 && c < 127)) {
            throw RoomException.badRequest("'user' must be 1 to 64 printable ASCII characters");
        }
        String identity = Identities.app(caller.apiKeyId(), user);
        precheck(r, identity);
        String name = Names.displayName(displayName);
        if (metadata != null && metadata.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
            throw RoomException.badRequest("'metadata' must be at most 1 KiB");
        }
        var key = joinKeys.apiKey(caller.apiKeyId());
        if (key != null && key.secret() != null) {
            return tokens.appJoinJwt(caller.apiKeyId(), key.secret(), r.id(), user, name, grants == null ? Grants.FULL : grants,
                    metadata, config.joinTokenTtl());
        }
        if (grants != null || metadata != null) {
            throw RoomException.badRequest("this API key was made before join tokens carried grants: make a new key to give grants");
        }
        return tokens.joinToken(r.id(), identity, name, config.joinTokenTtl());
    }

    private void precheck(Room r, String identity) throws RoomException {
        long accountId = Identities.accountId(identity);
        if (accountId >= 0) refuseSuspended(accountId);
        boolean host = accountId == r.hostAccountId();
        if (r.state() == RoomState.ENDED) throw new RoomException(ErrorCode.ROOM_ENDED, "this room has ended");
        if (host) return;
        if (store.isBanned(r.id(), identity)) throw new RoomException(ErrorCode.BANNED, "you were removed from this room and cannot come back");
        if (store.isBlocked(r.hostAccountId(), identity)) throw new RoomException(ErrorCode.BLOCKED, "the host has blocked you from their rooms");
        boolean coHost = store.membership(r.id(), identity).map(m -> m.role() == Role.CO_HOST).orElse(false);
        if (r.locked() && !coHost) throw new RoomException(ErrorCode.ROOM_LOCKED, "this room is locked: nobody new can come in");
        OpenRoom l = live.get(r.id());
        if (r.kind() == RoomKind.CALL && l != null && l.people() >= config.callMaxPeople()) {
            throw new RoomException(ErrorCode.ROOM_FULL, "this call is full: it has " + config.callMaxPeople() + " people");
        }
    }

    /**
     * The one check of a join token presented to enter room {@code roomId}, whatever carries it (WHIP and WHEP bearers;
     * the WebSocket's {@code join} makes the same checks in {@code ClientSession} and the runtime): the token is valid
     * ({@link Tokens#redeemJoinToken}: the server's own, or an application's JWT, whose {@code jti} is spent here), for
     * this room, and, an application's, signed by a key of the account that hosts it. The grant's {@code grants} say
     * what the bearer may do ({@code publish} sources, {@code subscribe}...).
     *
     * @throws RoomException {@code invalid_token}, {@code token_expired}, {@code token_not_yet_valid},
     *                       {@code wrong_room}, or {@code not_found} for no such room
     */
    public Tokens.JoinGrant redeemJoinToken(String roomId, String token) throws RoomException {
        Tokens.JoinGrant g = tokens.redeemJoinToken(token);
        if (!g.roomId().equals(roomId)) throw new RoomException(ErrorCode.WRONG_ROOM, "this join token is for another room");
        if (g.issuerAccountId() >= 0 && g.issuerAccountId() != room(roomId).hostAccountId()) {
            throw new RoomException(ErrorCode.WRONG_ROOM, "this join token's key belongs to an account that does not host this room");
        }
        return g;
    }

    /** The handler of a new WebSocket to a room; its {@code join} (or {@code resume}) frame brings a token. */
    public ClientSession connect(String roomId, ClientConnection connection) {
        return new ClientSession(roomId, connection, tokens, live, limiters);
    }

    /**
     * On a room's owner, the session of a listener another node of the cluster serves (docs/scale.md "Audience
     * relayed across nodes"): {@code connection} carries their frames to that node; their media are there.
     */
    public ClientSession connectFromEdge(String roomId, ClientConnection connection) {
        return new ClientSession(roomId, connection, tokens, live, limiters, true);
    }

    // ---- people in a room ----

    public List<ServerFrame.Member> participants(Caller caller, String id) throws RoomException {
        Room r = roomFor(caller, id);
        List<ServerFrame.Member> out = new java.util.ArrayList<>();
        boolean hostAccount = caller != null && caller.accountId() >= 0 && caller.accountId() == r.hostAccountId();
        for (MemberView m : live.read(id, model -> model.members()).orElse(List.of())) {
            // Hidden members (a join token's grant) are listed to the host's account only.
            if (!m.hidden() || hostAccount) out.add(RoomFrames.member(m, r.kind()));
        }
        return out;
    }

    public List<ServerFrame.LobbyEntry> lobby(Caller caller, String id) throws RoomException {
        Room r = roomFor(caller, id);
        boolean allowed = isHost(caller, r) || live.read(id, model -> model.memberByIdentity(caller.identity())
                .map(m -> m.role() == Role.HOST || m.role() == Role.CO_HOST).orElse(false)).orElse(false);
        if (!allowed) throw RoomException.notAllowed("only the host and co-hosts can see the lobby");
        return RoomFrames.lobbyEntries(live.read(id, model -> List.copyOf(model.lobby())).orElse(List.of()));
    }

    public void answerKnock(Caller caller, String id, String lobbyId, boolean admit) throws RoomException {
        roomFor(caller, id);
        live.decide(id, new Command.AnswerKnock(actor(caller), lobbyId, admit));
    }

    public void remove(Caller caller, String id, String participantId) throws RoomException {
        roomFor(caller, id);
        live.decide(id, new Command.Remove(actor(caller), participantId));
    }

    public void block(Caller caller, String id, String participantId) throws RoomException {
        roomFor(caller, id);
        live.decide(id, new Command.Block(actor(caller), participantId));
    }

    /** Returns "done", or "invited" when the person must accept first. */
    public String setRole(Caller caller, String id, String participantId, String roleName) throws RoomException {
        Room r = roomFor(caller, id);
        Role role = Role.fromApi(r.kind(), roleName);
        if (role == null) throw RoomException.badRequest("'" + roleName + "' is not a role in a " + r.kind().apiName() + " room");
        List<RoomEvent> events = live.decide(id, new Command.SetRole(actor(caller), participantId, role));
        return events.stream().anyMatch(e -> e instanceof RoomEvent.Invited) ? "invited" : "done";
    }

    /**
     * Changes what a participant's join token grants, at once (the host's account: its API key or the host's session).
     * Revoking a source unpublishes its track for everyone; a null field stays as it is.
     */
    public void setGrants(Caller caller, String id, String participantId, java.util.Set<Grants.Source> publish,
                          Boolean subscribe, Boolean admin, Boolean hidden) throws RoomException {
        Room r = roomFor(caller, id);
        if (!isHost(caller, r)) throw RoomException.notAllowed("only the host's account changes grants");
        live.decide(id, new Command.SetGrants(actor(caller), participantId, publish, subscribe, admin, hidden));
    }

    public void raiseHand(Caller caller, String id, boolean up) throws RoomException {
        roomFor(caller, id);
        live.decide(id, new Command.RaiseHand(actor(caller), up));
    }

    /** The host (or a space's co-host) turns down someone's raised hand or request to join the stage. */
    public void declineHand(Caller caller, String id, String participantId) throws RoomException {
        roomFor(caller, id);
        live.decide(id, new Command.DeclineHand(actor(caller), participantId));
    }

    public void answerInvitation(Caller caller, String id, boolean accept) throws RoomException {
        roomFor(caller, id);
        live.decide(id, new Command.AnswerInvitation(actor(caller), accept));
    }

    // ---- badges (see Purchases) ----

    /** Buys a badge in a live the caller may see, once per Idempotency-Key. */
    public Purchases.Outcome buyBadge(Caller caller, String id, String idempotencyKey, String targetId, int hearts)
            throws RoomException {
        Room r = roomFor(caller, id);
        return purchases.buy(caller, r, idempotencyKey, targetId, hearts);
    }

    /** Refunds a purchase: the host of its live. */
    public Purchase refund(Caller caller, String purchaseId) throws RoomException {
        if (caller == null) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in first");
        return purchases.refund(caller, purchaseId, roomId -> store.room(roomId).orElseThrow());
    }

    public List<Purchases.Earning> earnings(Caller caller, String id) throws RoomException {
        return purchases.earnings(caller, roomFor(caller, id));
    }

    public List<Purchases.Supporter> supporters(Caller caller, String id) throws RoomException {
        return purchases.supporters(caller, roomFor(caller, id));
    }

    // ---- blocks ----

    public List<Block> blocks(Caller caller) throws RoomException {
        requireAccount(caller);
        return store.blocksBy(caller.accountId());
    }

    public boolean unblock(Caller caller, String identity) throws RoomException {
        requireAccount(caller);
        return store.unblock(caller.accountId(), identity);
    }

    // ---- metrics ----

    public int openRooms() {
        return live.openRooms();
    }

    public int people() {
        return live.people();
    }

    // ---- draining (SIGTERM) ----

    /** Joins are refused from now on, and everyone connected is told why. */
    public void beginDrain(String message) {
        live.beginDrain(message);
    }

    public boolean draining() {
        return live.draining();
    }

    /** Ends every open room with {@code message}, each stored before this returns. */
    public void endAllRooms(String message) {
        live.endAll(message);
    }

    /**
     * Stops: what the open rooms are deciding now is decided and stored, waiting up to {@code wait}; rooms still
     * open stay so in the database, and are recovered at the next start.
     */
    public void close(java.time.Duration wait) {
        notifications.close();
        live.close(wait);
    }

    // ---- helpers ----

    private static final int UNKNOWN = 0;
    private static final int IN_ROOM = 1;
    private static final int KEPT_OUT = 2;

    /**
     * The room for an action by this caller. A private room is "not found" for a caller who is not its host, not in it
     * now and has never been in it, exactly as an unknown room is, so that the answer does not tell whether it exists;
     * and for someone removed from it: a ban ends what they may see of it (who is in it, the lobby) as well as their
     * place. The open room is asked first, as its decisions reach the database a moment after they are made.
     */
    public Room roomFor(Caller caller, String id) throws RoomException {
        Room r = room(id);
        if (caller == null) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in, or use your guest token");
        if (r.visibility() != Visibility.PRIVATE || isHost(caller, r)) return r;
        String identity = caller.identity();
        int now = live.read(id, model -> model.keptOut(identity) ? KEPT_OUT
                : model.memberByIdentity(identity).isPresent() ? IN_ROOM : UNKNOWN).orElse(UNKNOWN);
        if (now == IN_ROOM) return r;
        if (now == KEPT_OUT || store.membership(r.id(), identity).isEmpty() || store.isBanned(r.id(), identity)) {
            throw RoomException.notFound();
        }
        return r;
    }

    private static Actor actor(Caller caller) {
        return new Actor(caller.identity(), caller.accountId());
    }

    private void refuseWhileDraining() throws RoomException {
        if (live.draining()) throw new RoomException(ErrorCode.SERVER_DRAINING, "Salotto is restarting: try again in a moment");
    }

    static boolean isHost(Caller caller, Room r) {
        return caller != null && caller.accountId() >= 0 && caller.accountId() == r.hostAccountId();
    }

    private static void requireAccount(Caller caller) throws RoomException {
        if (caller == null || !caller.isAccount()) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in first");
    }

    private static String newRoomId() {
        byte[] b = new byte[15];
        new java.security.SecureRandom().nextBytes(b);
        return TokenSigner.base64url(b).replace('-', 'x').replace('_', 'y');
    }
}
