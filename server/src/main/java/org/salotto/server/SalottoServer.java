package org.salotto.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import java.time.Clock;
import org.eclipse.jetty.server.Handler;
import org.salotto.media.MediaServer;
import org.salotto.rooms.RoomService;
import org.salotto.rooms.account.PasswordHasher;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.jdbc.DatabaseConfig;
import org.salotto.rooms.store.jdbc.JdbcStore;
import org.salotto.signaling.SignalingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Salotto process: the database, the media plane on its UDP port, signaling, the rooms layer, and the HTTP
 * server (API, pages, WebSocket, health, metrics). HTTP, WebSocket and database work runs on virtual threads; media
 * runs on the media loop's own thread.
 */
public final class SalottoServer implements AutoCloseable {
    /** Largest signaling frame accepted; a bigger one closes the socket with an error. */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SalottoServer.class);

    private final ServerConfig config;
    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final MediaServer media;
    private final SignalingService signaling;
    private final Store store;
    private final RoomService rooms;
    private final Server http;
    private final ServerConnector connector;

    private SalottoServer(ServerConfig config) throws Exception {
        this.config = config;
        this.media = MediaServer.start(new InetSocketAddress(config.mediaHost(), config.mediaPort()), control);
        media.setConsentTimeout(config.consentTimeout());
        int mediaPort = media.localAddress().getPort();
        this.signaling = new SignalingService(media, config.announceAddress(), mediaPort);
        this.store = JdbcStore.open(config.embeddedDatabase() ? DatabaseConfig.embedded(config.dataDir())
                : DatabaseConfig.postgres(config.databaseUrl(), config.databaseUser(), config.databasePassword()));
        this.rooms = new RoomService(store, signaling, config.rooms(), new PasswordHasher(), Clock.systemUTC());

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("http");
        threads.setVirtualThreadsExecutor(control);
        this.http = new Server(threads);
        HttpConfiguration httpConfig = new HttpConfiguration();
        // Jetty keeps a per-connection cache of header fields, and an upgraded WebSocket keeps its HTTP connection:
        // about 25 KB of heap per participant for headers no one sends again.
        httpConfig.setHeaderCacheSize(0);
        this.connector = new ServerConnector(http, new HttpConnectionFactory(httpConfig));
        connector.setHost(config.httpHost());
        connector.setPort(config.httpPort());
        http.addConnector(connector);

        WebSocketUpgradeHandler websockets = WebSocketUpgradeHandler.from(http, container -> {
            container.setMaxTextMessageSize(MAX_FRAME_BYTES);
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.addMapping("/ws/rooms/*", (request, response, callback) -> {
                String room = request.getHttpURI().getPath().substring("/ws/rooms/".length());
                return new RoomSocket(rooms, room);
            });
        });
        websockets.setHandler(new Handler.Sequence(new ApiHandler(rooms), new WebHandler(media.counters(), signaling, rooms)));
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

    public RoomService rooms() {
        return rooms;
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
        rooms.close();
        signaling.close();
        media.close();
        store.close();
        control.shutdownNow();
    }
}
