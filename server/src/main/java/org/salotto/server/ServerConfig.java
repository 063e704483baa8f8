package org.salotto.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.salotto.rooms.webhooks.WebhooksConfig;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.limits.Limits;
import org.salotto.rooms.money.BadgesConfig;
import org.salotto.rooms.people.PeopleConfig;
import org.salotto.rooms.store.jdbc.DatabaseConfig;
import org.salotto.media.bwe.BandwidthSettings;
import org.salotto.media.pacer.PacerSettings;
import org.salotto.media.transport.TcpSettings;
import org.salotto.cluster.ClusterConfig;
import org.salotto.server.security.BrowserSecurity;

/**
 * Everything one Salotto process is configured with, as a tree of records that mirrors the configuration file
 * ({@code salotto-reference.conf}, which documents every key, its unit and its default). {@link ConfigLoader} builds
 * it from the file, environment variables and flags; tests build it from {@link #forTests()} and the {@code with...}
 * methods. Every record checks its values and names the setting in its {@link ConfigException}.
 *
 * @param http         where the HTTP and WebSocket server listens
 * @param media        the UDP media socket and what media connections may do
 * @param dataDir      where the embedded database file lives
 * @param database     PostgreSQL instead of the embedded database, and the connection pool
 * @param rooms        room limits and timings
 * @param drainTimeout how long a draining server waits for people to leave before it ends the rooms and exits
 * @param limits       abuse limits: rates, lockouts, password hashes at once, connections per address
 * @param badges       badge prices, the platform's fee, the payment provider and the waits of a purchase
 * @param people       avatars, admins and reports (issue 13)
 * @param whip         what WHIP and WHEP clients are told (ICE servers)
 * @param notifications the fan-out batch, the reminder lead, the real-time streams (issue 13)
 * @param webhooks     webhook retries, timeouts and which addresses endpoints may name
 * @param cluster      Redis, to run several nodes as one service (issue 16); {@link ClusterConfig#none()}: one process
 */
