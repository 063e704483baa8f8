package org.salotto.rooms.session;

import java.util.concurrent.atomic.AtomicBoolean;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.auth.Tokens.JoinGrant;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.runtime.Client;
import org.salotto.rooms.runtime.OpenRoom;
import org.salotto.rooms.runtime.RoomRuntime;
import org.salotto.signaling.ClientConnection;
import org.salotto.signaling.Conference;
import org.salotto.signaling.MediaSession;
import org.salotto.signaling.Outbox;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * A member whose only connection is its media: a WHIP publisher or a WHEP viewer (docs/api.md "WHIP and WHEP"). It
 * joins like anyone (the room decides its role, everyone sees it come and go) but hears no frames: what the room
 * would tell it is dropped, except what ends it. Its media connection closing (consent expired, DTLS closed), its
 * removal and the room's end all end it: it leaves the room and its owner is told once ({@code onEnded}).
 *
 * <p>There is no resume: it has no socket to lose. Its client ends it with an HTTP DELETE ({@link #leave}).
 */
public final class MediaOnlyMember implements Client {
    private final String roomId;
    private final RoomRuntime runtime;
    private final Conference.Receiving receiving;
    private final long connection = RoomRuntime.newConnection();
    private final Outbox outbox;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Runnable onEnded;
    private volatile String participantId;
    private volatile MediaSession media;
    private volatile boolean waiting;
    private volatile String lobbyId;

    /**
     * @param receiving {@code NOTHING} for a WHIP publisher, {@code CLIENT_OFFERS} for a WHEP viewer
     * @param onEnded   run once when this member is over for any reason but {@link #leave} (removed, room ended,
     *                  media connection closed)
     */
    public MediaOnlyMember(String roomId, RoomRuntime runtime, Conference.Receiving receiving, Runnable onEnded) {
        this.roomId = roomId;
        this.runtime = runtime;
        this.receiving = receiving;
        this.onEnded = onEnded;
        this.outbox = new Outbox(new Frames(), roomId);
    }

    /**
     * Joins the room with the grant (already checked for this room). A room that would put the person in its lobby
     * is refused: a WHIP or WHEP client cannot wait to be let in.
     *
     * @return the member's media session
     * @throws RoomException what the join is refused with
     */
    public MediaSession join(JoinGrant grant) throws RoomException {
        runtime.join(this, grant);
        if (waiting) {
            ended.set(true);
            if (lobbyId != null) runtime.tell(roomId, new Command.LeaveLobby(lobbyId));
            throw new RoomException(ErrorCode.NOT_ALLOWED,
                    "this room lets people in from its lobby, which a WHIP or WHEP client cannot wait in: ask its host");
        }
        MediaSession m = media;
        if (m == null) throw new RoomException(ErrorCode.NOT_IN_ROOM, "the room did not take you in: try again");
        return m;
    }

    public String participantId() {
        return participantId;
    }

    public String roomId() {
        return roomId;
    }

    /** Leaves the room (the client's DELETE): everyone sees this member leave. Idempotent. */
    public void leave(String reason) {
        ended.set(true);
        String pid = participantId;
        if (pid != null) runtime.tell(roomId, new Command.Leave(pid, reason));
    }

    /** Whether this member is over (left, removed, room ended, media closed). */
    public boolean isEnded() {
        return ended.get();
    }

    /**
     * @param tellRoom whether the room must hear that the member leaves: not when the room itself ended it (removed,
     *                 ended, replaced by the same person's new connection, whose place a Leave would take)
     */
    private void end(String reason, boolean tellRoom) {
        if (!ended.compareAndSet(false, true)) return;
        String pid = participantId;
        if (tellRoom && pid != null) runtime.tell(roomId, new Command.Leave(pid, reason));
        onEnded.run();
    }

    /** What the room sends this member: nothing is read but what ends it. */
    private final class Frames implements ClientConnection {
        @Override
        public void send(String json) {
            // Only a media connection closing matters; FrameCodec writes the type first.
            if (json.startsWith("{\"type\":\"transportClosed\"")) end("media connection closed", true);
        }

        @Override
        public void close(String reason) {
            end(reason, false);
        }
    }

    // ---- Client: told by the room, on its executor ----

    @Override
    public long connection() {
        return connection;
    }

    @Override
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void entered(OpenRoom room, String participantId, MediaSession media) {
        this.participantId = participantId;
        this.media = media;
    }

    @Override
    public void waiting(OpenRoom room, String lobbyId) {
        this.lobbyId = lobbyId;
        this.waiting = true;
    }

    @Override
    public void gone() {
        media = null;
        if (participantId != null) end("gone", false);
    }

    @Override
    public Conference.Receiving receiving() {
        return receiving;
    }
}
