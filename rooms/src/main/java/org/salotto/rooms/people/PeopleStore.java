package org.salotto.rooms.people;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.salotto.rooms.store.Room;

/**
 * Where profiles, avatars, follows, reports and the admin log are kept (the JDBC store's {@code PeopleTables}).
 * Usernames compare case-insensitively. Every method is a short transaction and may block: call it from a virtual
 * thread. The scheduled rooms' invitees and reminders are only read here.
 */
public interface PeopleStore {

    // ---- people ----

    Optional<Person> person(long accountId);

    /** Case-insensitive. */
    Optional<Person> personByUsername(String username);

    /** The people of these ids that exist, by id. */
    Map<Long, Person> people(Collection<Long> accountIds);

    /** Writes the display name and the bio (both already checked). */
    void updateProfile(long accountId, String displayName, String bio);

    /** The id of the first account created on this server, or empty when there is none yet. */
    Optional<Long> firstAccountId();

    void setAdmin(long accountId, boolean admin);

    /** True when the account exists and is suspended. */
    boolean suspended(long accountId);

    // ---- avatars ----

    Optional<Avatar> avatar(long accountId);

    /** Stores (or replaces) an account's avatar; returns its new version (greater than any before). */
    long putAvatar(long accountId, String contentType, byte[] image, Instant at);

    /** True if there was one. */
    boolean deleteAvatar(long accountId);

    // ---- follows ----

    /** Idempotent: following again keeps the first date. */
    void follow(long followerId, long followeeId, Instant at);

    /** Idempotent. */
    void unfollow(long followerId, long followeeId);

    /** Which of {@code followeeIds} the follower follows. */
    Set<Long> followedAmong(long followerId, Collection<Long> followeeIds);

    int followerCount(long accountId);

    int followingCount(long accountId);

    /**
     * The people following {@code accountId}, newest follow first, at most {@code limit}, after {@code before}
     * (null: from the newest).
     */
    List<Follow> followers(long accountId, FollowCursor before, int limit);

    /** The people {@code accountId} follows, newest follow first (as {@link #followers}). */
    List<Follow> following(long accountId, FollowCursor before, int limit);

    /** A position in a followers or following list: the follow's date, then the other account's id. */
    record FollowCursor(Instant at, long accountId) {
    }

    // ---- rooms as people find them ----

    // Rooms open now are known to the room runtime, not read here (RoomService#publicRoomsWithPeople).

    /** Public scheduled rooms, soonest first; {@code hostId} restricts to one host (null: anyone). */
    List<Room> scheduledPublicRooms(Long hostId, int limit);

    /**
     * Scheduled rooms {@code accountId} was invited to or asked to be reminded of, or hosted by people it follows
     * (public ones only), soonest first.
     */
    List<Room> scheduledRoomsFor(long accountId, int limit);

    /** Which of these rooms {@code accountId} asked to be reminded of. */
    Set<String> remindedAmong(long accountId, Collection<String> roomIds);

    /** Which of these rooms {@code accountId} was invited to. */
    Set<String> invitedAmong(long accountId, Collection<String> roomIds);

    // ---- reports ----

    /** Stores a new report (its id is made here). */
    Report createReport(Report report);

    Optional<Report> report(long id);

    /** The newest first, at most {@code limit}; only the open ones when {@code openOnly}. */
    List<Report> reports(boolean openOnly, int limit);

    /** How many reports an account filed at or after {@code since}. */
    int reportsSince(long reporterId, Instant since);

    /** Whether this account already reported this comment to the admins. */
    boolean reportedComment(long reporterId, String roomId, String commentId);

    // ---- admin actions: each written with what it changes, in one transaction ----

    /**
     * Logs an action; when {@code resolves} is set, the report (if still open) takes that state, resolved by the
     * action's admin. For a {@link AdminAction.Action#SUSPEND}, the account is marked suspended and its sessions are
     * deleted; for a {@link AdminAction.Action#RESTORE} it is no longer suspended. Returns the entry as stored.
     */
    AdminAction act(AdminAction action, Report.State resolves);

    /** The newest first, at most {@code limit}. */
    List<AdminAction> actions(int limit);
}
