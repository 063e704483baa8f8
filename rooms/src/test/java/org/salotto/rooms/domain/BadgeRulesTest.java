package org.salotto.rooms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.money.BadgePayment;
import org.salotto.signaling.protocol.ErrorCode;

/** The live's rules for a badge: a viewer (or the moderator) buys, for someone on stage; a refusal changes nothing. */
class BadgeRulesTest {
    private final RoomHarness h = new RoomHarness(RoomKind.LIVE, RoomsConfig.defaults(), false);
    private final Actor host = RoomHarness.account(RoomHarness.HOST);
    private final Actor guest = RoomHarness.guest("guest");
    private final Actor viewer = RoomHarness.guest("viewer");
    private final Actor moderator = RoomHarness.guest("moderator");

    private static BadgePayment payment(String purchaseId, int hearts) {
        return new BadgePayment(purchaseId, "tx_" + purchaseId, "room1", hearts, 499, 99, "USD", "ch_1", "key", "hash");
    }

    private String onStage() throws RoomException {
        String pid = h.join(guest);
        h.run(new Command.SetRole(host, pid, Role.STAGE));
        h.run(new Command.AnswerInvitation(guest, true));
        assertEquals(Role.STAGE, h.role(pid));
        return pid;
    }

    @Test
    void aViewerBuysABadgeForSomeoneOnStage() throws Exception {
        String hostPid = h.join(host);
        String guestPid = onStage();
        String viewerPid = h.join(viewer);
        List<RoomEvent> events = h.run(new Command.BuyBadge(viewer, guestPid, 3, payment("pu_1", 3)));
        assertEquals(List.of(new RoomEvent.BadgeBought("pu_1", viewerPid, viewer.identity(), viewer.identity(), guestPid,
                guest.identity(), 3)), events);
        // For the host too, who is on stage.
        assertEquals(1, h.run(new Command.BuyBadge(viewer, hostPid, 1, payment("pu_2", 1))).size());
    }

    @Test
    void theModeratorBuysTooButNobodyOnStage() throws Exception {
        String hostPid = h.join(host);
        String guestPid = onStage();
        String modPid = h.join(moderator);
        h.run(new Command.SetRole(host, modPid, Role.MODERATOR));
        assertEquals(1, h.run(new Command.BuyBadge(moderator, guestPid, 2, payment("pu_1", 2))).size());
        RoomException e = assertThrows(RoomException.class, () -> h.run(new Command.BuyBadge(guest, hostPid, 1, payment("pu_2", 1))));
        assertEquals(ErrorCode.NOT_ALLOWED, e.errorCode());
        e = assertThrows(RoomException.class, () -> h.run(new Command.BuyBadge(host, guestPid, 1, payment("pu_3", 1))));
        assertEquals(ErrorCode.NOT_ALLOWED, e.errorCode());
    }

    @Test
    void aBadgeForSomeoneNotOnStageOrFromSomeoneNotInTheLiveIsRefusedAndChangesNothing() throws Exception {
        h.join(host);
        String viewerPid = h.join(viewer);
        String otherPid = h.join(RoomHarness.guest("other"));
        int before = h.events.size();
        RoomException e = assertThrows(RoomException.class, () -> h.run(new Command.BuyBadge(viewer, otherPid, 1, payment("pu_1", 1))));
        assertEquals(ErrorCode.NOT_ON_STAGE, e.errorCode());
        e = assertThrows(RoomException.class, () -> h.run(new Command.BuyBadge(viewer, "p-gone", 1, payment("pu_1", 1))));
        assertEquals(ErrorCode.NOT_ON_STAGE, e.errorCode());
        e = assertThrows(RoomException.class, () -> h.run(new Command.BuyBadge(RoomHarness.guest("outsider"), viewerPid, 1,
                payment("pu_1", 1))));
        assertEquals(ErrorCode.NOT_ALLOWED, e.errorCode());
        e = assertThrows(RoomException.class, () -> h.run(new Command.BuyBadge(viewer, viewerPid, 4, payment("pu_1", 4))));
        assertEquals(ErrorCode.BAD_REQUEST, e.errorCode());
        assertEquals(before, h.events.size(), "nothing happened");
    }

    @Test
    void callsAndSpacesSellNoBadges() throws Exception {
        for (RoomKind kind : List.of(RoomKind.CALL, RoomKind.SPACE)) {
            RoomHarness room = new RoomHarness(kind, RoomsConfig.defaults(), false);
            String hostPid = room.join(host);
            room.join(viewer);
            RoomException e = assertThrows(RoomException.class,
                    () -> room.run(new Command.BuyBadge(viewer, hostPid, 1, payment("pu_1", 1))));
            assertEquals(ErrorCode.BAD_REQUEST, e.errorCode(), kind.toString());
            assertTrue(e.getMessage().contains("live"));
        }
    }
}
