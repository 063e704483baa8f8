package org.salotto.rooms.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;
import org.salotto.rooms.Activities;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.auth.Tokens;
import org.salotto.rooms.auth.Tokens.JoinGrant;
import org.salotto.rooms.domain.Actor;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.runtime.Client;
import org.salotto.rooms.runtime.OpenRoom;
import org.salotto.rooms.runtime.RoomRuntime;
import org.salotto.rooms.store.Identities;
import org.salotto.signaling.ClientConnection;
import org.salotto.signaling.MediaSession;
import org.salotto.signaling.Messages;
import org.salotto.signaling.Outbox;
import org.salotto.signaling.SignalingException;
import org.salotto.signaling.sdp.SdpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket of one person in one room (docs/protocol.md), the edge of the room runtime: every frame is checked
 * here; a bad one gets an {@code error} frame with a stable code and leaves the connection and the room as they
 * were. Room actions become commands of the room's runtime; media frames go to the person's media session.
 *
 * <p>Frames of one connection arrive one at a time. The connection outlives neither the socket nor the member: a
 * socket that drops without {@code leave} leaves the member in the room for the resume grace, and a new socket
 * takes it over with {@code resume}.
 */
public final class ClientSession implements Client {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    private static final AtomicLong ERROR_REFS = new AtomicLong();

    private enum State { NEW, WAITING, JOINED, GONE }

    private final String roomId;
    private final Tokens tokens;
    private final RoomRuntime runtime;
    private final Outbox outbox;
    private final long connection = RoomRuntime.newConnection();
    // Written by the room's executor when it admits, removes or replaces this client.
    private volatile State state = State.NEW;
    private volatile String participantId;
    private volatile String lobbyId;
    private volatile MediaSession media;
    private volatile Actor actor;
    private volatile boolean leaving;

    public ClientSession(String roomId, ClientConnection connection, Tokens tokens, RoomRuntime runtime) {
        this.roomId = roomId;
        this.tokens = tokens;
        this.runtime = runtime;
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
                case "resume" -> resume(frame);
                case "ping" -> {
                    Messages.allowOnly(frame);
                    ObjectNode pong = Messages.message("pong");
                    if (ref != null) pong.set("ref", ref);
                    outbox.send(Messages.text(pong));
                }
                case "leave" -> {
                    Messages.allowOnly(frame);
                    if (state == State.NEW || state == State.GONE) throw new SignalingException("not_joined", "send 'join' first");
                    leaving = true;
                    leave();
                    outbox.closeAfterFlush("left");
                }
                default -> memberFrame(type, frame, ref);
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

    /** The socket is gone: a member stays for the resume grace; someone waiting leaves the lobby. */
    public synchronized void onClosed() {
        State was = state;
        state = State.GONE;
        outbox.stop();
        if (leaving) return;
        if (was == State.JOINED && participantId != null) {
            submitQuietly(new Command.Disconnect(participantId, connection));
        } else if (was == State.WAITING && lobbyId != null) {
            submitQuietly(new Command.LeaveLobby(lobbyId));
        }
    }

    private void join(ObjectNode frame) throws SignalingException, RoomException {
        Messages.allowOnly(frame, "token");
        if (state != State.NEW) throw new SignalingException("already_joined", "you have joined this room already");
        JoinGrant grant = tokens.readJoinToken(Messages.requiredText(frame, "token", 4096));
        if (!grant.roomId().equals(roomId)) {
            throw new RoomException(RoomException.Code.INVALID_TOKEN, "this join token is for another room");
        }
        actor = new Actor(grant.identity(), Identities.accountId(grant.identity()));
        runtime.join(this, grant);
    }

    private void resume(ObjectNode frame) throws SignalingException, RoomException {
        Messages.allowOnly(frame, "token");
        if (state != State.NEW) throw new SignalingException("already_joined", "you have joined this room already");
        Tokens.ResumeGrant grant = tokens.readResumeToken(Messages.requiredText(frame, "token", 4096));
        if (!grant.roomId().equals(roomId)) {
            throw new RoomException(RoomException.Code.RESUME_FAILED, "this resume token is for another room");
        }
        actor = new Actor(grant.identity(), Identities.accountId(grant.identity()));
        runtime.resume(this, grant);
    }

    private void memberFrame(String type, ObjectNode frame, JsonNode ref) throws SignalingException, SdpException, RoomException {
        if (state == State.WAITING) throw new SignalingException("waiting", "you are waiting in the lobby");
        if (state != State.JOINED) throw new SignalingException("not_joined", "send 'join' first");
        Command command = switch (type) {
            case "raiseHand", "lowerHand" -> {
                Messages.allowOnly(frame);
                yield new Command.RaiseHand(actor, type.equals("raiseHand"));
            }
            case "acceptInvitation", "declineInvitation" -> {
                Messages.allowOnly(frame);
                yield new Command.AnswerInvitation(actor, type.equals("acceptInvitation"));
            }
            case "leaveStage" -> {
                Messages.allowOnly(frame);
                yield new Command.LeaveStage(actor);
            }
            case "react" -> {
                Messages.allowOnly(frame, "emoji");
                String emoji = Messages.requiredText(frame, "emoji", 16);
                if (!Activities.startsWithEmoji(emoji)) throw new SignalingException("bad_message", "'emoji' must be an emoji");
                yield new Command.React(actor, emoji);
            }
            default -> null;
        };
        if (command != null) {
            runtime.act(roomId, command);
            return;
        }
        MediaSession m = media;
        if (m == null || !m.handle(type, frame, ref)) {
            throw new SignalingException("unknown_type", "unknown message type '" + type + "'");
        }
    }

    private void leave() {
        String pid = participantId;
        String waitingIn = lobbyId;
        State was = state;
        state = State.GONE;
        if (was == State.JOINED && pid != null) submitQuietly(new Command.Leave(pid, "left"));
        else if (was == State.WAITING && waitingIn != null) submitQuietly(new Command.LeaveLobby(waitingIn));
    }

    private void submitQuietly(Command command) {
        runtime.tell(roomId, command);
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
        this.lobbyId = null;
        this.state = State.JOINED;
    }

    @Override
    public void waiting(OpenRoom room, String lobbyId) {
        this.lobbyId = lobbyId;
        this.state = State.WAITING;
    }

    @Override
    public void gone() {
        this.state = State.GONE;
        this.media = null;
    }
}
