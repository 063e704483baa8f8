package org.salotto.rooms.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.salotto.rooms.Role;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.domain.MemberView;
import org.salotto.rooms.domain.RoomEvent;
import org.salotto.rooms.domain.RoomModel;
import org.salotto.rooms.money.BadgeSale;
import org.salotto.rooms.money.LedgerTransaction;
import org.salotto.rooms.notify.RoomNotifications;
import org.salotto.rooms.store.Ban;
import org.salotto.rooms.store.Block;
import org.salotto.rooms.store.Membership;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.RoomTimer;
import org.salotto.rooms.store.UnitOfWork;
import org.salotto.signaling.Messages;

/**
 * The storage adapter: what one decision's events change in the database, as one {@link UnitOfWork} with the events
 * for the outbox. Runs on the room's executor (it only builds records); the writing happens off it.
 */
final class RoomWrites {
    private final OutboxPayloads payloads;
    private final RoomNotifications notifications;
    private long seq;

    /** {@code lastSeq}: the room's last outbox sequence number in the database. */
    RoomWrites(RoomFrames frames, long lastSeq, RoomNotifications notifications) {
        this.payloads = new OutboxPayloads(frames);
        this.notifications = notifications;
        this.seq = lastSeq;
    }

    /**
     * The writes of {@code events}, decided from {@code command} at {@code at}; {@code peopleBefore}: members before the
     * decision. A badge bought brings its command's payment: the purchase, its ledger transaction and its idempotency
     * record go into the same unit of work as the event's outbox row. {@code roomBefore}: the room before the
     * decision (the notifications compare: a live leaving its backstage, a scheduled room moved or cancelled).
     */
    UnitOfWork of(Room roomBefore, RoomModel model, Command command, List<RoomEvent> events, int peopleBefore, Instant at) {
        String roomId = model.room().id();
        Room room = null;
        List<Membership> memberships = new ArrayList<>();
        List<Ban> bans = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        List<RoomTimer> timersSet = new ArrayList<>();
        List<RoomTimer.Kind> timersCleared = new ArrayList<>();
        List<OutboxEvent> outbox = new ArrayList<>();
        LiveCommentWrites comments = new LiveCommentWrites(model, at);
        List<BadgeSale> sales = new ArrayList<>();
        List<LedgerTransaction> refunds = new ArrayList<>();
        if (peopleBefore == 0 && model.people() > 0) {
            // The room's first person after it was empty: a session of it starts (webhooks' room.started). An event
            // clients do not see, first of the decision's.
            outbox.add(new OutboxEvent(roomId, ++seq, "roomStarted", Messages.text(Messages.message("roomStarted")), at));
        }
        for (RoomEvent event : events) {
            // The event's place in the room's outbox (0: not kept there); comments and moderation are ordered by it.
            long eventSeq = 0;
            ObjectNode payload = payloads.of(event, model.room().kind());
            if (payload != null) {
                eventSeq = ++seq;
                outbox.add(new OutboxEvent(roomId, eventSeq, payload.get("type").asText(), Messages.text(payload), at));
            }
            comments.add(event, eventSeq);
            switch (event) {
                case RoomEvent.MemberJoined e -> memberships.add(membership(roomId, e.member(), e.member().role(), at));
                case RoomEvent.RoleChanged e -> {
                    // Only what a person comes back to is kept: being a co-host or the moderator (on any join), or a
                    // speaker (a resume into a room that changed hands: RoomRuntime.resume), or no longer.
                    if (keeps(e.to()) || keeps(e.from())) {
                        model.member(e.participantId()).ifPresent(m -> memberships.add(membership(roomId, m, e.to(), at)));
                    }
                }
                case RoomEvent.Removed e -> bans.add(new Ban(roomId, e.identity(), e.byIdentity(), at));
                case RoomEvent.Blocked e -> blocks.add(new Block(e.byAccountId(), e.identity(), e.displayName(), at));
                case RoomEvent.LockChanged e -> room = model.room();
                case RoomEvent.KnockChanged e -> room = model.room();
                case RoomEvent.RoomChanged e -> room = model.room();
                case RoomEvent.RoomEnded e -> {
                    room = model.room();
                    timersCleared.add(RoomTimer.Kind.HOST_GRACE);
                }
                case RoomEvent.HostGraceStarted e -> timersSet.add(new RoomTimer(roomId, RoomTimer.Kind.HOST_GRACE, e.due()));
                case RoomEvent.HostGraceCancelled e -> timersCleared.add(RoomTimer.Kind.HOST_GRACE);
                case RoomEvent.BadgeBought e -> {
                    if (command instanceof Command.BuyBadge buy && buy.payment().purchaseId().equals(e.purchaseId())) {
                        String targetIdentity = model.member(e.targetId()).map(MemberView::identity).orElseThrow();
                        sales.add(buy.payment().sale(e.buyerIdentity(), e.buyerId(), e.buyerName(), targetIdentity,
                                e.targetId(), e.targetName(), at));
                    }
                }
                case RoomEvent.BadgeRefunded e -> {
                    if (command instanceof Command.RefundBadge refund && refund.purchase().id().equals(e.purchaseId())) {
                        refunds.add(refund.reversal());
                    }
                }
                default -> {
                    // The rest changes nothing that is stored, beyond the outbox.
                }
            }
        }
        int peopleAfter = model.people();
        Boolean occupied = peopleBefore == 0 && peopleAfter > 0 ? Boolean.TRUE
                : peopleBefore > 0 && peopleAfter == 0 ? Boolean.FALSE : null;
        // A room whose last member left while the row still says so: the state as it is, with the flag.
        if (occupied != null && room == null && model.ended()) room = model.room();
        return new UnitOfWork(roomId, room, occupied, memberships, bans, blocks, timersSet, timersCleared, outbox,
                comments.writes(), sales, refunds, notifications.of(roomBefore, model, command, events, at));
    }

    private static boolean keeps(Role r) {
        return r == Role.CO_HOST || r == Role.MODERATOR || r == Role.STAGE;
    }

    private static Membership membership(String roomId, MemberView m, Role role, Instant at) {
        return new Membership(roomId, m.identity(), m.displayName(), role, at, at);
    }
}
