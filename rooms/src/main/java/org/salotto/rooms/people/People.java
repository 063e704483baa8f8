package org.salotto.rooms.people;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.salotto.rooms.Caller;
import org.salotto.rooms.Names;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomService;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.domain.MemberView;
import org.salotto.rooms.runtime.RoomRuntime;
import org.salotto.rooms.store.Identities;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.StoredComment;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * Profiles, follows, the home page's sections, reports to the admins, and what admins do (PRODUCT.md "People"). The
 * HTTP edge calls it; rooms are ended through the room runtime like any decision. Every method may block on the
 * database: call it from a virtual thread. Refusals are {@link RoomException}s.
 */
public final class People {
    /** What people are told when an admin ends their room. */
    public static final String ADMIN_ENDED = "an admin ended this room";
    public static final int MAX_BIO = 160;
    public static final int MAX_REPORT_REASON = 500;
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 100;
    private static final int MAX_ROOMS = 50;
    private static final int MAX_REPORTS = 200;
    private static final int MAX_ACTIONS = 200;
    private static final Duration REPORT_WINDOW = Duration.ofHours(1);

    private final Store store;
    private final PeopleStore people;
    private final RoomService rooms;
    private final PeopleConfig config;
    private final Set<String> configuredAdmins;
    private final Clock clock;
    /** The first account's id once there is one (it never changes: accounts are not deleted); 0 until then. */
    private final AtomicLong firstAccount = new AtomicLong();

    public People(Store store, RoomService rooms, PeopleConfig config, Clock clock) {
        this.store = store;
        this.people = store.people();
        this.rooms = rooms;
        this.config = config;
        this.configuredAdmins = config.adminsLower();
        this.clock = clock;
    }

    public PeopleConfig config() {
        return config;
    }

    // ---- what the edge shows ----

    /** Someone in a list, and whether the caller follows them. */
    public record Summary(Person person, boolean followedByMe) {
    }

    /** A profile page. {@code openRooms}: public, open, with people in them now (a live only once it is live). */
    public record Profile(Person person, int followers, int following, boolean followedByMe, boolean me,
                          List<Room> openRooms, List<Room> upcomingRooms) {
    }

    /** A room in one of the home page's lists, with its host and what the caller asked of it. */
    public record ListedRoom(Room room, Summary host, boolean remindMe, boolean invited) {
    }

    public record Home(List<ListedRoom> liveFromFollowed, List<ListedRoom> upcoming, List<ListedRoom> openNow) {
    }

    /** A page of a followers or following list; {@code next} is the cursor of the next page, or null at the end. */
    public record Page(List<Summary> people, String next) {
    }

    /**
     * A report as admins see it: its reporter, its room (null when the room is gone) and the account reported (null
     * for a guest or an application's user, or an account that is gone).
     */
    public record ReportView(Report report, Summary reporter, Room room, Summary target) {
    }

    /** An admin log entry with the people it names (null when gone). */
    public record ActionView(AdminAction action, Person admin, Person account) {
    }

    // ---- admins and suspension ----

    /** The first account, a username in {@code people.admins}, or an account stored as admin. */
    public boolean isAdmin(Person p) {
        if (p.storedAdmin() || configuredAdmins.contains(p.username().toLowerCase(java.util.Locale.ROOT))) return true;
        long first = firstAccount.get();
        if (first == 0) {
            first = people.firstAccountId().orElse(0L);
            if (first != 0) firstAccount.set(first);
        }
        return p.id() == first;
    }

    public boolean isAdmin(long accountId) {
        return people.person(accountId).map(this::isAdmin).orElse(false);
    }

    // ---- profiles ----

    public Person person(String username) throws RoomException {
        if (username == null || username.isEmpty() || username.length() > 64) throw unknown(username);
        return people.personByUsername(username).orElseThrow(() -> unknown(username));
    }

    private static RoomException unknown(String username) {
        return new RoomException(ErrorCode.NOT_FOUND, "no one is called '" + (username == null ? "" : username) + "'");
    }

    public Profile profile(Caller caller, String username) throws RoomException {
        Person p = person(username);
        long me = caller != null && caller.isAccount() ? caller.accountId() : -1;
        boolean followed = me >= 0 && me != p.id() && people.followedAmong(me, List.of(p.id())).contains(p.id());
        List<Room> open = rooms.publicRoomsWithPeople().stream().filter(r -> r.hostAccountId() == p.id()).limit(MAX_ROOMS).toList();
        List<Room> upcoming = people.scheduledPublicRooms(p.id(), MAX_ROOMS);
        return new Profile(p, people.followerCount(p.id()), people.followingCount(p.id()), followed, me == p.id(), open, upcoming);
    }

