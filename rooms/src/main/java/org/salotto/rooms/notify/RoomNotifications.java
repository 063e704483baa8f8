package org.salotto.rooms.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.domain.MemberView;
import org.salotto.rooms.domain.RoomEvent;
import org.salotto.rooms.domain.RoomModel;
import org.salotto.rooms.store.Room;

/**
 * The notification adapter of the room runtime: which of a decision's events notify whom, as jobs written in the
 * decision's own transaction ({@link NotificationWrites} in the unit of work). Runs on the room's executor: it only
 * builds records.
 *
 * <ul>
 * <li>The host of a public space or call coming in, or of a public live that is live (not in its backstage), or a
 *     live leaving its backstage: the host's followers, once per room ({@code dedupKey}).</li>
 * <li>A hand raised: the host and co-hosts in the room (accounts). Made co-host or moderator, invited onto the stage:
 *     that person (an account; guests get none).</li>
 * <li>A scheduled room changed (start or title): its invitees, the people reminded and (a public room) the host's
 *     followers, and its reminders move; ended before it opened: cancelled.</li>
 * </ul>
 */
public final class RoomNotifications {
    private final Duration lead;

    public RoomNotifications(Duration reminderLead) {
        this.lead = reminderLead;
    }

    public Duration lead() {
        return lead;
    }

    /** {@code before}: the room as it was before the decision; {@code model}: after it. */
    public NotificationWrites of(Room before, RoomModel model, Command command, List<RoomEvent> events, Instant at) {
        List<NotificationJob> jobs = new ArrayList<>();
        boolean drop = false;
        Room room = model.room();
        String roomId = room.id();
        long host = room.hostAccountId();
        for (RoomEvent event : events) {
            switch (event) {
                case RoomEvent.MemberJoined e -> {
                    MemberView m = e.member();
                    if (m.accountId() != host || m.role() != Role.HOST || room.visibility() != Visibility.PUBLIC) break;
                    if (room.kind() == RoomKind.LIVE) {
                        if (!room.practice()) jobs.add(followers(NotificationType.WENT_LIVE, "live:" + roomId, room, m.displayName(), at));
                    } else {
                        NotificationType t = room.kind() == RoomKind.SPACE ? NotificationType.SPACE_OPENED : NotificationType.CALL_OPENED;
                        jobs.add(followers(t, "opened:" + roomId, room, m.displayName(), at));
                    }
                }
                case RoomEvent.RoomChanged e -> {
                    Room r = e.room();
                    if (r.kind() == RoomKind.LIVE && before.practice() && !r.practice() && r.visibility() == Visibility.PUBLIC) {
                        String name = model.members().stream().filter(m -> m.role() == Role.HOST).map(MemberView::displayName)
                                .findFirst().orElse(null);
                        jobs.add(followers(NotificationType.WENT_LIVE, "live:" + roomId, r, name, at));
                    }
                    boolean moved = before.state() == RoomState.SCHEDULED && r.state() == RoomState.SCHEDULED
                            && (!java.util.Objects.equals(before.scheduledStart(), r.scheduledStart())
                            || !before.title().equals(r.title()));
                    if (moved) {
                        jobs.add(NotificationJob.of(NotificationType.ROOM_CHANGED, remindedOf(r), roomId,
                                host, null, null, at, at));
                        jobs.addAll(reminders(r, at));
                        drop = true;
                    }
                }
                case RoomEvent.RoomEnded e -> {
                    drop = true;
                    if (before.state() == RoomState.SCHEDULED) {
                        jobs.add(NotificationJob.of(NotificationType.ROOM_CANCELLED, remindedOf(before), roomId,
                                host, null, "cancelled:" + roomId, at, at));
                    }
                }
                case RoomEvent.HandRaised e -> model.member(e.participantId()).ifPresent(raiser -> {
                    List<Long> to = new ArrayList<>();
                    for (MemberView m : model.members()) {
                        if ((m.role() == Role.HOST || m.role() == Role.CO_HOST) && m.accountId() >= 0) to.add(m.accountId());
                    }
                    if (!to.isEmpty()) {
                        jobs.add(NotificationJob.to(to, NotificationType.HAND_RAISED, roomId,
                                raiser.accountId() >= 0 ? raiser.accountId() : null, raiser.displayName(), at));
                    }
                });
                case RoomEvent.RoleChanged e -> {
                    if (!(command instanceof Command.SetRole set) || e.from() == Role.HOST) break;
                    NotificationType t = e.to() == Role.CO_HOST ? NotificationType.MADE_COHOST
                            : e.to() == Role.MODERATOR ? NotificationType.MADE_MODERATOR : null;
                    if (t == null) break;
                    model.member(e.participantId()).filter(m -> m.accountId() >= 0).ifPresent(m ->
                            jobs.add(NotificationJob.to(List.of(m.accountId()), t, roomId, actorAccount(set.actor().accountId()),
                                    nameOf(model, set.actor().identity()), at)));
                }
                case RoomEvent.Invited e -> model.member(e.participantId()).filter(m -> m.accountId() >= 0).ifPresent(m -> {
                    Long actor = command instanceof Command.SetRole s ? actorAccount(s.actor().accountId())
                            : command instanceof Command.AnswerKnock k ? actorAccount(k.actor().accountId()) : null;
                    jobs.add(NotificationJob.to(List.of(m.accountId()), NotificationType.STAGE_INVITATION, roomId, actor,
                            e.byName(), at));
                });
                default -> {
                    // Nothing else notifies anyone.
                }
            }
        }
        return jobs.isEmpty() && !drop ? NotificationWrites.NONE : new NotificationWrites(jobs, drop);
    }

