package org.salotto.rooms.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.store.Identities;
import org.salotto.rooms.store.Room;

/**
 * One room's state machine with a clock the test moves and counted ids: what the rules tests and the property test
 * drive, with no executor, database or socket.
 */
final class RoomHarness {
    static final long HOST = 1;
    /** Small limits, so that random command sequences reach them. */
    static final RoomsConfig SMALL = new RoomsConfig(5, 3, 2, 3, 3, Duration.ofSeconds(30), Duration.ofMillis(100),
            Duration.ofMinutes(10), Duration.ofDays(1), Duration.ofSeconds(20));

    final RoomMachine machine;
    final RoomModel model;
    Instant now = Instant.parse("2026-12-01T12:00:00Z");
    private final AtomicInteger connections = new AtomicInteger();
    final List<RoomEvent> events = new ArrayList<>();

    RoomHarness(RoomKind kind, RoomsConfig config, boolean knock) {
        this(kind, config, knock, RoomMachine.NO_LOBBY_LIMIT);
    }

    RoomHarness(RoomKind kind, RoomsConfig config, boolean knock, int lobbyMaxPeople) {
        this(kind, config, knock, lobbyMaxPeople, false);
    }

    /** {@code practice}: a live opened in its backstage. */
    RoomHarness(RoomKind kind, RoomsConfig config, boolean knock, int lobbyMaxPeople, boolean practice) {
        AtomicInteger ids = new AtomicInteger();
        Room room = new Room("room1", HOST, kind, "a room", "hanging_out", Visibility.PUBLIC, null, RoomState.OPEN,
                false, knock, now, null, practice);
        this.model = new RoomModel(room, null);
        this.machine = new RoomMachine(model, config, prefix -> prefix + ids.incrementAndGet(), lobbyMaxPeople);
    }

    static Actor account(long id) {
        return new Actor(Identities.account(id), id);
    }

    static Actor guest(String name) {
        return new Actor(Identities.guest(name), -1);
    }

    List<RoomEvent> run(Command c) throws RoomException {
        List<RoomEvent> out = machine.handle(c, now);
        events.addAll(out);
        return out;
    }

    /** Joins {@code who} on a new connection; returns their participant id, or null if they wait in the lobby. */
    String join(Actor who) throws RoomException {
        return join(who, false, false, null);
    }

    String join(Actor who, boolean banned, boolean blocked, Role stored) throws RoomException {
        long connection = connections.incrementAndGet();
        for (RoomEvent e : run(new Command.Join(new Entrant(who.identity(), who.accountId(), who.identity(), banned,
                blocked, stored, connection)))) {
            if (e instanceof RoomEvent.MemberJoined j) return j.member().participantId();
            if (e instanceof RoomEvent.Replaced r) return r.participantId();
        }
        return null;
    }

    long nextConnection() {
        return connections.incrementAndGet();
    }

    Role role(String participantId) {
        return model.member(participantId).map(MemberView::role).orElse(null);
    }

    String pid(Actor who) {
        return model.memberByIdentity(who.identity()).map(MemberView::participantId).orElse(null);
    }

    void advance(Duration d) {
        now = now.plus(d);
    }
}
