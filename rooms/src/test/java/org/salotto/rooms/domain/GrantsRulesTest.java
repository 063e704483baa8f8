package org.salotto.rooms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.salotto.rooms.domain.RoomHarness.HOST;
import static org.salotto.rooms.domain.RoomHarness.account;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.Grants;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.signaling.protocol.ErrorCode;

/** What a join token's grants change in the room's rules: the role taken, the admin grant, changing grants live. */
class GrantsRulesTest {
    private static final Grants LISTEN = new Grants(Set.of(), true, false, false, null);

    private static Actor app(String user) {
        return new Actor("k:AbCdEfGhIjKl:" + user, -1);
    }

    private static String join(RoomHarness h, Actor who, Grants grants) throws RoomException {
        for (RoomEvent e : h.run(new Command.Join(new Entrant(who.identity(), who.accountId(), who.identity(), false, false,
                null, h.nextConnection(), grants, "meta of " + who.identity())))) {
            if (e instanceof RoomEvent.MemberJoined j) return j.member().participantId();
        }
        return null;
    }

    @Test
    void aTokensRoleIsTakenWithinTheKindsLimits() throws Exception {
        RoomHarness h = new RoomHarness(RoomKind.SPACE, RoomHarness.SMALL, false);
        h.join(account(HOST));
        String speaker = join(h, app("s1"), new Grants(Set.of(Grants.Source.MICROPHONE), true, false, false, "speaker"));
        assertEquals(Role.STAGE, h.role(speaker));
        assertEquals("meta of k:AbCdEfGhIjKl:s1", h.model.member(speaker).orElseThrow().metadata());
        String listener = join(h, app("l1"), LISTEN);
        assertEquals(Role.AUDIENCE, h.role(listener), "no role: the kind's default");
        assertEquals(ErrorCode.INVALID_TOKEN, assertThrows(RoomException.class,
                () -> join(h, app("x"), new Grants(Set.of(), true, false, false, "viewer"))).errorCode(), "a live's role in a space");
        // SMALL has room for 3 speakers: the stage fills as the host's choices would.
        join(h, app("s2"), new Grants(Set.of(), true, false, false, "speaker"));
        join(h, app("s3"), new Grants(Set.of(), true, false, false, "speaker"));
        assertEquals(ErrorCode.STAGE_FULL, assertThrows(RoomException.class,
                () -> join(h, app("s4"), new Grants(Set.of(), true, false, false, "speaker"))).errorCode());
    }

    @Test
    void theAdminGrantManagesTheRoomAsACoHost() throws Exception {
        RoomHarness h = new RoomHarness(RoomKind.SPACE, RoomHarness.SMALL, false);
        h.join(account(HOST));
        String admin = join(h, app("admin"), new Grants(Set.of(), true, true, false, null));
        String other = join(h, app("other"), LISTEN);
        String plain = join(h, app("plain"), LISTEN);
        assertEquals(Role.AUDIENCE, h.role(admin), "an admin listener is still a listener");
        h.run(new Command.SetLocked(app("admin"), true));
        assertTrue(h.model.room().locked());
        h.run(new Command.Remove(app("admin"), other));
        assertNull(h.role(other));
        assertEquals(ErrorCode.NOT_ALLOWED, assertThrows(RoomException.class,
                () -> h.run(new Command.Remove(app("plain"), admin))).errorCode());
        assertEquals(Role.AUDIENCE, h.role(plain));
    }

    @Test
    void onlyTheHostsAccountChangesGrantsAndOnlyAChangeIsAnEvent() throws Exception {
        RoomHarness h = new RoomHarness(RoomKind.CALL, RoomsConfig.defaults(), false);
        String host = h.join(account(HOST));
        String ann = join(h, app("ann"), new Grants(Set.of(Grants.Source.CAMERA, Grants.Source.MICROPHONE), true, false, false, null));
        String bob = join(h, app("bob"), new Grants(Set.of(), true, true, false, null));
        assertEquals(ErrorCode.NOT_ALLOWED, assertThrows(RoomException.class, () -> h.run(
                new Command.SetGrants(app("bob"), ann, Set.of(), null, null, null))).errorCode(), "not even an admin");
        assertEquals(ErrorCode.NOT_ALLOWED, assertThrows(RoomException.class, () -> h.run(
                new Command.SetGrants(account(HOST), host, Set.of(), null, null, null))).errorCode(), "not the host's own");
        List<RoomEvent> events = h.run(new Command.SetGrants(account(HOST), ann, Set.of(Grants.Source.MICROPHONE), false, null, null));
        RoomEvent.GrantsChanged changed = (RoomEvent.GrantsChanged) events.getFirst();
        assertEquals(new Grants(Set.of(Grants.Source.MICROPHONE), false, false, false, null), changed.grants());
        assertEquals(changed.grants(), h.model.member(ann).orElseThrow().grants());
        assertTrue(h.run(new Command.SetGrants(account(HOST), ann, Set.of(Grants.Source.MICROPHONE), null, null, null)).isEmpty(),
                "the same grants again change nothing");
        h.run(new Command.SetGrants(account(HOST), bob, null, null, false, true));
        assertTrue(h.model.member(bob).orElseThrow().hidden());
        assertFalse(h.model.member(bob).orElseThrow().grants().admin());
        assertEquals(ErrorCode.NOT_IN_ROOM, assertThrows(RoomException.class, () -> h.run(
                new Command.SetGrants(account(HOST), "p404", Set.of(), null, null, null))).errorCode());
    }
}