    /** Changes the caller's display name and bio (null: unchanged); returns the profile. */
    public Profile updateProfile(Caller caller, String displayName, String bio) throws RoomException {
        Person p = self(caller);
        String name = displayName == null ? p.displayName() : Names.displayName(displayName);
        String newBio = bio == null ? p.bio() : bio(bio);
        people.updateProfile(p.id(), name, newBio);
        return profile(caller, p.username());
    }

    /** A bio: empty, or at most {@link #MAX_BIO} characters normalized as every text is ({@link Names}). */
    static String bio(String bio) throws RoomException {
        if (bio.isBlank()) return "";
        return Names.text("bio", bio, MAX_BIO);
    }

    /** Re-encodes and stores the caller's avatar ({@link AvatarImages}); returns the profile. */
    public Profile setAvatar(Caller caller, byte[] upload) throws RoomException {
        Person p = self(caller);
        byte[] png = AvatarImages.reencode(upload);
        people.putAvatar(p.id(), AvatarImages.STORED_TYPE, png, clock.instant());
        return profile(caller, p.username());
    }

    public void deleteAvatar(Caller caller) throws RoomException {
        people.deleteAvatar(self(caller).id());
    }

    public Optional<Avatar> avatar(String username) throws RoomException {
        return people.avatar(person(username).id());
    }

    private Person self(Caller caller) throws RoomException {
        if (caller == null || !caller.isAccount()) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in first");
        return people.person(caller.accountId()).orElseThrow(() -> new RoomException(ErrorCode.UNAUTHENTICATED, "log in first"));
    }

    // ---- follows ----

    public void follow(Caller caller, String username, boolean follow) throws RoomException {
        Person me = self(caller);
        Person them = person(username);
        if (me.id() == them.id()) throw RoomException.badRequest("you cannot follow yourself");
        if (follow) people.follow(me.id(), them.id(), clock.instant());
        else people.unfollow(me.id(), them.id());
    }

    /** A page of someone's followers ({@code followers} true) or of the people they follow, newest first. */
    public Page follows(Caller caller, String username, boolean followers, String before, int limit) throws RoomException {
        Person p = person(username);
        PeopleStore.FollowCursor cursor = cursor(before);
        List<Follow> page = followers ? people.followers(p.id(), cursor, limit + 1) : people.following(p.id(), cursor, limit + 1);
        boolean more = page.size() > limit;
        if (more) page = page.subList(0, limit);
        List<Person> listed = new ArrayList<>(page.size());
        for (Follow f : page) listed.add(f.person());
        String next = more ? cursorText(page.get(page.size() - 1)) : null;
        return new Page(summaries(caller, listed), next);
    }

    /** {@code <epoch microseconds>_<account id>}: opaque to clients. */
    private static String cursorText(Follow f) {
        Instant at = f.at();
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        return micros + "_" + f.person().id();
    }

