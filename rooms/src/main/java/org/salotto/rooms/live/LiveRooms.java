package org.salotto.rooms.live;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.auth.Tokens.JoinGrant;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.Store;
import org.salotto.signaling.SignalingService;

/**
 * The rooms people are in now, by id: created when the first person comes, forgotten when the last one goes. Also
 * what they share: the store, the signaling service, the limits, the timers.
 */
public final class LiveRooms {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final ConcurrentHashMap<String, LiveRoom> open = new ConcurrentHashMap<>();
    private final Store store;
    private final SignalingService signaling;
    private final RoomsConfig config;
    private final StageRules rules;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final Executor control;
    private final String linkPath;

    public LiveRooms(Store store, SignalingService signaling, RoomsConfig config, Clock clock,
                     ScheduledExecutorService timers, Executor control, String linkPath) {
        this.store = store;
        this.signaling = signaling;
        this.config = config;
        this.rules = new StageRules(config);
        this.clock = clock;
        this.timers = timers;
        this.control = control;
        this.linkPath = linkPath;
    }

    /** The open room of this id, or null if nobody is in it. */
    public LiveRoom get(String roomId) {
        return open.get(roomId);
    }

    /** Brings a person with a valid join grant into the room (or its lobby). */
    LiveRoom.Entry enter(RoomSession session, JoinGrant grant, Room room) throws RoomException {
        while (true) {
            LiveRoom live = open.computeIfAbsent(room.id(), id -> new LiveRoom(this, room));
            LiveRoom.Entry entry = live.enter(session, grant);
            if (entry != null) return entry;
            open.remove(room.id(), live); // closed meanwhile: try a fresh one
        }
    }

    void forget(LiveRoom room) {
        open.remove(room.id(), room);
    }

    /** A host-grace timer of a room instance that emptied out ran: apply it to the room as it is now. */
    void hostGraceOver(String roomId) {
        LiveRoom now = open.get(roomId);
        if (now != null) {
            now.hostGraceOver();
            return;
        }
        store.room(roomId).filter(r -> r.state() == RoomState.OPEN)
                .ifPresent(r -> store.updateRoom(r.withState(RoomState.ENDED, clock.instant())));
    }

    public int openRooms() {
        return open.size();
    }

    public int people() {
        int n = 0;
        for (LiveRoom r : open.values()) n += r.people();
        return n;
    }

    static String newId(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < 14; i++) b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return b.toString();
    }

    Store store() {
        return store;
    }

    SignalingService signaling() {
        return signaling;
    }

    RoomsConfig config() {
        return config;
    }

    StageRules rules() {
        return rules;
    }

    Clock clock() {
        return clock;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    Executor control() {
        return control;
    }

    String linkPath() {
        return linkPath;
    }
}
