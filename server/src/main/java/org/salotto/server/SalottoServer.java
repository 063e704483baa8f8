package org.salotto.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.salotto.media.MediaServer;
import org.salotto.signaling.SignalingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Salotto process: the media plane on its UDP port, signaling, and the HTTP server (pages, WebSocket, health,
 * metrics). HTTP and WebSocket work runs on virtual threads; media runs on the media loop's own thread.
 */
public final class SalottoServer implements AutoCloseable {
    /** Largest signaling frame accepted; a bigger one closes the socket with an error. */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SalottoServer.class);

    private final ServerConfig config;
    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final MediaServer media;
    private final SignalingService signaling;
    private final Server http;
    private final ServerConnector connector;

    private SalottoServer(ServerConfig config) throws Exception {
        this.config = config;
        this.media = MediaServer.start(new InetSocketAddress(config.mediaHost(), config.mediaPort()), control);
        int mediaPort = media.localAddress().getPort();
        this.signaling = new SignalingService(media, config.announceAddress(), mediaPort);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("http");
        threads.setVirtualThreadsExecutor(control);
        this.http = new Server(threads);
        this.connector = new ServerConnector(http);
        connector.setHost(config.httpHost());
        connector.setPort(config.httpPort());
        http.addConnector(connector);

        WebSocketUpgradeHandler websockets = WebSocketUpgradeHandler.from(http, container -> {
            container.setMaxTextMessageSize(MAX_FRAME_BYTES);
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.addMapping("/ws/rooms/*", (request, response, callback) -> {
                String room = request.getHttpURI().getPath().substring("/ws/rooms/".length());
                return new RoomSocket(signaling, room);
            });
        });
        websockets.setHandler(new WebHandler(media.counters(), signaling));
        http.setHandler(websockets);
        http.start();
    }

    /** Starts a server and returns once it listens. */
    public static SalottoServer start(ServerConfig config) throws IOException {
        try {
            return new SalottoServer(config);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("could not start the HTTP server: " + e.getMessage(), e);
        }
    }

    public int httpPort() {
        return connector.getLocalPort();
    }

    public int mediaPort() {
        return media.localAddress().getPort();
    }

    public String baseUrl() {
        String host = config.httpHost().equals("0.0.0.0") ? config.announceAddress() : config.httpHost();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + httpPort();
    }

    public MediaServer media() {
        return media;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            log.warn("stopping HTTP", e);
        }
        signaling.close();
        media.close();
        control.shutdownNow();
    }
}