    private static PeopleStore.FollowCursor cursor(String text) throws RoomException {
        if (text == null) return null;
        int sep = text.indexOf('_');
        try {
            if (sep > 0 && text.length() <= 60) {
                long micros = Long.parseLong(text.substring(0, sep));
                long id = Long.parseLong(text.substring(sep + 1));
                return new PeopleStore.FollowCursor(Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS), id);
            }
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            // Said below.
        }
        throw RoomException.badRequest("'before' is not a cursor this list gave ('next')");
    }

    private List<Summary> summaries(Caller caller, List<Person> list) {
        Set<Long> followed = caller != null && caller.isAccount()
                ? people.followedAmong(caller.accountId(), list.stream().map(Person::id).toList()) : Set.of();
        List<Summary> out = new ArrayList<>(list.size());
        for (Person p : list) out.add(new Summary(p, followed.contains(p.id())));
        return out;
    }

    // ---- home ----

    public Home home(Caller caller) {
        boolean account = caller != null && caller.isAccount();
        List<Room> withPeople = rooms.publicRoomsWithPeople();
        List<Room> fromFollowed = List.of();
        if (account) {
            Set<Long> followed = people.followedAmong(caller.accountId(), withPeople.stream().map(Room::hostAccountId).toList());
            fromFollowed = withPeople.stream().filter(r -> followed.contains(r.hostAccountId())).limit(MAX_ROOMS).toList();
        }
        Map<String, Room> upcoming = new LinkedHashMap<>();
        if (account) for (Room r : people.scheduledRoomsFor(caller.accountId(), MAX_ROOMS)) upcoming.put(r.id(), r);
        for (Room r : people.scheduledPublicRooms(null, MAX_ROOMS)) upcoming.putIfAbsent(r.id(), r);
        List<Room> soonest = new ArrayList<>(upcoming.values());
        soonest.sort(Comparator.comparing(Room::scheduledStart, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Room::id));
        if (soonest.size() > MAX_ROOMS) soonest = soonest.subList(0, MAX_ROOMS);
        List<Room> openNow = withPeople.size() > MAX_ROOMS ? withPeople.subList(0, MAX_ROOMS) : withPeople;
        return new Home(listed(caller, fromFollowed), listed(caller, soonest), listed(caller, openNow));
    }

    private List<ListedRoom> listed(Caller caller, List<Room> list) {
        if (list.isEmpty()) return List.of();
        Map<Long, Person> hosts = people.people(list.stream().map(Room::hostAccountId).toList());
        List<String> ids = list.stream().map(Room::id).toList();
        boolean account = caller != null && caller.isAccount();
        Set<String> reminded = account ? people.remindedAmong(caller.accountId(), ids) : Set.of();
        Set<String> invited = account ? people.invitedAmong(caller.accountId(), ids) : Set.of();
        Set<Long> followed = account ? people.followedAmong(caller.accountId(), hosts.keySet()) : Set.of();
        List<ListedRoom> out = new ArrayList<>(list.size());
        for (Room r : list) {
            Person host = hosts.get(r.hostAccountId());
            if (host == null) continue;
            out.add(new ListedRoom(r, new Summary(host, followed.contains(host.id())), reminded.contains(r.id()),
                    invited.contains(r.id())));
        }
        return out;
    }

    // ---- reports ----

    /** What is reported: a room, someone in it (by participant id) or a live's comment (by comment id). */
    public Report report(Caller caller, Report.Kind kind, String roomId, String participantId, String commentId,
                         String reason) throws RoomException {
        Person reporter = self(caller);
        if (kind == null) throw RoomException.badRequest("'kind' must be room, participant or comment");
        String why = Names.text("reason", reason, MAX_REPORT_REASON);
        Room room = rooms.roomFor(caller, roomId);
        Instant now = clock.instant();
        if (people.reportsSince(reporter.id(), now.minus(REPORT_WINDOW)) >= config.reportsPerHour()) {
            throw RoomException.rateLimited("you can send at most " + config.reportsPerHour() + " reports an hour: try again later",
                    REPORT_WINDOW.toMillis());
        }
        Report r = switch (kind) {
            case ROOM -> {
                Person host = people.person(room.hostAccountId()).orElseThrow();
                yield new Report(0, reporter.id(), kind, room.id(), Identities.account(host.id()), host.displayName(), null,
                        room.title(), why, Report.State.OPEN, now, null, null);
            }
            case PARTICIPANT -> {
                if (participantId == null || participantId.isEmpty() || participantId.length() > 64) {
                    throw RoomException.badRequest("'participantId' is missing: who in the room is reported?");
                }
                MemberView m = rooms.runtime().read(room.id(), model -> model.member(participantId)).flatMap(x -> x)
                        .orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND, "nobody with this participant id is in the room"));
                yield new Report(0, reporter.id(), kind, room.id(), m.identity(), m.displayName(), null,
                        m.displayName() + " in \"" + room.title() + "\"", why, Report.State.OPEN, now, null, null);
            }
            case COMMENT -> {
                StoredComment c = comment(room, commentId);
                yield commentReport(reporter.id(), room, c, why, now);
            }
        };
        return people.createReport(r);
    }

    /**
     * A comment reported in a live through the live's own route ({@code POST /api/rooms/{id}/comments/{cid}/report},
     * which tells the host) also goes to the admins, once per account and comment. Guests' reports stay with the host.
     */
    public void commentReportedInLive(Caller caller, String roomId, String commentId, String reason) throws RoomException {
        if (caller == null || !caller.isAccount()) return;
        if (people.reportedComment(caller.accountId(), roomId, commentId)) return;
        Room room = rooms.room(roomId);
        StoredComment c = comment(room, commentId);
        String why = reason == null || reason.isBlank() ? "(reported in the live, no reason given)" : Names.text("reason", reason, MAX_REPORT_REASON);
        people.createReport(commentReport(caller.accountId(), room, c, why, clock.instant()));
    }

    private static Report commentReport(long reporterId, Room room, StoredComment c, String why, Instant now) {
        return new Report(0, reporterId, Report.Kind.COMMENT, room.id(), c.identity(), c.name(), c.id(), c.text(), why,
                Report.State.OPEN, now, null, null);
    }

    private StoredComment comment(Room room, String commentId) throws RoomException {
        if (room.kind() != RoomKind.LIVE) throw RoomException.badRequest("only a live has comments");
        if (commentId == null || commentId.isEmpty() || commentId.length() > 64) {
            throw RoomException.badRequest("'commentId' is missing: which comment is reported?");
        }
        rooms.runtime().settled(room.id());
        return store.comment(room.id(), commentId)
                .orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND, "there is no such comment in this live"));
    }

    // ---- admins ----

    private Person admin(Caller caller) throws RoomException {
        Person p = self(caller);
        if (!isAdmin(p)) throw RoomException.notAllowed("only the server's admins can do this");
        return p;
    }

    public List<ReportView> reports(Caller caller, boolean openOnly) throws RoomException {
        admin(caller);
        List<Report> list = people.reports(openOnly, MAX_REPORTS);
        // The reporters and the accounts reported, read together.
        Set<Long> ids = new java.util.LinkedHashSet<>();
        for (Report r : list) {
            ids.add(r.reporterId());
            long target = Identities.accountId(r.targetIdentity());
            if (target >= 0) ids.add(target);
        }
        Map<Long, Person> persons = people.people(List.copyOf(ids));
        Set<Long> followed = people.followedAmong(caller.accountId(), persons.keySet());
        List<ReportView> out = new ArrayList<>(list.size());
        for (Report r : list) {
            Person reporter = persons.get(r.reporterId());
            if (reporter == null) continue;
            Room room = r.roomId() == null ? null : store.room(r.roomId()).orElse(null);
            Person target = persons.get(Identities.accountId(r.targetIdentity()));
            out.add(new ReportView(r, new Summary(reporter, followed.contains(reporter.id())), room,
                    target == null ? null : new Summary(target, followed.contains(target.id()))));
        }
        return out;
    }

    public void dismiss(Caller caller, String reportId) throws RoomException {
        Person admin = admin(caller);
        Report r = report(reportId);
        people.act(new AdminAction(0, admin.id(), AdminAction.Action.DISMISS, r.id(), r.roomId(), null, null, clock.instant()),
                Report.State.DISMISSED);
    }

    /** Ends a room like its host would, telling the people in it that an admin did. */
    public void endRoom(Caller caller, String roomId, String reportId) throws RoomException {
        Person admin = admin(caller);
        Report r = reportId == null ? null : report(reportId);
        Room room = rooms.room(roomId);
        if (room.state() != RoomState.ENDED) rooms.endByAdmin(room.id(), ADMIN_ENDED);
        people.act(new AdminAction(0, admin.id(), AdminAction.Action.END_ROOM, r == null ? null : r.id(), room.id(),
                room.hostAccountId(), null, clock.instant()), Report.State.ACTIONED);
    }

    /**
     * Suspends an account: it can no longer log in, host or join; its sessions end (one transaction with the log entry),
     * then its open and scheduled rooms end and it leaves the rooms of others it is in.
     */
    public void suspend(Caller caller, String username, String reportId, String reason) throws RoomException {
        Person admin = admin(caller);
        String why = Names.text("reason", reason, MAX_REPORT_REASON);
        Report r = reportId == null ? null : report(reportId);
        Person target = person(username);
        if (target.id() == admin.id()) throw RoomException.badRequest("you cannot suspend yourself");
        people.act(new AdminAction(0, admin.id(), AdminAction.Action.SUSPEND, r == null ? null : r.id(),
                r == null ? null : r.roomId(), target.id(), why, clock.instant()), Report.State.ACTIONED);
        for (Room room : store.roomsHostedBy(target.id())) {
            if (room.state() != RoomState.ENDED) rooms.endByAdmin(room.id(), ADMIN_ENDED);
        }
        // And out of the rooms of others it is in now (it cannot come back: joins check the suspension).
        String identity = Identities.account(target.id());
        for (var open : rooms.runtime().openNow()) {
            Optional<String> pid = rooms.runtime().read(open.id(),
                    model -> model.memberByIdentity(identity).map(MemberView::participantId)).flatMap(p -> p);
            if (pid.isPresent()) rooms.runtime().tell(open.id(), new Command.Leave(pid.get(), RoomRuntime.SUSPENDED));
        }
    }

    public void restore(Caller caller, String username) throws RoomException {
        Person admin = admin(caller);
        Person target = person(username);
        people.act(new AdminAction(0, admin.id(), AdminAction.Action.RESTORE, null, null, target.id(), null, clock.instant()),
                null);
    }

    public List<ActionView> actions(Caller caller) throws RoomException {
        admin(caller);
        List<AdminAction> list = people.actions(MAX_ACTIONS);
        List<Long> ids = new ArrayList<>();
        for (AdminAction a : list) {
            if (a.adminId() != null) ids.add(a.adminId());
            if (a.accountId() != null) ids.add(a.accountId());
        }
        Map<Long, Person> named = people.people(ids);
        List<ActionView> out = new ArrayList<>(list.size());
        for (AdminAction a : list) {
            out.add(new ActionView(a, a.adminId() == null ? null : named.get(a.adminId()),
                    a.accountId() == null ? null : named.get(a.accountId())));
        }
        return out;
    }

    private Report report(String id) throws RoomException {
        try {
            if (id != null && id.length() <= 19) {
                Optional<Report> r = people.report(Long.parseLong(id));
                if (r.isPresent()) return r.get();
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new RoomException(ErrorCode.NOT_FOUND, "there is no report with this id");
    }
}
