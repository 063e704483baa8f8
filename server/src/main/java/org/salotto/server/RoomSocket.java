package org.salotto.server;

import org.salotto.rooms.runtime.RoomRuntime;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.salotto.rooms.RoomService;
import org.salotto.rooms.session.ClientSession;
import org.salotto.signaling.ClientConnection;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.FrameCodec;
import org.salotto.signaling.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket of one person in one room: frames in go to the rooms layer, frames out go one at a time. It reads one
 * frame at a time ({@code autoDemand = false}: the next is asked for once the last was handled). A socket cut off for
 * flooding gets its error at once, handles nothing more but reads on (its backlog thrown away, never decoded), and is
 * closed only a linger later ({@link #cutOff}): a client still writing when the connection closes fails its write,
 * and may throw away what it had received but not handed over, the error that says why among it.
 */
@WebSocket(autoDemand = false)
public final class RoomSocket implements ClientConnection {
    private static final Logger log = LoggerFactory.getLogger(RoomSocket.class);

    /**
     * How long a socket cut off for flooding stays open after its error, for the client to read it before the close
     * frame; dropped one more such time later if it has not answered the close. Not a wait anyone sees: the error
     * reaches the client at once, and its room saw it leave at once.
     */
    static final Duration CUT_OFF_LINGER = Duration.ofSeconds(1);

    private final RoomService rooms;
    private final String room;
    private final RoomSockets sockets;
    private final Scheduler scheduler;
    private volatile Session session;
    private volatile ClientSession roomSession;
    /** Set once the socket was cut off: no frame is handled after that. */
    private volatile boolean cut;

    RoomSocket(RoomService rooms, String room, RoomSockets sockets, Scheduler scheduler) {
        this.rooms = rooms;
        this.room = room;
        this.sockets = sockets;
        this.scheduler = scheduler;
    }

    String roomId() {
        return room;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        this.session = session;
        sockets.opened(this);
        this.roomSession = rooms.connect(room, this);
        session.demand();
    }

    @OnWebSocketMessage
    public void onText(String text) {
        ClientSession s = roomSession;
        try {
            if (s != null && !cut) s.onMessage(text);
        } finally {
            session.demand();
        }
    }

    @OnWebSocketClose
    public void onClose(int status, String reason) {
        ClientSession s = roomSession;
        if (s != null) s.onClosed();
        sockets.closed(this);
    }

    @OnWebSocketError
    public void onError(Throwable cause) {
        ClientSession s = roomSession;
        if (cause instanceof MessageTooLargeException && s != null) {
            // Through the session's outbox like every other frame: one writer per socket, in order.
            s.outbox().send(new ServerFrame.Error(ErrorCode.MESSAGE_TOO_LARGE,
                    "a frame may be at most " + SalottoServer.MAX_FRAME_BYTES + " bytes", null));
        } else {
            log.debug("websocket error in room {}", room, cause);
        }
    }

    /** Sends one frame and waits for it to be written, so that frames never overlap. */
    @Override
    public synchronized void send(String json) {
        Session s = session;
        if (s == null || !s.isOpen()) return;
        Callback.Completable done = new Callback.Completable();
        s.sendText(json, done);
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("could not send to a client in room {}", room, e);
        }
    }

    /**
     * A draining node of a cluster closes this socket normally (1000): its room goes on elsewhere, or another node
     * serves it. After what its outbox still holds (a moved room's {@code wrong_node}); nothing if that closed it.
     */
    void moveOn() {
        ClientSession s = roomSession;
        if (s != null) s.outbox().closeAfterFlush(RoomRuntime.MOVED);
        else close(RoomRuntime.MOVED);
    }

    @Override
    public void cutOff(String errorFrame, String reason) {
        cut = true;
        Session s = session;
        if (s == null || !s.isOpen()) return;
        log.debug("cutting off a client in room {}: {}", room, reason);
        // Not through send(): the outbox's writer may hold its lock, waiting for the last frame it wrote, while this
        // (the reading) thread holds the session's. Jetty queues the error after a frame being written. The close
        // frame waits for the linger: a client still flooding when the connection closes fails its next write, and a
        // client library that fails a write drops what it had received and not yet handed over, the error among it.
        // Meanwhile reading goes on, handling nothing; a client that floods on through the close is dropped.
        s.sendText(errorFrame, Callback.NOOP);
        scheduler.schedule(() -> s.close(StatusCode.POLICY_VIOLATION, reason, Callback.NOOP), CUT_OFF_LINGER.toNanos(),
                TimeUnit.NANOSECONDS);
        scheduler.schedule(s::disconnect, 2 * CUT_OFF_LINGER.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** While the server drains, every close is 1012 (service restart): the client knows to come back later. */
    @Override
    public void close(String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            // A room moved to another node goes on there: not the "service restart" (1012) of a drain.
            boolean restart = (sockets.draining() || rooms.draining()) && !RoomRuntime.MOVED.equals(reason);
            s.close(restart ? StatusCode.SERVICE_RESTART : StatusCode.NORMAL, reason, Callback.NOOP);
        }
    }
}
