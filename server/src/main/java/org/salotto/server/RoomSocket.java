package org.salotto.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.salotto.rooms.live.RoomSession;
import org.salotto.signaling.ClientConnection;
import org.salotto.signaling.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The WebSocket of one person in one room: frames in go to the rooms layer, frames out go one at a time. */
@WebSocket
public final class RoomSocket implements ClientConnection {
    private static final Logger log = LoggerFactory.getLogger(RoomSocket.class);

    private final RoomService rooms;
    private final String room;
    private final RoomSockets sockets;
    private volatile Session session;
    private volatile RoomSession roomSession;
    /** Set when the drain has sent its last frame: nothing else goes out (see {@link #endForDrain}). */
    private boolean ended;

    RoomSocket(RoomService rooms, String room, RoomSockets sockets) {
        this.rooms = rooms;
        this.room = room;
        this.sockets = sockets;
    }

    String roomId() {
        return room;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        this.session = session;
        sockets.opened(this);
        this.roomSession = rooms.connect(room, this);
    }

    @OnWebSocketMessage
    public void onText(String text) {
        if (sockets.draining() && refusedWhileDraining(text)) return;
        RoomSession s = roomSession;
        if (s != null) s.onMessage(text);
    }

    /** A draining server takes no new joins (docs/operations.md, "Stop"); other frames go on as usual. */
    private boolean refusedWhileDraining(String text) {
        JsonNode frame;
        try {
            frame = Messages.JSON.readTree(text);
        } catch (Exception e) {
            return false; // the room session answers a bad frame as it always does
        }
        if (!"join".equals(frame.path("type").asText())) return false;
        JsonNode ref = frame.get("id"); // answered as the frame's "ref", as every answer is
        boolean usable = ref != null && (ref.isTextual() || ref.isIntegralNumber());
        send(Messages.error(SalottoServer.SERVER_DRAINING, SalottoServer.DRAINING_REFUSAL, usable ? ref : null));
        return true;
    }

    @OnWebSocketClose
    public void onClose(int status, String reason) {
        RoomSession s = roomSession;
        if (s != null) s.onClosed();
        sockets.closed(this);
    }

    @OnWebSocketError
    public void onError(Throwable cause) {
        if (cause instanceof MessageTooLargeException) {
            send("{\"type\":\"error\",\"code\":\"message_too_large\",\"message\":\"a frame may be at most "
                    + SalottoServer.MAX_FRAME_BYTES + " bytes\"}");
        } else {
            log.debug("websocket error in room {}", room, cause);
        }
    }

    /** Sends one frame and waits for it to be written, so that frames never overlap. */
    @Override
    public synchronized void send(String json) {
        Session s = session;
        if (ended || s == null || !s.isOpen()) return;
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

    /** While the server drains, every close is 1012 (service restart): the client knows to come back later. */
    @Override
    public void close(String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(sockets.draining() ? StatusCode.SERVICE_RESTART : StatusCode.NORMAL, reason, Callback.NOOP);
        }
    }

    /**
     * The drain's last word: sends {@code frame} and closes with 1012 (service restart). Frames the room sends after
     * this (its own {@code roomEnded}, people leaving) are dropped: the client has been told what happened.
     */
    synchronized void endForDrain(String frame) {
        send(frame);
        ended = true;
        Session s = session;
        if (s != null && s.isOpen()) s.close(StatusCode.SERVICE_RESTART, "Salotto is restarting", Callback.NOOP);
    }
}
