package org.salotto.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import java.time.Clock;
import org.eclipse.jetty.server.Handler;
import org.salotto.cluster.ClusterNode;
import org.salotto.cluster.Load;
import org.salotto.media.MediaServer;
import org.salotto.rooms.RoomService;
import org.salotto.rooms.runtime.RoomRuntime;
import org.salotto.rooms.account.PasswordHasher;
import org.salotto.rooms.limits.Limiters;
import org.salotto.server.limits.ConnectionGuard;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.jdbc.JdbcStore;
import org.salotto.rooms.webhooks.WebhookDispatcher;
import org.salotto.rooms.webhooks.WebhookTransport;
import org.salotto.rooms.webhooks.Webhooks;
import org.salotto.server.security.SecurityHandler;
import org.salotto.signaling.SignalingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Salotto process: the database, the media plane on its UDP port (and its ICE-TCP port), signaling, the rooms layer, and the HTTP
 * server (API, pages, WebSocket, health, metrics). HTTP, WebSocket and database work runs on virtual threads; media
 * runs on the media loop's own thread. With {@code cluster.redis-url} it is also a node of a cluster
 * ({@link ClusterNode}: registered in Redis under a lease, draining and leaving with the server).
 */
public final class SalottoServer implements AutoCloseable {
    /** Largest signaling frame accepted; a bigger one closes the socket with an error. */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    /** The error code of a join refused while the server drains (HTTP 503, and the WebSocket {@code error} frame). */
    static final String DRAINING_REFUSAL = "Salotto is restarting: join again in a moment";
    /** What people are told when the server drains, and why their rooms end. */
    public static final String DRAIN_MESSAGE = "Salotto is restarting";
    private static final Logger log = LoggerFactory.getLogger(SalottoServer.class);