public record ServerConfig(Http http, Media media, Path dataDir, Database database, RoomsConfig rooms,
                           Duration drainTimeout, Limits limits, BadgesConfig badges, PeopleConfig people, Whip whip,
                           org.salotto.rooms.notify.NotificationsConfig notifications, WebhooksConfig webhooks,
                           ClusterConfig cluster) {

    /** One process, no cluster. */
    public ServerConfig(Http http, Media media, Path dataDir, Database database, RoomsConfig rooms, Duration drainTimeout,
                        Limits limits, BadgesConfig badges, PeopleConfig people, Whip whip,
                        org.salotto.rooms.notify.NotificationsConfig notifications, WebhooksConfig webhooks) {
        this(http, media, dataDir, database, rooms, drainTimeout, limits, badges, people, whip, notifications, webhooks,
                ClusterConfig.none());
    }

    /** What a node of a cluster needs that one process does not. */
    static final String CLUSTER_NEEDS_POSTGRES = "a cluster needs PostgreSQL: every node reads and writes the same rooms, "
            + "accounts and ledger, and the embedded database is one process's file. Set database.url (--database-url "
            + "jdbc:postgresql://HOST:5432/DB), or leave cluster.redis-url empty to run one process";

    /** With the default {@code people}, {@code whip}, {@code notifications} and {@code webhooks} settings. */
    public ServerConfig(Http http, Media media, Path dataDir, Database database, RoomsConfig rooms, Duration drainTimeout,
                        Limits limits, BadgesConfig badges) {
        this(http, media, dataDir, database, rooms, drainTimeout, limits, badges, PeopleConfig.defaults(), Whip.defaults(),
                org.salotto.rooms.notify.NotificationsConfig.defaults(), WebhooksConfig.defaults());
    }

    /** RFC 7675's consent timeout: a media connection without a valid ICE check this long is closed. */
    public static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a draining server waits for its clients to move or leave before it exits. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    public ServerConfig {
        require(http != null, "http", "is missing");
        require(media != null, "media", "is missing");
        require(dataDir != null && !dataDir.toString().isBlank(), "data-dir", "is empty");
        // The embedded database's JDBC URL is built from this path, where ';' would start another URL setting.
        require(dataDir.toString().indexOf(';') < 0, "data-dir", "may not contain ';'");
        require(database != null, "database", "is missing");
        require(rooms != null, "rooms", "is missing");
        require(drainTimeout != null && !drainTimeout.isNegative(), "drain-timeout", "must not be negative");
        require(limits != null, "limits", "is missing");
        require(badges != null, "badges", "is missing");
        require(people != null, "people", "is missing");
        require(whip != null, "whip", "is missing");
        require(notifications != null, "notifications", "is missing");
        require(webhooks != null, "webhooks", "is missing");
        require(cluster != null, "cluster", "is missing");
        require(!cluster.enabled() || !database.isEmbedded(), "cluster.redis-url", CLUSTER_NEEDS_POSTGRES);
    }

    /**
     * {@code cluster.*}, each value checked and named: the Redis URL (empty: one process), the node lease, the key
     * prefix, this node's public HTTP URL.
     */
    public static ClusterConfig cluster(String redisUrl, Duration nodeLease, String keyPrefix, String publicUrl) {
        ClusterConfig.Problem p = ClusterConfig.problem(redisUrl, nodeLease, keyPrefix, publicUrl);
        if (p != null) throw new ConfigException(p.key(), p.problem());
        return new ClusterConfig(redisUrl, nodeLease, keyPrefix, publicUrl);
    }

    /** Another cluster setting (tests: a Redis URL, a short lease, a key prefix of their own). */
    public ServerConfig withCluster(ClusterConfig c) {
        return new ServerConfig(http, media, dataDir, database, rooms, drainTimeout, limits, badges, people, whip,
                notifications, webhooks, c);
    }

    /**
     * {@code whip.*}: what WHIP and WHEP clients are told in the answer's {@code Link} headers (RFC 9725 section
     * 4.6): the STUN and TURN servers they may use, and for TURN the long-term credential. Salotto needs none itself
     * (it is ICE-lite on a public address): these help a client behind a strict NAT or firewall.
     *
     * @param iceServers    {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URIs (RFC 7064, RFC 7065)
     * @param iceUsername   the TURN servers' username ("" for none)
     * @param iceCredential the TURN servers' password ("" for none)
     */
    public record Whip(java.util.List<String> iceServers, String iceUsername, String iceCredential) {
        public Whip {
            require(iceServers != null, "whip.ice-servers", "is missing");
            iceServers = java.util.List.copyOf(iceServers);
            for (String u : iceServers) {
                require(u.matches("(stuns?|turns?):[^\\s<>\"]{1,250}"), "whip.ice-servers",
                        "must be stun:, stuns:, turn: or turns: URIs such as \"stun:stun.example.net:3478\" (got \"" + u + "\")");
            }
            require(iceUsername != null && iceUsername.matches("[^\"\\\\\\p{Cntrl}]{0,256}"), "whip.ice-username",
                    "must be at most 256 characters without quotes, backslashes or control characters");
            require(iceCredential != null && iceCredential.matches("[^\"\\\\\\p{Cntrl}]{0,256}"), "whip.ice-credential",
                    "must be at most 256 characters without quotes, backslashes or control characters");
        }

        public static Whip defaults() {
            return new Whip(java.util.List.of(), "", "");
        }
    }

    /** {@code notifications.*}: the fan-out batch, the reminder lead, the real-time streams. */
    public ServerConfig withNotifications(org.salotto.rooms.notify.NotificationsConfig n) {
        return new ServerConfig(http, media, dataDir, database, rooms, drainTimeout, limits, badges, people, whip, n, webhooks, cluster);
    }

    public ServerConfig withWebhooks(WebhooksConfig w) {
        return new ServerConfig(http, media, dataDir, database, rooms, drainTimeout, limits, badges, people, whip, notifications, w, cluster);
    }

    public ServerConfig withWhip(Whip w) {
        return new ServerConfig(http, media, dataDir, database, rooms, drainTimeout, limits, badges, people, w, notifications, webhooks, cluster);
    }

    /**
     * {@code http.*}: the HTTP and WebSocket server's address and port (0: any free port), and what browsers are
     * allowed (allowed origins, trusted proxies, who reads {@code /metrics}: docs/security.md).
     */
    public record Http(String host, int port, BrowserSecurity security) {
        public Http {
            require(host != null && !host.isBlank(), "http.host", "is empty");
            checkPort("http.port", port);
            require(security != null, "http", "has no browser security settings");
            security.problem().ifPresent(p -> {
                throw new ConfigException(p.key(), p.message());
            });
        }

        /** With the default browser security: same origin only, no trusted proxy, {@code /metrics} for loopback. */
        public Http(String host, int port) {
            this(host, port, BrowserSecurity.defaults());
        }
    }

    public ServerConfig withBrowserSecurity(BrowserSecurity security) {
        return new ServerConfig(new Http(http.host(), http.port(), security), media, dataDir, database, rooms,
                drainTimeout, limits, badges, people, whip, notifications, webhooks, cluster);
    }

    /**
     * {@code media.*}: the one UDP media socket, the address put in ICE candidates, RFC 7675's consent timeout, and
     * the ICE-TCP port (RFC 6544) for browsers whose UDP does not get through: its port (-1: none; 0: any free one),
     * how long a connection may wait for its first ICE check, and how many connections one address and everyone may
     * hold; how often active speakers are worked out; how lost packets from publishers are asked for again
     * ({@code media.nack.*}); the bounds of each subscriber's downlink estimate (media.min-bitrate, start-bitrate,
     * max-bitrate); how long a simulcast layer nobody receives is still sent before its publisher is told to pause it
     * (media.dynacast-pause-delay); how each subscriber's video is paced (media.pacing-factor, media.pacer-queue).
     */
    public record Media(String host, int port, String announceAddress, Duration consentTimeout, int tcpPort,
                        Duration tcpCheckTimeout, int tcpMaxPerAddress, int tcpMaxConnections,
                        Duration activeSpeakerInterval, Duration activeSpeakerTakeover, int audienceAudioSlots,
                        int audienceVideoSlots,
                        org.salotto.media.forward.NackSettings nack, BandwidthSettings downlink,
                        Duration dynacastPauseDelay, boolean redForOpus, PacerSettings pacer) {
        /** How often each room's active speakers are evaluated from the audio levels publishers send. */
        public static final Duration ACTIVE_SPEAKER_INTERVAL = Duration.ofMillis(200);
        /** How long a challenger must out-talk the person holding the floor to take it. */
        public static final Duration ACTIVE_SPEAKER_TAKEOVER = Duration.ofMillis(600);
        /**
         * How many audio streams an audience member receives: the stage's loudest speakers, on fixed slots (0 would
         * keep a stream per speaker, renegotiated as the stage changes: docs/architecture.md, "Audience slots").
         */
        public static final int AUDIENCE_AUDIO_SLOTS = org.salotto.signaling.SignalingService.AUDIENCE_AUDIO_SLOTS;
        /**
         * At most how many video streams a live's viewer receives: the stage's cameras on fixed slots (a live's stage
         * holds 4 by default; 0 would keep a stream per camera, renegotiated as the stage changes).
         */
        public static final int AUDIENCE_VIDEO_SLOTS = org.salotto.signaling.SignalingService.AUDIENCE_VIDEO_SLOTS;

        public Media {
            require(host != null && !host.isBlank(), "media.host", "is empty");
            checkPort("media.port", port);
            require(announceAddress != null && !announceAddress.isBlank(), "media.announce-address", "is empty");
            require(consentTimeout != null && consentTimeout.isPositive(), "media.consent-timeout", "must be positive");
            require(tcpPort >= -1 && tcpPort <= 65535, "media.tcp-port", "must be a port from 0 to 65535, or -1 for none");
            require(tcpCheckTimeout != null && tcpCheckTimeout.isPositive(), "media.tcp-check-timeout", "must be positive");
            require(tcpMaxPerAddress >= 1, "media.tcp-max-per-address", "must be at least 1");
            require(tcpMaxConnections >= tcpMaxPerAddress, "media.tcp-max-connections",
                    "must be at least media.tcp-max-per-address");
            require(activeSpeakerInterval != null && activeSpeakerInterval.compareTo(Duration.ofMillis(20)) >= 0
                    && activeSpeakerInterval.compareTo(Duration.ofSeconds(10)) <= 0, "media.active-speaker-interval",
                    "must be 20ms to 10s (an audio packet carries 20 ms)");
            require(activeSpeakerTakeover != null && !activeSpeakerTakeover.isNegative()
                    && activeSpeakerTakeover.compareTo(Duration.ofMinutes(1)) <= 0, "media.active-speaker-takeover",
                    "must be 0 to 1m");
            require(audienceAudioSlots >= 0 && audienceAudioSlots <= 16, "media.audience-audio-slots", "must be 0 to 16");
            require(audienceVideoSlots >= 0 && audienceVideoSlots <= 16, "media.audience-video-slots", "must be 0 to 16");
            require(nack != null, "media.nack", "is missing");
            require(downlink != null, "media.start-bitrate", "is missing");
            require(pacer != null, "media.pacing-factor", "is missing");
            require(dynacastPauseDelay != null && !dynacastPauseDelay.isNegative()
                    && dynacastPauseDelay.compareTo(Duration.ofMinutes(10)) <= 0, "media.dynacast-pause-delay",
                    "must be 0 to 10m");
        }

        /**
         * With the defaults: the ICE-TCP port the same number as the UDP one, the active speakers' timings, NACK, the
         * downlink estimate's bounds, dynacast's pause delay, RED for Opus on.
         */
        public Media(String host, int port, String announceAddress, Duration consentTimeout) {
            this(host, port, announceAddress, consentTimeout, port, TcpSettings.DEFAULT_CHECK_TIMEOUT,
                    TcpSettings.DEFAULT_MAX_PER_ADDRESS, TcpSettings.DEFAULT_MAX_CONNECTIONS,
                    ACTIVE_SPEAKER_INTERVAL, ACTIVE_SPEAKER_TAKEOVER, AUDIENCE_AUDIO_SLOTS, AUDIENCE_VIDEO_SLOTS,
                    org.salotto.media.forward.NackSettings.DEFAULTS, BandwidthSettings.DEFAULT,
                    org.salotto.media.forward.Producer.DEFAULT_PAUSE_DELAY, true, PacerSettings.DEFAULT);
        }

        /** Whether the server opens an ICE-TCP port. */
        public boolean tcpEnabled() {
            return tcpPort >= 0;
        }

        /** The same settings with the ICE-TCP port at {@code p} (-1: none). */
        public Media withTcpPort(int p) {
            return new Media(host, port, announceAddress, consentTimeout, p, tcpCheckTimeout, tcpMaxPerAddress,
                    tcpMaxConnections, activeSpeakerInterval, activeSpeakerTakeover, audienceAudioSlots, audienceVideoSlots, nack, downlink, dynacastPauseDelay,
                    redForOpus, pacer);
        }

        /** The same settings with the UDP port at {@code p} and RFC 7675's consent timeout at {@code t}. */
        Media withPortAndConsent(int p, Duration t) {
            return new Media(host, p, announceAddress, t, tcpPort, tcpCheckTimeout, tcpMaxPerAddress,
                    tcpMaxConnections, activeSpeakerInterval, activeSpeakerTakeover, audienceAudioSlots, audienceVideoSlots, nack, downlink, dynacastPauseDelay,
                    redForOpus, pacer);
        }

        /** The same settings with {@code n} audio slots for the audience (0: a stream per speaker). */
        public Media withAudienceAudioSlots(int n) {
            return new Media(host, port, announceAddress, consentTimeout, tcpPort, tcpCheckTimeout, tcpMaxPerAddress,
                    tcpMaxConnections, activeSpeakerInterval, activeSpeakerTakeover, n, audienceVideoSlots, nack, downlink,
                    dynacastPauseDelay, redForOpus, pacer);
        }

        /** The same settings with at most {@code n} video slots for a live's viewers (0: a stream per camera). */
        public Media withAudienceVideoSlots(int n) {
            return new Media(host, port, announceAddress, consentTimeout, tcpPort, tcpCheckTimeout, tcpMaxPerAddress,
                    tcpMaxConnections, activeSpeakerInterval, activeSpeakerTakeover, audienceAudioSlots, n, nack, downlink,
                    dynacastPauseDelay, redForOpus, pacer);
        }

        /** The same settings with dynacast's pause delay at {@code d} (tests shorten it). */
        public Media withDynacastPauseDelay(Duration d) {
            return new Media(host, port, announceAddress, consentTimeout, tcpPort, tcpCheckTimeout, tcpMaxPerAddress,
                    tcpMaxConnections, activeSpeakerInterval, activeSpeakerTakeover, audienceAudioSlots, audienceVideoSlots, nack, downlink, d, redForOpus, pacer);
        }

        /** {@code media.nack.*}, each value checked and named. */
        public static org.salotto.media.forward.NackSettings nack(Duration firstDelay, Duration minRetryInterval,
                                                                  Duration initialRtt, int maxNacks, Duration maxAge) {
            require(firstDelay != null && !firstDelay.isNegative() && firstDelay.compareTo(Duration.ofSeconds(1)) <= 0,
                    "media.nack.first-delay", "must be 0 to 1s");
            require(minRetryInterval != null && minRetryInterval.isPositive(), "media.nack.min-retry-interval",
                    "must be positive");
            require(initialRtt != null && initialRtt.isPositive(), "media.nack.initial-rtt", "must be positive");
            require(maxNacks >= 1 && maxNacks <= 100, "media.nack.max-nacks", "must be 1 to 100");
            require(maxAge != null && maxAge.isPositive(), "media.nack.max-age", "must be positive");
            return new org.salotto.media.forward.NackSettings(firstDelay, minRetryInterval, initialRtt, maxNacks, maxAge);
        }

        /** The address to announce when none is set: the bound one, or loopback for a wildcard bind. */
        static String defaultAnnounce(String host) {
            return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
        }
    }

    /**
     * {@code database.*}: a PostgreSQL URL (null or empty: the embedded database in {@link #dataDir()}), its user and
     * password, how many connections the pool may hold, how long a request waits for one (the database down: 503
     * after this), how long while the database is there but every connection is busy, and how much the embedded
     * file may grow before it is compacted while running.
     */
    public record Database(String url, String user, String password, int poolSize, Duration connectionTimeout,
                           Duration busyWait, long embeddedCompactGrowth) {
        public Database {
            require(url == null || url.isBlank() || url.startsWith("jdbc:postgresql:"), "database.url",
                    "must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:5432/DB) or empty for the embedded database");
            require(poolSize >= 1, "database.pool-size", "must be at least 1");
            require(connectionTimeout != null && connectionTimeout.compareTo(DatabaseConfig.MIN_CONNECTION_TIMEOUT) >= 0,
                    "database.connection-timeout", "must be at least " + DatabaseConfig.MIN_CONNECTION_TIMEOUT.toMillis() + "ms");
            require(busyWait != null && busyWait.compareTo(connectionTimeout) >= 0, "database.busy-wait",
                    "must be at least database.connection-timeout");
            require(embeddedCompactGrowth >= 0, "database.embedded-compact-growth", "must not be negative");
        }

        public static Database embedded() {
            return new Database(null, null, null, DatabaseConfig.DEFAULT_POOL_SIZE, DatabaseConfig.DEFAULT_CONNECTION_TIMEOUT,
                    DatabaseConfig.DEFAULT_BUSY_WAIT, DatabaseConfig.DEFAULT_COMPACT_GROWTH);
        }

        public boolean isEmbedded() {
            return url == null || url.isBlank();
        }

        /** Never shows the password: configs end up in logs and error messages. */
        @Override
        public String toString() {
            return "Database[url=" + (isEmbedded() ? "(embedded)" : url) + ", user=" + user + ", password="
                    + (password == null || password.isEmpty() ? "(none)" : "***") + ", poolSize=" + poolSize
                    + ", connectionTimeout=" + connectionTimeout.toMillis() + "ms]";
        }
    }

    /**
     * Ephemeral ports on loopback and a fresh embedded database in a temporary folder, for tests; limits relaxed
     * (every test request comes from one address), except where a test sets its own with {@link #withLimits}.
     */
    public static ServerConfig forTests() {
        try {
            return new ServerConfig(new Http("127.0.0.1", 0), new Media("127.0.0.1", 0, "127.0.0.1", CONSENT_TIMEOUT),
                    Files.createTempDirectory("salotto-test-"), Database.embedded(), RoomsConfig.defaults(),
                    Duration.ofSeconds(2), Limits.relaxed(), BadgesConfig.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ServerConfig withRooms(RoomsConfig r) {
        return new ServerConfig(http, media, dataDir, database, r, drainTimeout, limits, badges, people, whip, notifications, webhooks, cluster);
    }

    /** PostgreSQL at {@code url} (null: the embedded database), keeping the pool size and connection timeout. */
    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(http, media, dataDir,
                new Database(url, user, password, database.poolSize(), database.connectionTimeout(), database.busyWait(),
                        database.embeddedCompactGrowth()), rooms, drainTimeout,
                limits, badges, people, whip, notifications, webhooks, cluster);
    }

    /** Other HTTP and UDP media ports; the ICE-TCP settings stay. */
    public ServerConfig withPorts(int httpPort, int mediaPort) {
        return new ServerConfig(new Http(http.host(), httpPort, http.security()),
                media.withPortAndConsent(mediaPort, media.consentTimeout()), dataDir, database,
                rooms, drainTimeout, limits, badges, people, whip, notifications, webhooks, cluster);
    }

    public ServerConfig withConsentTimeout(Duration t) {
        return withMedia(media.withPortAndConsent(media.port(), t));
    }

    public ServerConfig withMedia(Media m) {
        return new ServerConfig(http, m, dataDir, database, rooms, drainTimeout, limits, badges, people, whip, notifications, webhooks, cluster);
    }

    public ServerConfig withDrainTimeout(Duration t) {
        return new ServerConfig(http, media, dataDir, database, rooms, t, limits, badges, people, whip, notifications, webhooks, cluster);
    }

    public ServerConfig withLimits(Limits l) {
        return new ServerConfig(http, media, dataDir, database, rooms, drainTimeout, l, badges, people, whip, notifications, webhooks, cluster);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(http, media, dir, database, rooms, drainTimeout, limits, badges, people, whip, notifications, webhooks, cluster);
    }

    public ServerConfig withBadges(BadgesConfig b) {
        return new ServerConfig(http, media, dataDir, database, rooms, drainTimeout, limits, b, people, whip, notifications, webhooks, cluster);
    }

    public ServerConfig withPeople(PeopleConfig p) {
        return new ServerConfig(http, media, dataDir, database, rooms, drainTimeout, limits, badges, p, whip, notifications, webhooks, cluster);
    }

    public Duration consentTimeout() {
        return media.consentTimeout();
    }

    public boolean embeddedDatabase() {
        return database.isEmbedded();
    }

    /** What the store opens: the embedded file under {@link #dataDir()}, or PostgreSQL; with the pool's settings. */
    public DatabaseConfig databaseConfig() {
        DatabaseConfig d = database.isEmbedded() ? DatabaseConfig.embedded(dataDir)
                : DatabaseConfig.postgres(database.url(), database.user(), database.password());
        return d.withMaxPoolSize(database.poolSize()).withConnectionTimeout(database.connectionTimeout())
                .withBusyWait(database.busyWait()).withCompactGrowth(database.embeddedCompactGrowth());
    }

    static void checkPort(String key, int p) {
        require(p >= 0 && p <= 65535, key, "must be a port from 0 to 65535");
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) throw new ConfigException(key, problem);
    }

    /**
     * A setting that cannot be used. {@link #key()} names it (as in the configuration file) when one setting is to
     * blame; the message says which and why.
     */
    public static final class ConfigException extends RuntimeException {
        private final String key;
        private final String problem;

        public ConfigException(String message) {
            super(message);
            this.key = null;
            this.problem = message;
        }

        public ConfigException(String key, String problem) {
            super(key + " " + problem);
            this.key = key;
            this.problem = problem;
        }

        /** The setting's key, e.g. {@code rooms.call-max-people}, or null. */
        public String key() {
            return key;
        }

        /** What is wrong with it, without the key. */
        public String problem() {
            return problem;
        }
    }
}
