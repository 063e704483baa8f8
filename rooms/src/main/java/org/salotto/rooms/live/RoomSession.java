package org.salotto.rooms.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;
import org.salotto.rooms.Activities;
import org.salotto.rooms.Caller;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.auth.Tokens;
import org.salotto.rooms.auth.Tokens.JoinGrant;
import org.salotto.rooms.store.Room;
import org.salotto.signaling.ClientConnection;
import org.salotto.signaling.MediaSession;
import org.salotto.signaling.Messages;
import org.salotto.signaling.Outbox;
import org.salotto.signaling.SignalingException;
import org.salotto.signaling.sdp.SdpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket of one person in one room (docs/protocol.md). Every frame is checked here, at the edge; a bad one
 * gets an {@code error} frame with a stable code and leaves the connection and the room as they were. Frames of one
 * connection arrive one at a time.
 */
public final class RoomSession {
    private static final Logger log = LoggerFactory.getLogger(RoomSession.class);
    private static final AtomicLong ERROR_REFS = new AtomicLong();

    private enum State { NEW, WAITING, JOINED, GONE }

    private final String roomId;
    private final Tokens tokens;
    private final LiveRooms rooms;
    private final Outbox outbox;
    // Written by the room (under its lock, maybe on another thread) when it admits or removes this person.
    private volatile State state = State.NEW;
    private volatile LiveRoom room;
    private volatile Member member;
    private volatile String lobbyId;
    private Caller caller;

    public RoomSession(String roomId, ClientConnection connection, Tokens tokens, LiveRooms rooms) {
        this.roomId = roomId;
        this.tokens = tokens;
        this.rooms = rooms;
        this.outbox = new Outbox(connection, roomId);
    }

    public synchronized void onMessage(String text) {
        JsonNode ref = null;
        try {
            ObjectNode frame = Messages.parse(text);
            ref = Messages.ref(frame);
            String type = frame.get("type").asText();
            switch (type) {
                case "join" -> join(frame);
                case "ping" -> {
                    Messages.allowOnly(frame);
                    ObjectNode pong = Messages.message("pong");
                    if (ref != null) pong.set("ref", ref);
                    outbox.send(Messages.text(pong));
                }
                case "leave" -> {
                    Messages.allowOnly(frame);
                    if (state == State.NEW || state == State.GONE) throw new SignalingException("not_joined", "send 'join' first");
                    leave("left");
                    outbox.closeAfterFlush("left");
                }
                default -> joinedFrame(type, frame, ref);
            }
        } catch (SignalingException e) {
            outbox.send(Messages.error(e.code(), e.getMessage(), ref));
        } catch (RoomException e) {
            outbox.send(Messages.error(e.code().apiName(), e.getMessage(), ref));
        } catch (SdpException e) {
            outbox.send(Messages.error(SdpException.ERROR_CODE, e.getMessage(), ref));
        } catch (RuntimeException e) {
            long n = ERROR_REFS.incrementAndGet();
            log.error("internal error #{} handling a frame in room {}", n, roomId, e);
            outbox.send(Messages.error("internal", "internal error #" + n + "; the server log has the details", ref));
        }
    }

    /** The connection is gone. */
    public synchronized void onClosed() {
        leave("connection closed");
        outbox.stop();
    }

    private void join(ObjectNode frame) throws SignalingException, RoomException {
        Messages.allowOnly(frame, "token");
        if (state != State.NEW) throw new SignalingException("already_joined", "you have joined this room already");
        JoinGrant grant = tokens.readJoinToken(Messages.requiredText(frame, "token", 4096));
        if (!grant.roomId().equals(roomId)) {
            throw new RoomException(RoomException.Code.INVALID_TOKEN, "this join token is for another room");
        }
        Room r = rooms.store().room(roomId).orElseThrow(RoomException::notFound);
        caller = new Caller(grant.identity(), org.salotto.rooms.store.Identities.accountId(grant.identity()), null);
        rooms.enter(this, grant, r);
    }

    private void joinedFrame(String type, ObjectNode frame, JsonNode ref) throws SignalingException, SdpException, RoomException {
        if (state == State.WAITING) throw new SignalingException("waiting", "you are waiting in the lobby");
        if (state != State.JOINED) throw new SignalingException("not_joined", "send 'join' first");
        switch (type) {
            case "raiseHand", "lowerHand" -> {
                Messages.allowOnly(frame);
                room.raiseHand(caller, type.equals("raiseHand"));
            }
            case "acceptInvitation", "declineInvitation" -> {
                Messages.allowOnly(frame);
                room.answerInvitation(caller, type.equals("acceptInvitation"));
            }
            case "leaveStage" -> {
                Messages.allowOnly(frame);
                room.setRole(caller, member.participantId, org.salotto.rooms.Role.AUDIENCE);
            }
            case "react" -> {
                Messages.allowOnly(frame, "emoji");
                String emoji = Messages.requiredText(frame, "emoji", 16);
                if (!Activities.startsWithEmoji(emoji)) throw new SignalingException("bad_message", "'emoji' must be an emoji");
                room.react(caller, emoji);
            }
            default -> {
                MediaSession media = room.mediaOf(member);
                if (media == null || !media.handle(type, frame, ref)) {
                    throw new SignalingException("unknown_type", "unknown message type '" + type + "'");
                }
            }
        }
    }

    /** Idempotent: the room ignores a member who is gone already. */
    private void leave(String reason) {
        state = State.GONE;
        LiveRoom r = room;
        if (r == null) return;
        Member m = member;
        if (m != null) r.leave(m, reason);
        else if (lobbyId != null) r.leaveLobby(lobbyId);
    }

    // ---- called by the room, under its lock ----

    void waiting(LiveRoom room, String lobbyId) {
        this.room = room;
        this.lobbyId = lobbyId;
        this.state = State.WAITING;
    }

    void joined(LiveRoom room, Member member) {
        this.room = room;
        this.member = member;
        this.state = State.JOINED;
    }

    Outbox outbox() {
        return outbox;
    }

    void closeAfterFlush(String reason) {
        state = State.GONE;
        outbox.closeAfterFlush(reason);
    }
}
