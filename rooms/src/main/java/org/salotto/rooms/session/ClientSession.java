package org.salotto.rooms.session;

import java.util.concurrent.atomic.AtomicLong;
import org.salotto.rooms.Activities;
import org.salotto.rooms.Names;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.auth.Tokens.JoinGrant;
import org.salotto.rooms.auth.Tokens;
import org.salotto.rooms.domain.Actor;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.domain.IdSource;
import org.salotto.rooms.limits.Limiters;
import org.salotto.rooms.limits.TokenBucket;
import org.salotto.rooms.runtime.Client;
import org.salotto.rooms.runtime.OpenRoom;
import org.salotto.rooms.runtime.RoomRuntime;
import org.salotto.rooms.store.Identities;
import org.salotto.rooms.store.StoreException;
import org.salotto.signaling.ClientConnection;
import org.salotto.signaling.MediaSession;
import org.salotto.signaling.Outbox;
import org.salotto.signaling.SignalingException;
import org.salotto.signaling.protocol.ClientFrame;
import org.salotto.signaling.protocol.ControlException;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.FrameCodec;
import org.salotto.signaling.protocol.RequestId;
import org.salotto.signaling.protocol.ServerFrame;
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
    /** Comment ids: unguessable, like every id a client sees. */
    private static final IdSource COMMENT_IDS = IdSource.random();

    /** EDGE: a listener served on this node for a room another node owns (docs/scale.md "Audience relayed"). */
    private enum State { NEW, WAITING, JOINED, EDGE, GONE }

    private final String roomId;
    private final Tokens tokens;
    private final RoomRuntime runtime;
    private final Outbox outbox;
    private final ClientConnection socket;
    private final long connection = RoomRuntime.newConnection();
    private final Limiters limiters;
    /** Frames this connection may still send (limits.frames-per-connection): past it, an error and the socket closes. */
    private final TokenBucket frames;
    // Written by the room's executor when it admits, removes or replaces this client.
    private volatile State state = State.NEW;
    private volatile String participantId;
    private volatile String lobbyId;
    private volatile MediaSession media;
    private volatile Actor actor;
    private volatile boolean leaving;
    /** In state EDGE: the listener in this node's audience of a room owned elsewhere. */
    private volatile org.salotto.rooms.runtime.EdgeAudience.Listener edge;
    private boolean floodClosed;
    /**
     * On a room's owner: the session of an edge node's listener, whose frames come from that node (their join token
     * was redeemed there: checked here, not spent) and whose media are there.
     */
    private final boolean fromEdge;

    public ClientSession(String roomId, ClientConnection connection, Tokens tokens, RoomRuntime runtime, Limiters limiters) {
        this(roomId, connection, tokens, runtime, limiters, false);
    }

    /**
     * @param fromEdge the session, on the room's owner, of a listener another node serves (docs/scale.md "Audience
     *                 relayed across nodes"): {@code connection} carries frames to and from that node
     */
    public ClientSession(String roomId, ClientConnection connection, Tokens tokens, RoomRuntime runtime, Limiters limiters,
                         boolean fromEdge) {
        this.fromEdge = fromEdge;
        this.limiters = limiters;
        this.frames = limiters.newFrameBucket();
        this.roomId = roomId;
        this.tokens = tokens;
        this.runtime = runtime;
        this.outbox = new Outbox(connection, roomId);
        this.socket = connection;
    }

    public synchronized void onMessage(String text) {
        if (floodClosed) return; // cut off: the socket reads no more, this is a frame it had already read
        long waitNanos = frames.take(limiters.nanos());
        if (waitNanos > 0) {
            cutOff(waitNanos);
            return;
        }
        RequestId ref = null;
        try {
            FrameCodec.Request request = FrameCodec.decode(text);
            ref = request.id();
            switch (request.frame()) {
                case ClientFrame.Join join -> join(join, text);
                case ClientFrame.Resume resume -> resume(resume, text);
                case ClientFrame.Ping ping -> outbox.send(new ServerFrame.Pong(ref));
                case ClientFrame.Leave leave -> {
                    if (state == State.NEW || state == State.GONE) throw new SignalingException(ErrorCode.NOT_JOINED, "send 'join' first");
                    leaving = true;
                    leave(); // an edge's listener: their node tells the owner
                    outbox.closeAfterFlush("left");
                }
                default -> memberFrame(request.frame(), ref, text);
            }
        } catch (ControlException e) {
            outbox.send(new ServerFrame.Error(e, ref));
        } catch (SdpException e) {
            outbox.send(new ServerFrame.Error(ErrorCode.BAD_SDP, e.getMessage(), ref));
        } catch (StoreException.Unavailable e) {
            outbox.send(new ServerFrame.Error(ErrorCode.UNAVAILABLE, StoreException.Unavailable.MESSAGE, ref));
        } catch (RuntimeException e) {
            long n = ERROR_REFS.incrementAndGet();
            log.error("internal error #{} handling a frame in room {}", n, roomId, e);
            outbox.send(new ServerFrame.Error(ErrorCode.INTERNAL, "internal error #" + n + "; the server log has the details", ref));
        }
    }

    /**
     * Past the frame limit: one error, written on this (the reading) thread, and the socket cut off (it reads nothing
     * more, so a flood's backlog is never parsed). A member cut off leaves at once, with no resume grace (a flood's
     * rejoins would otherwise pile up people who are not there); someone waiting leaves the lobby.
     */
    private void cutOff(long waitNanos) {
        floodClosed = true;
        outbox.stop();
        // Gone before the socket closes: closing it may call onClosed on this thread, which must not see a member to
        // keep for the resume grace.
        String pid = participantId;
        String waitingIn = lobbyId;
        State was = state;
        state = State.GONE;
        if (was == State.EDGE) edge.leave();
        socket.cutOff(FrameCodec.encode(new ServerFrame.Error(Limiters.refusal("frames from this connection",
                frames.rate(), TokenBucket.millis(waitNanos)), null)).json(), "too many frames");
        if (was == State.JOINED && pid != null) submitQuietly(new Command.Leave(pid, "cut off for flooding"));
        else if (was == State.WAITING && waitingIn != null) submitQuietly(new Command.LeaveLobby(waitingIn));
    }

    /** The socket is gone: a member stays for the resume grace; someone waiting leaves the lobby. */
    public synchronized void onClosed() {
        State was = state;
        state = State.GONE;
        outbox.stop();
        if (was == State.EDGE) {
            // Their socket dropped without 'leave': on the owner they stay members for the resume grace.
            edge.dropped();
            return;
        }
        if (leaving) return;
        if (was == State.JOINED && participantId != null) {
            submitQuietly(new Command.Disconnect(participantId, connection));
        } else if (was == State.WAITING && lobbyId != null) {
            submitQuietly(new Command.LeaveLobby(lobbyId));
        }
    }

    private void join(ClientFrame.Join frame, String text) throws SignalingException, RoomException {
        if (state != State.NEW) throw new SignalingException(ErrorCode.ALREADY_JOINED, "you have joined this room already");
        if (fromEdge) {
            // Redeemed on the edge node: checked here, not spent, so the person may bring it here once themselves.
            JoinGrant grant = tokens.verifyJoinToken(frame.token());
            if (!grant.roomId().equals(roomId)) throw new RoomException(ErrorCode.WRONG_ROOM, "this join token is for another room");
            actor = new Actor(grant.identity(), Identities.accountId(grant.identity()));
            runtime.join(this, grant);
            return;
        }
        // With a cluster, a room another node owns is refused before the token is spent: the client takes it there;
        // unless this node serves it as a listener of the room's audience here (the edge).
        RoomException elsewhere = null;
        try {
            runtime.route(roomId);
        } catch (RoomException e) {
            if (e.errorCode() != ErrorCode.WRONG_NODE || !runtime.servesEdgeAudience()) throw e;
            elsewhere = e;
        }
        JoinGrant grant = tokens.redeemJoinToken(frame.token());
        if (!grant.roomId().equals(roomId)) {
            throw new RoomException(ErrorCode.WRONG_ROOM, "this join token is for another room");
        }
        if (elsewhere != null) {
            // The token is spent here only; the owner keeps its own record of spent tokens, and takes it again.
            var listener = runtime.joinAtEdge(this, grant, text, elsewhere);
            if (listener == null) throw elsewhere;
            edge = listener;
            state = State.EDGE;
            return;
        }
        // Each join of a room with a lobby is a knock: limited per person, whatever connection it comes from.
        Limiters.check(limiters.knocksPerPerson, roomId + " " + grant.identity(), "joins and knocks");
        actor = new Actor(grant.identity(), Identities.accountId(grant.identity()));
        runtime.join(this, grant);
    }

    private void resume(ClientFrame.Resume frame, String text) throws SignalingException, RoomException {
        if (state != State.NEW) throw new SignalingException(ErrorCode.ALREADY_JOINED, "you have joined this room already");
        Tokens.ResumeGrant grant = tokens.readResumeToken(frame.token());
        if (!grant.roomId().equals(roomId)) {
            throw new RoomException(ErrorCode.RESUME_FAILED, "this resume token is for another room");
        }
        if (!fromEdge) {
            // With a cluster, a room another node owns: a listener is served here again (the edge), whoever served
            // them before; anyone else is sent to the owner.
            try {
                runtime.route(roomId);
            } catch (RoomException e) {
                if (e.errorCode() != ErrorCode.WRONG_NODE || !runtime.servesEdgeAudience()) throw e;
                var listener = runtime.resumeAtEdge(this, grant, text, e);
                if (listener == null) throw e;
                edge = listener;
                state = State.EDGE;
                return;
            }
        }
        actor = new Actor(grant.identity(), Identities.accountId(grant.identity()));
        runtime.resume(this, grant);
    }

    /** A frame only a member may send: a room action becomes a command, a media frame goes to the media session. */
    private void memberFrame(ClientFrame frame, RequestId ref, String text) throws SignalingException, SdpException, RoomException {
        if (state == State.EDGE) {
            if (!(frame instanceof ClientFrame.MediaFrame m)) {
                // Decided by the room's owner, as for anyone there; its answer (an error with this ref) comes back.
                edge.forward(text);
                return;
            }
            MediaSession session = edge.media();
            if (session == null) throw new SignalingException(ErrorCode.NOT_JOINED, "wait for 'joined'");
            session.handle(m, ref);
            return;
        }
        if (fromEdge && frame instanceof ClientFrame.MediaFrame) {
            throw new SignalingException(ErrorCode.NOT_ALLOWED, "this listener's media are on their own node");
        }
        if (state == State.WAITING) throw new SignalingException(ErrorCode.WAITING, "you are waiting in the lobby");
        if (state != State.JOINED) throw new SignalingException(ErrorCode.NOT_JOINED, "send 'join' first");
        Command command = switch (frame) {
            case ClientFrame.RaiseHand f -> new Command.RaiseHand(actor, true);
            case ClientFrame.LowerHand f -> new Command.RaiseHand(actor, false);
            case ClientFrame.AcceptInvitation f -> new Command.AnswerInvitation(actor, true);
            case ClientFrame.DeclineInvitation f -> new Command.AnswerInvitation(actor, false);
            case ClientFrame.LeaveStage f -> new Command.LeaveStage(actor);
            case ClientFrame.React f -> {
                if (!Activities.startsWithEmoji(f.emoji())) throw new SignalingException(ErrorCode.BAD_MESSAGE, "'emoji' must be an emoji");
                Limiters.check(limiters.reactionsPerPerson, roomId + " " + actor.identity(), "reactions");
                yield new Command.React(actor, f.emoji());
            }
            case ClientFrame.Comment f -> {
                String said = Names.comment(f.text());
                Limiters.check(limiters.commentsPerPerson, roomId + " " + actor.identity(), "comments");
                yield new Command.Comment(actor, said, COMMENT_IDS.next("c"), runtime.now());
            }
            case ClientFrame.MediaFrame media -> null;
            case ClientFrame.Join f -> throw new IllegalStateException("handled above");
            case ClientFrame.Resume f -> throw new IllegalStateException("handled above");
            case ClientFrame.Leave f -> throw new IllegalStateException("handled above");
            case ClientFrame.Ping f -> throw new IllegalStateException("handled above");
        };
        if (command != null) {
            runtime.act(roomId, command);
            return;
        }
        MediaSession m = media;
        if (m == null) throw new SignalingException(ErrorCode.NOT_JOINED, "send 'join' first");
        m.handle((ClientFrame.MediaFrame) frame, ref);
    }

    private void leave() {
        if (state == State.EDGE) {
            state = State.GONE;
            edge.leave();
            return;
        }
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
    public boolean mediaElsewhere() {
        return fromEdge;
    }

    @Override
    public void gone() {
        this.state = State.GONE;
        this.media = null;
    }
}