    private final ServerConfig config;
    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final MediaServer media;
    private final WebHandler web;
    private final SignalingService signaling;
    private final Store store;
    private final RoomService rooms;
    private final WebhookDispatcher webhookDispatcher;
    private final Server http;
    private final ServerConnector connector;
    private final RoomSockets sockets = new RoomSockets();
    private final ConnectionGuard connections;
    private final SecurityHandler security;
    private final RoomsDrain roomsDrain;
    private final CountDownLatch drained = new CountDownLatch(1);
    /** This process as a node of a cluster; null without {@code cluster.redis-url} (one process, no Redis). */
    private final ClusterNode cluster;
    /** The audience relay across nodes; null without a cluster. */
    private volatile AudienceRelay relay;
    private final ScheduledExecutorService purge =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("purge").factory());

    private SalottoServer(ServerConfig config, Clock clock, LongSupplier nanoTime) throws Exception {
        this.config = config;
        this.media = MediaServer.start(new InetSocketAddress(config.media().host(), config.media().port()), control);
        media.setConsentTimeout(config.consentTimeout());
        media.setNackSettings(config.media().nack());
        media.setBandwidthSettings(config.media().downlink());
        media.setPacerSettings(config.media().pacer());
        media.setDynacastPauseDelay(config.media().dynacastPauseDelay());
        if (config.media().tcpEnabled()) {
            ServerConfig.Media m = config.media();
            try {
                media.openTcp(new org.salotto.media.transport.TcpSettings(new InetSocketAddress(m.host(), m.tcpPort()),
                        m.tcpCheckTimeout(), m.tcpMaxPerAddress(), m.tcpMaxConnections()));
            } catch (java.io.IOException | RuntimeException e) {
                media.close();
                throw new java.io.IOException("cannot open the ICE-TCP port " + m.host() + ":" + m.tcpPort()
                        + " (media.tcp-port; -1 for none): " + e.getMessage(), e);
            }
        }
        int mediaPort = media.localAddress().getPort();
        this.signaling = new SignalingService(media, config.media().announceAddress(), mediaPort,
                config.media().activeSpeakerInterval(), config.media().activeSpeakerTakeover(), config.media().audienceAudioSlots(),
                System::nanoTime);
        signaling.setRedForOpus(config.media().redForOpus());
        signaling.setAudienceVideoSlots(config.media().audienceVideoSlots());
        this.store = JdbcStore.open(config.databaseConfig());
        this.rooms = new RoomService(store, signaling, config.rooms(), new Limiters(config.limits(), nanoTime),
                new PasswordHasher(), clock, config.badges(), config.people(), config.notifications());
        this.roomsDrain = new RuntimeRoomsDrain(rooms);
        // Webhooks read the outbox the rooms write: woken after each stored decision, and looking now and then.
        this.webhookDispatcher = new WebhookDispatcher(store, config.webhooks(), clock,
                WebhookTransport.http(config.webhooks().connectTimeout(), config.webhooks().requestTimeout()),
                new java.util.Random());
        rooms.runtime().onEventsStored(webhookDispatcher::wake);
        Webhooks webhooks = new Webhooks(store.webhooks(), webhookDispatcher, config.webhooks(), clock);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("http");
        threads.setVirtualThreadsExecutor(control);
        this.http = new Server(threads);
        HttpConfiguration httpConfig = new HttpConfiguration();
        // Jetty keeps a per-connection cache of header fields, and an upgraded WebSocket keeps its HTTP connection:
        // about 25 KB of heap per participant for headers no one sends again.
        httpConfig.setHeaderCacheSize(0);
        // No "Server: Jetty(12.x)": a version tells an attacker which advisories to try.
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendXPoweredBy(false);
        this.connector = new ServerConnector(http, new HttpConnectionFactory(httpConfig));
        connector.setHost(config.http().host());
        connector.setPort(config.http().port());
        // Connections per address and the deadline for request headers (limits.*), before any request is read.
        this.connections = new ConnectionGuard(config.limits().connectionsPerAddress(),
                config.limits().requestHeaderTimeout(), connector.getScheduler(), config.http().security().trustedProxies());
        connector.addEventListener(connections);
        http.addConnector(connector);

        WebSocketUpgradeHandler websockets = WebSocketUpgradeHandler.from(http, container -> {
            container.setMaxTextMessageSize(MAX_FRAME_BYTES);
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.addMapping("/ws/rooms/*", (request, response, callback) -> {
                String room = request.getHttpURI().getPath().substring("/ws/rooms/".length());
                return new RoomSocket(rooms, room, sockets, connector.getScheduler());
            });
        });
        this.web = new WebHandler(media.counters(), signaling, rooms);
        websockets.setHandler(new Handler.Sequence(new ReadinessHandler(sockets::draining),
                new ApiHandler(rooms, sockets::draining, webhooks), new WhipHandler(rooms, config.whip()),
                web));
        // First of all: the connection guard's marker, then the security headers on every answer, and the Origin and
        // CSRF checks before any upgrade.
        this.security = new SecurityHandler(config.http().security(), ApiHandler.SESSION_COOKIE, websockets);
        http.setHandler(connections.marker(security));
        // One process: what a crash left, before anyone can join (with a cluster: once it is joined, below).
        if (!config.cluster().enabled()) rooms.runtime().recover();
        http.start();
        webhookDispatcher.start();
        // Expired sessions and spent join tokens grow with logins and joins: forget them now and then.
        long every = config.rooms().purgeInterval().toMillis();
        purge.scheduleWithFixedDelay(this::purgeExpired, every, every, TimeUnit.MILLISECONDS);
        // Last: the node registers once it can take requests at the address it gives.
        this.cluster = config.cluster().enabled() ? joinCluster() : null;
        // With a cluster, what a crash left once this node knows which rooms other nodes hold (those are theirs).
        if (cluster != null) rooms.runtime().recover();
    }

    /**
     * Registers this node in the cluster with its addresses and a load read from the rooms (people, open rooms) and
     * the process's CPU. Stops what was started if Redis cannot be reached.
     */
    private ClusterNode joinCluster() throws IOException {
        String httpUrl = config.cluster().publicUrl().isEmpty() ? baseUrl() : config.cluster().publicUrl();
        String announce = config.media().announceAddress();
        String mediaAddress = (announce.contains(":") ? "[" + announce + "]" : announce) + ":" + mediaPort();
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        java.util.function.DoubleSupplier cpu = os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun::getProcessCpuLoad : () -> -1;
        ClusterNode node;
        try {
            node = ClusterNode.start(config.cluster(), httpUrl, mediaAddress,
                    () -> new Load(rooms.people(), rooms.openRooms(), cpu.getAsDouble()));
        } catch (RuntimeException e) {
            close();
            throw new IOException("cannot join the cluster: " + e.getMessage(), e);
        }
        // A room runs on its owner only; the others send its clients there (docs/scale.md "Routing").
        ClusterRooms owned = new ClusterRooms(node, rooms.runtime());
        rooms.runtime().ownedThrough(owned);
        node.addListener(owned);
        // A space's listeners stay on the node they came through; the owner relays the stage to it.
        AudienceRelay audience = new AudienceRelay(node, media, signaling, rooms);
        this.relay = audience;
        rooms.runtime().servesAudienceThrough(audience);
        node.addListener(audience);
        web.relayMetrics(audience);
        // The app served by one node talks to the room's owner: the cluster's own nodes are its origins too.
        security.allowClusterOrigins(() -> {
            java.util.Set<String> origins = new java.util.HashSet<>();
            for (org.salotto.cluster.Node n : node.lastSeen()) {
                String origin = org.salotto.server.security.BrowserSecurity.normalizeOrigin(n.httpUrl());
                if (origin != null) origins.add(origin);
            }
            return origins;
        });
        return node;
    }

    /** The Origin, CORS and CSRF checks and security headers of every answer (tests give them cluster origins). */
    SecurityHandler security() {
        return security;
    }

    /**
     * Stops as a killed process would for the cluster (tests of a node's loss): its lease is neither renewed nor
     * given back, so the others see it lost only when the lease ends; then the process stops.
     */
    public void kill() {
        if (cluster != null) cluster.abandon();
        close();
    }

    /** Deletes expired sessions and forgets spent join tokens that have expired. */
    private void purgeExpired() {
        try {
            int sessions = rooms.purgeExpired();
            if (sessions > 0) log.info("purged {} expired sessions", sessions);
        } catch (RuntimeException e) {
            log.warn("could not purge expired sessions; trying again in {}", config.rooms().purgeInterval(), e);
        }
    }

    /** Starts a server and returns once it listens. */
    public static SalottoServer start(ServerConfig config) throws IOException {
        return start(config, Clock.systemUTC(), System::nanoTime);
    }

    /**
     * Starts a server whose rooms and accounts read the time from {@code clock} (session and token lifetimes, what
     * the host grace and the purge compare with) and whose limiters from {@code nanoTime} (windows, lockouts): tests
     * move time on instead of waiting for it. Timers still run on the wall clock.
     */
    static SalottoServer start(ServerConfig config, Clock clock, LongSupplier nanoTime) throws IOException {
        try {
            return new SalottoServer(config, clock, nanoTime);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("could not start the HTTP server: " + e.getMessage(), e);
        }
    }

    public int httpPort() {
        return connector.getLocalPort();
    }

    /** The ICE-TCP port, or -1 when there is none (media.tcp-port = -1). */
    public int mediaTcpPort() {
        InetSocketAddress tcp = media.tcpAddress();
        return tcp == null ? -1 : tcp.getPort();
    }

    public int mediaPort() {
        return media.localAddress().getPort();
    }

    public String baseUrl() {
        String host = config.http().host();
        if (host.equals("0.0.0.0") || host.equals("::")) host = config.media().announceAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + httpPort();
    }

    public RoomService rooms() {
        return rooms;
    }

    /** This node of the cluster, or empty without {@code cluster.redis-url}. */
    public java.util.Optional<ClusterNode> cluster() {
        return java.util.Optional.ofNullable(cluster);
    }

    /** The webhooks' dispatcher (tests observe what it stores rather than reading the log again and again). */
    WebhookDispatcher webhookDispatcher() {
        return webhookDispatcher;
    }

    /** The database (tests read the outbox through it). */
    Store store() {
        return store;
    }

    /** Connections open now from {@code ip}, as the per-address limit counts them. */
    int connectionGuardOpenFrom(String ip) {
        return connections.openFrom(ip);
    }

    /**
     * Adds an observer of the HTTP connections (Jetty's own listener interface). Added after the connection guard,
     * it hears of a close once the guard has counted it: tests wait for that instead of polling the count.
     */
    void observeConnections(org.eclipse.jetty.io.Connection.Listener listener) {
        connector.addEventListener(listener);
    }

    public MediaServer media() {
        return media;
    }

    /** True once {@link #drain()} has begun: joins are refused. */
    public boolean draining() {
        return sockets.draining();
    }

    /**
     * The graceful stop (issue 10, docs/operations.md "Stop"), run on SIGTERM before {@link #close()}:
     * <ol>
     * <li>joins are refused: {@code POST /api/rooms/{id}/join} and {@code /tokens} answer 503 {@code server_draining},
     *     a WebSocket {@code join} an {@code error} frame with that code, and {@code /ready} answers 503;</li>
     * <li>every connected client gets {@code {"type":"serverDraining","message":"Salotto is restarting"}};</li>
     * <li>the server waits up to {@code drain-timeout} for people to leave, and stops waiting when nobody is left;</li>
     * <li>every room it holds ends (state {@code ended} in the database, {@code roomEnded} to its people) and the
     *     sockets close with 1012 (service restart).</li>
     * </ol>
     * With a cluster (docs/operations.md "A cluster"), the node's rooms move to other nodes instead of ending: the node
     * is marked draining in Redis (no new room comes here), each room open here closes without a decision, is placed
     * on another node, and its clients get {@code error} {@code wrong_node} with that node's URL and a normal close;
     * they resume there as the same participants. Then the sockets left (none in a room) close.
     * Returns when that is done. A second call waits for the first.
     */
    public void drain() {
        if (!sockets.startDraining()) {
            awaitDrained();
            return;
        }
        if (cluster != null) {
            try {
                cluster.drain();
                moveRooms();
                return;
            } catch (RuntimeException e) {
                log.warn("draining: could not mark this node draining in Redis; its lease lapses when it stops", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                drained.countDown();
            }
        }
        try {
            long deadline = System.nanoTime() + config.drainTimeout().toNanos();
            int people = roomsDrain.people();
            log.info("draining: {} people in rooms, {} sockets; waiting at most {}", people, sockets.count(), config.drainTimeout());
            roomsDrain.announce(DRAIN_MESSAGE);
            boolean empty = sockets.awaitUntil(() -> roomsDrain.people() == 0, deadline);
            log.info("draining: {}; ending the rooms", empty ? "everyone left" : roomsDrain.people() + " people still in rooms");
            roomsDrain.endAll(DRAIN_MESSAGE);
            // Sockets that never got into a room (a join refused meanwhile) close too, with the same 1012.
            for (RoomSocket s : sockets.all()) s.close(DRAIN_MESSAGE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            roomsDrain.endAll(DRAIN_MESSAGE);
        } finally {
            drained.countDown();
        }
    }

    /** The drain of a cluster's node: its rooms go on on other nodes (see {@link #drain()}). */
    private void moveRooms() throws InterruptedException {
        int people = roomsDrain.people();
        long started = System.nanoTime();
        int moved = roomsDrain.moveAll(DRAIN_MESSAGE);
        log.info("draining: {} rooms ({} people) moved to other nodes in {} ms", moved, people,
                (System.nanoTime() - started) / 1_000_000);
        // The other sockets (listeners of rooms other nodes own, served here; sockets never in a room) close normally
        // too, after what their outbox holds: their clients come back through another node. Waited for, at most
        // drain-timeout, before the process stops.
        for (RoomSocket s : sockets.all()) s.moveOn();
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        if (!sockets.awaitUntil(() -> sockets.count() == 0, deadline)) {
            for (RoomSocket s : sockets.all()) s.close(RoomRuntime.MOVED);
        }
    }

    private void awaitDrained() {
        try {
            drained.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        AudienceRelay r = relay;
        if (r != null) r.close();
        // First out of the cluster: no node should send anyone here any more.
        if (cluster != null) {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                log.warn("leaving the cluster", e);
            }
        }
        try {
            http.stop();
        } catch (Exception e) {
            log.warn("stopping HTTP", e);
        }
        purge.shutdownNow();
        webhookDispatcher.close();
        // The sockets are closed: the rooms decide what that means (people disconnected) and store it before the
        // database closes, waiting for the database no longer than a request would.
        signaling.close();
        media.close();
        rooms.close(config.database().busyWait());
        store.close();
        control.shutdownNow();
    }
}