    /**
     * The jobs of a room scheduled now: its invitees (and, if public, the host's followers) are told at once, and
     * again with the people who ask to be reminded at the lead time before the start (unless that has passed) and at
     * the start.
     */
    public NotificationWrites scheduled(Room room, String hostName, Instant at) {
        List<NotificationJob> jobs = new ArrayList<>();
        Audience audience = room.visibility() == Visibility.PUBLIC ? Audience.FOLLOWERS_AND_INVITEES : Audience.INVITEES_AND_REMINDED;
        jobs.add(NotificationJob.of(NotificationType.ROOM_SCHEDULED, audience, room.id(), room.hostAccountId(), hostName,
                "scheduled:" + room.id(), at, at));
        jobs.addAll(reminders(room, at));
        return new NotificationWrites(jobs, true);
    }

    /** Newly invited people of a room already scheduled (an edit of its invitees): they are told it is scheduled. */
    public NotificationWrites invited(Room room, List<Long> accounts, String hostName, Instant at) {
        if (accounts.isEmpty()) return NotificationWrites.NONE;
        List<NotificationJob> jobs = List.of(new NotificationJob(0, NotificationType.ROOM_SCHEDULED, Audience.ACCOUNTS,
                room.id(), room.hostAccountId(), hostName, "scheduled:" + room.id(), accounts, 0, at, at));
        return new NotificationWrites(jobs, false);
    }

    /** The two reminders of a scheduled room: at {@code start - lead} (unless already past) and at the start. */
    public List<NotificationJob> reminders(Room room, Instant at) {
        Instant start = room.scheduledStart();
        if (start == null) return List.of();
        List<NotificationJob> jobs = new ArrayList<>();
        long key = start.getEpochSecond();
        Instant soon = start.minus(lead);
        if (soon.isAfter(at)) {
            jobs.add(NotificationJob.of(NotificationType.REMINDER, remindedOf(room), room.id(), room.hostAccountId(),
                    null, "reminder:" + room.id() + ":" + key, soon, at));
        }
        jobs.add(NotificationJob.of(NotificationType.ROOM_STARTING, remindedOf(room), room.id(), room.hostAccountId(),
                null, "starting:" + room.id() + ":" + key, start, at));
        return jobs;
    }

    /**
     * Who hears of a scheduled room's time (the reminder, the start, a change, a cancellation): its invitees and the
     * people who asked to be reminded, and for a public room the host's followers too.
     */
    private static Audience remindedOf(Room room) {
        return room.visibility() == Visibility.PUBLIC ? Audience.FOLLOWERS_INVITEES_AND_REMINDED : Audience.INVITEES_AND_REMINDED;
    }

    private NotificationJob followers(NotificationType type, String dedupKey, Room room, String hostName, Instant at) {
        return NotificationJob.of(type, Audience.FOLLOWERS, room.id(), room.hostAccountId(), hostName, dedupKey, at, at);
    }

    private static Long actorAccount(long accountId) {
        return accountId >= 0 ? accountId : null;
    }

    private static String nameOf(RoomModel model, String identity) {
        return model.memberByIdentity(identity).map(MemberView::displayName).orElse(null);
    }
}
