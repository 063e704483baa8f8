package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.cluster.ClusterConfig;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.limits.Limits;
import org.salotto.rooms.limits.Rate;
import org.salotto.rooms.money.BadgePrices;
import org.salotto.rooms.money.BadgesConfig;
import org.salotto.rooms.money.SandboxPaymentProvider;
import org.salotto.server.security.BrowserSecurity;
import org.salotto.server.ConfigLoader.Flag;
import org.salotto.server.ServerConfig.ConfigException;
import picocli.CommandLine;

/** The configuration's layers (defaults, file, environment, flags) and every check's message. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path f = dir.resolve("salotto-" + System.nanoTime() + ".conf");
        Files.writeString(f, text);
        return f;
    }

    private static ServerConfig load(Path file, Map<String, String> env, Flag... flags) {
        return ConfigLoader.load(file, env, List.of(flags));
    }

    private static String failure(Path file, Map<String, String> env, Flag... flags) {
        return assertThrows(ConfigException.class, () -> load(file, env, flags)).getMessage();
    }

    // ---- layers ----

    @Test
    void defaultsAreTheDocumentedOnes() {
        ServerConfig c = ConfigLoader.defaults();
        assertEquals(new ServerConfig.Http("127.0.0.1", 8080), c.http());
        assertEquals(new ServerConfig.Media("127.0.0.1", 50000, "127.0.0.1", Duration.ofSeconds(30)), c.media());
        assertEquals(Path.of("data"), c.dataDir());
        assertTrue(c.embeddedDatabase());
        assertEquals(10, c.database().poolSize());
        assertEquals("postgres", c.database().user());
        assertEquals(RoomsConfig.defaults(), c.rooms());
        assertEquals(ServerConfig.DRAIN_TIMEOUT, c.drainTimeout());
        assertEquals(ServerConfig.CONSENT_TIMEOUT, c.consentTimeout());
    }

    @Test
    void aFileSetsEverySettingItNames() throws Exception {
        Path f = file("""
                # a comment
                http { host = "0.0.0.0", port = 9000 }
                media.port = 40000
                media.announce-address = "203.0.113.7"
                media.consent-timeout = 45s
                data-dir = /var/lib/salotto
                database {
                  url = "jdbc:postgresql://db:5432/salotto"
                  user = salotto
                  password = "s3cret"
                  pool-size = 25
                  connection-timeout = 2s
                  busy-wait = 20s
                  embedded-compact-growth = 1g
                }
                rooms {
                  call-max-people = 12
                  live-stage-max = 3
                  space-co-hosts-max = 1
                  space-speakers-max = 5
                  screen-share-max-people = 4
                  live-host-grace = 2m
                  event-batch-interval = 50ms
                  join-token-ttl = 1h
                  session-ttl = 7d
                  resume-grace = 5s
                }
                drain-timeout = 0s
                """);
        ServerConfig c = load(f, Map.of());
        assertEquals(new ServerConfig.Http("0.0.0.0", 9000), c.http());
        // media.host follows http.host unless set; the announce address is the one written.
        assertEquals(new ServerConfig.Media("0.0.0.0", 40000, "203.0.113.7", Duration.ofSeconds(45)), c.media());
        assertEquals(Path.of("/var/lib/salotto"), c.dataDir());
        assertEquals(new ServerConfig.Database("jdbc:postgresql://db:5432/salotto", "salotto", "s3cret", 25,
                Duration.ofSeconds(2), Duration.ofSeconds(20), 1L << 30), c.database());
        assertEquals(Duration.ofSeconds(20), c.databaseConfig().busyWait());
        assertEquals(25, c.databaseConfig().maxPoolSize());
        assertEquals(new RoomsConfig(12, 3, 1, 5, 4, Duration.ofMinutes(2), Duration.ofMillis(50), Duration.ofHours(1),
                Duration.ofDays(7), Duration.ofSeconds(5)), c.rooms());
        assertEquals(Duration.ZERO, c.drainTimeout());
    }

    @Test
    void browserSecurityListsComeFromTheFileAndBadOnesAreNamed() throws Exception {
        ServerConfig c = load(file("""
                http {
                  allowed-origins = ["https://salotto.example"]
                  trusted-proxies = ["10.0.0.5"]
                }
                """), Map.of());
        assertEquals(List.of("https://salotto.example"), c.http().security().allowedOrigins());
        assertEquals(List.of("10.0.0.5"), c.http().security().trustedProxies());
        assertEquals("", c.http().security().metricsToken());
        assertTrue(failure(file("http.allowed-origins = [\"https://salotto.example/app\"]"), Map.of())
                .startsWith("http.allowed-origins"));
        assertTrue(failure(file("http.trusted-proxies = [\"proxy.example\"]"), Map.of()).startsWith("http.trusted-proxies"));
        assertTrue(failure(null, Map.of("SALOTTO_HTTP_METRICS_TOKEN", "short")).startsWith("http.metrics-token"));
        List<String> lines = ConfigLoader.explain(null, Map.of("SALOTTO_HTTP_METRICS_TOKEN", "a-metrics-token-of-24-ch"), List.of());
        assertFalse(String.join("\n", lines).contains("a-metrics-token-of-24-ch"), "the token is hidden like a password");
    }

    @Test
    void aWildcardHostIsAnnouncedAsLoopbackUnlessAnAddressIsGiven() throws Exception {
        ServerConfig c = load(file("http.host = \"0.0.0.0\""), Map.of());
        assertEquals("0.0.0.0", c.media().host());
        assertEquals("127.0.0.1", c.media().announceAddress());
    }

    @Test
    void everySettingHasAnEnvironmentVariableByTheRule() {
        Map<String, String> env = new HashMap<>();
        env.put("SALOTTO_HTTP_HOST", "127.0.0.2");
        env.put("SALOTTO_HTTP_PORT", "8081");
        env.put("SALOTTO_HTTP_ALLOWED_ORIGINS", "https://salotto.example, http://127.0.0.1:8081");
        env.put("SALOTTO_HTTP_TRUSTED_PROXIES", "127.0.0.1,::1");
        env.put("SALOTTO_HTTP_METRICS_TOKEN", "a-metrics-token-of-24-ch");
        env.put("SALOTTO_ROOMS_GUEST_TOKEN_TTL", "2h");
        env.put("SALOTTO_ROOMS_PURGE_INTERVAL", "1m");
        env.put("SALOTTO_ROOMS_LISTED_AUDIENCE", "7");
        env.put("SALOTTO_MEDIA_HOST", "127.0.0.3");
        env.put("SALOTTO_MEDIA_PORT", "50001");
        env.put("SALOTTO_MEDIA_ANNOUNCE_ADDRESS", "198.51.100.1");
        env.put("SALOTTO_MEDIA_CONSENT_TIMEOUT", "20s");
        env.put("SALOTTO_MEDIA_ACTIVE_SPEAKER_INTERVAL", "250ms");
        env.put("SALOTTO_MEDIA_ACTIVE_SPEAKER_TAKEOVER", "1s");
        env.put("SALOTTO_MEDIA_AUDIENCE_AUDIO_SLOTS", "2");
        env.put("SALOTTO_MEDIA_AUDIENCE_VIDEO_SLOTS", "3");
        env.put("SALOTTO_MEDIA_MIN_BITRATE", "200kbps");
        env.put("SALOTTO_MEDIA_START_BITRATE", "700kbps");
        env.put("SALOTTO_MEDIA_MAX_BITRATE", "5Mbps");
        env.put("SALOTTO_MEDIA_RED_FOR_OPUS", "false");
        env.put("SALOTTO_MEDIA_ALLOCATION_INTERVAL", "250ms");
        env.put("SALOTTO_MEDIA_ALLOCATION_UP_HEADROOM", "25");
        env.put("SALOTTO_MEDIA_PACING_FACTOR", "3.5");
        env.put("SALOTTO_MEDIA_PACER_QUEUE", "128");
        env.put("SALOTTO_MEDIA_TCP_PORT", "50443");
        env.put("SALOTTO_MEDIA_TCP_CHECK_TIMEOUT", "4s");
        env.put("SALOTTO_MEDIA_TCP_MAX_PER_ADDRESS", "3");
        env.put("SALOTTO_MEDIA_TCP_MAX_CONNECTIONS", "300");
        env.put("SALOTTO_DATA_DIR", "/tmp/salotto-data");
        env.put("SALOTTO_DATABASE_URL", "jdbc:postgresql://127.0.0.1/x");
        env.put("SALOTTO_DATABASE_USER", "u");
        env.put("SALOTTO_DATABASE_PASSWORD", "p");
        env.put("SALOTTO_DATABASE_POOL_SIZE", "3");
        env.put("SALOTTO_DATABASE_CONNECTION_TIMEOUT", "750ms");
        env.put("SALOTTO_DATABASE_BUSY_WAIT", "3s");
        env.put("SALOTTO_DATABASE_EMBEDDED_COMPACT_GROWTH", "0");
        env.put("SALOTTO_JVM_MAX_HEAP", "512m");
        env.put("SALOTTO_ROOMS_CALL_MAX_PEOPLE", "20");
        env.put("SALOTTO_ROOMS_LIVE_STAGE_MAX", "2");
        env.put("SALOTTO_ROOMS_SPACE_CO_HOSTS_MAX", "0");
        env.put("SALOTTO_ROOMS_SPACE_SPEAKERS_MAX", "7");
        env.put("SALOTTO_ROOMS_SCREEN_SHARE_MAX_PEOPLE", "0");
        env.put("SALOTTO_ROOMS_LIVE_HOST_GRACE", "700ms");
        env.put("SALOTTO_ROOMS_EVENT_BATCH_INTERVAL", "10ms");
        env.put("SALOTTO_ROOMS_JOIN_TOKEN_TTL", "30s");
        env.put("SALOTTO_ROOMS_SESSION_TTL", "1h");
        env.put("SALOTTO_ROOMS_RESUME_GRACE", "2s");
        env.put("SALOTTO_DRAIN_TIMEOUT", "1m");
        env.put("SALOTTO_LIMITS_LOGIN_PER_ADDRESS", "7");
        env.put("SALOTTO_LIMITS_LOGIN_PER_ADDRESS_PERIOD", "2m");
        env.put("SALOTTO_LIMITS_LOGIN_PER_ACCOUNT", "7");
        env.put("SALOTTO_LIMITS_LOGIN_PER_ACCOUNT_PERIOD", "2m");
        env.put("SALOTTO_LIMITS_LOGIN_LOCKOUT_FAILURES", "7");
        env.put("SALOTTO_LIMITS_LOGIN_LOCKOUT", "10m");
        env.put("SALOTTO_LIMITS_PASSWORD_HASHES_AT_ONCE", "7");
        env.put("SALOTTO_LIMITS_PASSWORD_HASH_QUEUE", "7");
        env.put("SALOTTO_LIMITS_PASSWORD_HASH_WAIT", "1s");
        env.put("SALOTTO_LIMITS_ROOMS_PER_ACCOUNT", "7");
        env.put("SALOTTO_LIMITS_ROOMS_PER_ACCOUNT_PERIOD", "2m");
        env.put("SALOTTO_LIMITS_GUEST_TOKENS_PER_ADDRESS", "7");
        env.put("SALOTTO_LIMITS_GUEST_TOKENS_PER_ADDRESS_PERIOD", "2m");
        env.put("SALOTTO_LIMITS_JOIN_TOKENS_PER_ADDRESS", "7");
        env.put("SALOTTO_LIMITS_JOIN_TOKENS_PER_ADDRESS_PERIOD", "2m");
        env.put("SALOTTO_LIMITS_REACTIONS_PER_PERSON", "7");
        env.put("SALOTTO_LIMITS_REACTIONS_PER_PERSON_PERIOD", "2m");
        env.put("SALOTTO_LIMITS_KNOCKS_PER_PERSON", "7");
        env.put("SALOTTO_LIMITS_KNOCKS_PER_PERSON_PERIOD", "2m");
        env.put("SALOTTO_LIMITS_COMMENTS_PER_PERSON", "7");
        env.put("SALOTTO_LIMITS_COMMENTS_PER_PERSON_PERIOD", "2m");
        env.put("SALOTTO_LIMITS_LOBBY_MAX_PEOPLE", "7");
        env.put("SALOTTO_LIMITS_FRAMES_PER_CONNECTION", "7");
        env.put("SALOTTO_LIMITS_FRAMES_PER_CONNECTION_PERIOD", "2m");
        env.put("SALOTTO_LIMITS_CONNECTIONS_PER_ADDRESS", "7");
        env.put("SALOTTO_LIMITS_REQUEST_HEADER_TIMEOUT", "5s");
        env.put("SALOTTO_LIMITS_TRACKED_KEYS_MAX", "7");
        env.put("SALOTTO_BADGES_CURRENCY", "EUR");
        env.put("SALOTTO_BADGES_PRICES", "100, 200, 500");
        env.put("SALOTTO_BADGES_PLATFORM_FEE_BASIS_POINTS", "1500");
        env.put("SALOTTO_BADGES_PROVIDER", "sandbox");
        env.put("SALOTTO_BADGES_IDEMPOTENCY_WAIT", "5s");
        env.put("SALOTTO_BADGES_PROVIDER_TIMEOUT", "3s");
        env.put("SALOTTO_BADGES_SANDBOX_DECLINE_EVERY", "7");
        env.put("SALOTTO_BADGES_SANDBOX_DELAY", "20ms");
        env.put("SALOTTO_BADGES_SANDBOX_ANSWER_TWICE", "true");
        env.put("SALOTTO_PEOPLE_AVATAR_MAX_BYTES", "512k");
        env.put("SALOTTO_PEOPLE_ADMINS", "ada, Bea.B");
        env.put("SALOTTO_PEOPLE_REPORTS_PER_HOUR", "7");
        env.put("SALOTTO_WHIP_ICE_SERVERS", "stun:stun.example.net, turn:turn.example.net:3478?transport=udp");
        env.put("SALOTTO_WHIP_ICE_USERNAME", "whip-user");
        env.put("SALOTTO_WHIP_ICE_CREDENTIAL", "whip-secret");
        env.put("SALOTTO_NOTIFICATIONS_BATCH", "7");
        env.put("SALOTTO_NOTIFICATIONS_KEEPALIVE", "5s");
        env.put("SALOTTO_NOTIFICATIONS_REMINDER_LEAD", "10m");
        env.put("SALOTTO_NOTIFICATIONS_MAX_INVITEES", "7");
        env.put("SALOTTO_NOTIFICATIONS_MAX_STREAMS_PER_ACCOUNT", "3");
        env.put("SALOTTO_NOTIFICATIONS_POLL_INTERVAL", "2s");
        env.put("SALOTTO_NOTIFICATIONS_STREAM_QUEUE", "9");
        env.put("SALOTTO_WEBHOOKS_RETRY_FOR", "2h");
        env.put("SALOTTO_WEBHOOKS_RETRY_INITIAL", "1s");
        env.put("SALOTTO_WEBHOOKS_RETRY_MAX_INTERVAL", "10m");
        env.put("SALOTTO_WEBHOOKS_CONNECT_TIMEOUT", "2s");
        env.put("SALOTTO_WEBHOOKS_REQUEST_TIMEOUT", "20s");
        env.put("SALOTTO_WEBHOOKS_POLL_INTERVAL", "3s");
        env.put("SALOTTO_WEBHOOKS_ALLOW_PRIVATE_NETWORKS", "true");
        env.put("SALOTTO_WEBHOOKS_MAX_ENDPOINTS", "3");
        env.put("SALOTTO_MEDIA_NACK_FIRST_DELAY", "0ms");
        env.put("SALOTTO_MEDIA_NACK_MIN_RETRY_INTERVAL", "15ms");
        env.put("SALOTTO_MEDIA_NACK_INITIAL_RTT", "80ms");
        env.put("SALOTTO_MEDIA_NACK_MAX_NACKS", "4");
        env.put("SALOTTO_MEDIA_NACK_MAX_AGE", "700ms");
        env.put("SALOTTO_MEDIA_DYNACAST_PAUSE_DELAY", "2500ms");
        env.put("SALOTTO_CLUSTER_REDIS_URL", "redis://redis.example:6380/1");
        env.put("SALOTTO_CLUSTER_NODE_LEASE", "2s");
        env.put("SALOTTO_CLUSTER_KEY_PREFIX", "green:");
        env.put("SALOTTO_CLUSTER_PUBLIC_URL", "https://node2.example:8443");
        // The test names every key: a key added to the reference without a test here fails.
        for (String key : ConfigLoader.keys()) {
            assertTrue(env.containsKey(ConfigLoader.envName(key)), "no test of " + ConfigLoader.envName(key));
        }
        ServerConfig c = load(null, env);
        assertEquals(new ServerConfig.Http("127.0.0.2", 8081, new BrowserSecurity(
                List.of("https://salotto.example", "http://127.0.0.1:8081"), List.of("127.0.0.1", "::1"),
                "a-metrics-token-of-24-ch")), c.http());
        assertEquals(new ServerConfig.Media("127.0.0.3", 50001, "198.51.100.1", Duration.ofSeconds(20), 50443,
                Duration.ofSeconds(4), 3, 300, Duration.ofMillis(250), Duration.ofSeconds(1), 2, 3,
                new org.salotto.media.forward.NackSettings(Duration.ZERO, Duration.ofMillis(15), Duration.ofMillis(80), 4,
                        Duration.ofMillis(700)),
                new org.salotto.media.bwe.BandwidthSettings(200_000, 700_000, 5_000_000, 250_000_000L, 0.25), Duration.ofMillis(2500), false,
                new org.salotto.media.pacer.PacerSettings(3.5, 128)),
                c.media());
        assertEquals(Path.of("/tmp/salotto-data"), c.dataDir());
        assertEquals(new ServerConfig.Database("jdbc:postgresql://127.0.0.1/x", "u", "p", 3, Duration.ofMillis(750),
                Duration.ofSeconds(3), 0), c.database());
        assertEquals(new RoomsConfig(20, 2, 0, 7, 0, Duration.ofMillis(700), Duration.ofMillis(10), Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofSeconds(2), Duration.ofHours(2), Duration.ofMinutes(1), 7), c.rooms());
        assertEquals(Duration.ofMinutes(1), c.drainTimeout());
        Rate seven = Rate.of(7, Duration.ofMinutes(2));
        assertEquals(new Limits(seven, seven, 7, Duration.ofMinutes(10), 7, 7, Duration.ofSeconds(1), seven, seven, seven,
                seven, seven, 7, seven, 7, Duration.ofSeconds(5), 7, seven), c.limits());
        assertEquals(new BadgesConfig(new BadgePrices("EUR", List.of(100L, 200L, 500L), 1500), "sandbox", Duration.ofSeconds(5),
                Duration.ofSeconds(3), new SandboxPaymentProvider.Settings(7, Duration.ofMillis(20), true)), c.badges());
        assertEquals(new org.salotto.rooms.people.PeopleConfig(512 * 1024, List.of("ada", "Bea.B"), 7), c.people());
        assertEquals(new ServerConfig.Whip(List.of("stun:stun.example.net", "turn:turn.example.net:3478?transport=udp"),
                "whip-user", "whip-secret"), c.whip());
        assertEquals(new org.salotto.rooms.notify.NotificationsConfig(7, Duration.ofSeconds(5), Duration.ofMinutes(10), 7, 3,
                Duration.ofSeconds(2), 9), c.notifications());
        assertEquals(new org.salotto.rooms.webhooks.WebhooksConfig(Duration.ofHours(2), Duration.ofSeconds(1),
                Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(3), true, 3), c.webhooks());
        assertEquals(new ClusterConfig("redis://redis.example:6380/1", Duration.ofSeconds(2), "green:",
                "https://node2.example:8443"), c.cluster());
        assertEquals(List.of("-Xmx512m"), ConfigLoader.jvmOptions(null, env, List.of()));
    }

    @Test
    void theWhipDefaultsAreNoIceServersAndABadUriIsNamed() throws Exception {
        assertEquals(ServerConfig.Whip.defaults(), ConfigLoader.defaults().whip());
        ServerConfig.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ServerConfig.ConfigException.class,
                () -> load(file("whip { ice-servers = [\"http://stun.example.net\"] }"), Map.of()));
        assertEquals("whip.ice-servers", e.key());
    }

    @Test
    void theNotificationsDefaultsAreTheReferencesAndAWrongOneIsNamed() throws Exception {
        assertEquals(org.salotto.rooms.notify.NotificationsConfig.defaults(), ConfigLoader.defaults().notifications());
        ServerConfig.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ServerConfig.ConfigException.class,
                () -> load(null, Map.of("SALOTTO_NOTIFICATIONS_BATCH", "0")));
        assertEquals("notifications.batch", e.key());
        e = org.junit.jupiter.api.Assertions.assertThrows(ServerConfig.ConfigException.class,
                () -> load(null, Map.of("SALOTTO_NOTIFICATIONS_KEEPALIVE", "0s")));
        assertEquals("notifications.keepalive", e.key());
    }

    @Test
    void theWebhooksDefaultsAreTheReferencesAndAWrongOneIsNamed() throws Exception {
        assertEquals(org.salotto.rooms.webhooks.WebhooksConfig.defaults(), ConfigLoader.defaults().webhooks());
        ServerConfig.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ServerConfig.ConfigException.class,
                () -> load(file("webhooks { retry-initial = 1m, retry-max-interval = 10s }"), Map.of()));
        assertEquals("webhooks.retry-max-interval", e.key());
    }

    @Test
    void theBadgesDefaultsAreTheReferencesAndAWrongOneIsNamed() throws Exception {
        assertEquals(BadgesConfig.defaults(), ConfigLoader.defaults().badges());
        assertEquals(org.salotto.rooms.people.PeopleConfig.defaults(), ConfigLoader.defaults().people());
        assertEquals(List.of(99L, 199L, 499L), load(file("badges { prices = [99, 199, 499] }"), Map.of()).badges().prices().prices());
        for (String bad : List.of("badges.prices = [99, 199]", "badges.prices = [0, 1, 2]", "badges.prices = [\"x\", 1, 2]")) {
            ServerConfig.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ServerConfig.ConfigException.class,
                    () -> load(file(bad), Map.of()), bad);
            assertEquals("badges.prices", e.key(), bad);
        }
        ServerConfig.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ServerConfig.ConfigException.class,
                () -> load(null, Map.of("SALOTTO_BADGES_CURRENCY", "dollars")));
        assertEquals("badges.currency", e.key());
        e = org.junit.jupiter.api.Assertions.assertThrows(ServerConfig.ConfigException.class,
                () -> load(null, Map.of("SALOTTO_BADGES_PLATFORM_FEE_BASIS_POINTS", "10001")));
        assertEquals("badges.platform-fee-basis-points", e.key());
        e = org.junit.jupiter.api.Assertions.assertThrows(ServerConfig.ConfigException.class,
                () -> load(null, Map.of("SALOTTO_BADGES_PROVIDER", "stripe")));
        assertEquals("badges.provider", e.key());
    }

    @Test
    void theLimitsDefaultsAreTheReferencesAndAWrongOneIsNamed() {
        assertEquals(Limits.defaults(), ConfigLoader.defaults().limits());
        ServerConfig.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ServerConfig.ConfigException.class,
                () -> load(null, java.util.Map.of("SALOTTO_LIMITS_LOGIN_PER_ADDRESS_PERIOD", "0s")));
        assertEquals("limits.login-per-address-period", e.key());
    }

    @Test
    void theHeapLimitTheLauncherPasses() throws Exception {
        assertEquals(List.of("-Xmx1024m"), ConfigLoader.jvmOptions(null, Map.of(), List.of()), "the default");
        assertEquals(List.of("-Xmx2048m"), ConfigLoader.jvmOptions(file("jvm { max-heap = 2g }"), Map.of(), List.of()));
        assertEquals("jvm.max-heap = 100m (--set jvm.max-heap): must be at least 256m",
                failure(null, Map.of(), new Flag("jvm.max-heap", "100m", "--set jvm.max-heap")));
        assertEquals("jvm.max-heap = lots (environment variable SALOTTO_JVM_MAX_HEAP): must be a size with a unit, e.g. 512m, 1g",
                failure(null, Map.of("SALOTTO_JVM_MAX_HEAP", "lots")));
    }

    @Test
    void aDatabaseConnectionTimeoutTooShortForThePool() {
        assertEquals("database.connection-timeout = 100ms (environment variable SALOTTO_DATABASE_CONNECTION_TIMEOUT): "
                        + "must be at least 250ms",
                failure(null, Map.of("SALOTTO_DATABASE_CONNECTION_TIMEOUT", "100ms")));
    }

    @Test
    void theEnvironmentBeatsTheFileAndAnEmptyVariableIsUnset() throws Exception {
        Path f = file("http.port = 9000\nrooms.resume-grace = 5s\ndatabase.user = fromfile");
        ServerConfig c = load(f, Map.of("SALOTTO_HTTP_PORT", "9001", "SALOTTO_DATABASE_USER", ""));
        assertEquals(9001, c.http().port());
        assertEquals(Duration.ofSeconds(5), c.rooms().resumeGrace());
        assertEquals("fromfile", c.database().user());
    }

    @Test
    void flagsBeatTheEnvironment() throws Exception {
        Path f = file("http.port = 9000\nmedia.port = 40000");
        Main main = new Main();
        new CommandLine(main).parseArgs("--config", f.toString(), "--http-port", "9002", "--host", "0.0.0.0",
                "--announce", "192.0.2.9", "--set", "rooms.call-max-people=7", "--data-dir", "elsewhere");
        ServerConfig c = ConfigLoader.load(main.configFile, Map.of("SALOTTO_HTTP_PORT", "9001",
                "SALOTTO_MEDIA_PORT", "40001", "SALOTTO_ROOMS_CALL_MAX_PEOPLE", "9"), main.flags());
        assertEquals(new ServerConfig.Http("0.0.0.0", 9002), c.http());
        assertEquals(new ServerConfig.Media("0.0.0.0", 40001, "192.0.2.9", Duration.ofSeconds(30)), c.media());
        assertEquals(7, c.rooms().callMaxPeople());
        assertEquals(Path.of("elsewhere"), c.dataDir());
    }

    @Test
    void theOlderVariableNamesStillWorkBelowTheNewOnes() {
        ServerConfig c = load(null, Map.of("SALOTTO_HOST", "0.0.0.0", "SALOTTO_ANNOUNCE_ADDRESS", "192.0.2.1",
                "SALOTTO_MEDIA_HOST", "127.0.0.1"));
        assertEquals("0.0.0.0", c.http().host());
        assertEquals("127.0.0.1", c.media().host());
        assertEquals("192.0.2.1", c.media().announceAddress());
    }

    @Test
    void explainSaysWhereEachValueCameFromAndHidesThePassword() throws Exception {
        Path f = file("rooms.resume-grace = 5s");
        List<String> lines = ConfigLoader.explain(f, Map.of("SALOTTO_DATABASE_PASSWORD", "hunter2"),
                List.of(new Flag("http.port", "0", "--http-port")));
        assertEquals(ConfigLoader.keys().size(), lines.size());
        assertTrue(lines.contains("http.port = 0  (--http-port)"), lines.toString());
        assertTrue(lines.contains("database.password = ***  (environment variable SALOTTO_DATABASE_PASSWORD)"), lines.toString());
        assertTrue(lines.contains("rooms.resume-grace = 5s  (" + f + ", line 1)"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("rooms.call-max-people = 50  (salotto-reference.conf, line ")),
                lines.toString());
        assertFalse(String.join("\n", lines).contains("hunter2"));
    }

    // ---- checks: each names the setting, its value and where it was written ----

    @Test
    void aPortOutOfRange() {
        assertEquals("http.port = 70000 (--http-port): must be a port from 0 to 65535",
                failure(null, Map.of(), new Flag("http.port", "70000", "--http-port")));
        assertEquals("media.port = -1 (environment variable SALOTTO_MEDIA_PORT): must be a port from 0 to 65535",
                failure(null, Map.of("SALOTTO_MEDIA_PORT", "-1")));
    }

    @Test
    void aLivesViewersGetFourVideoSlotsUnlessSetAndTheCountIsBounded() {
        assertEquals(4, ConfigLoader.defaults().media().audienceVideoSlots());
        assertEquals(0, load(null, Map.of("SALOTTO_MEDIA_AUDIENCE_VIDEO_SLOTS", "0")).media().audienceVideoSlots());
        assertEquals("media.audience-video-slots = 17 (environment variable SALOTTO_MEDIA_AUDIENCE_VIDEO_SLOTS): must be 0 "
                + "to 16", failure(null, Map.of("SALOTTO_MEDIA_AUDIENCE_VIDEO_SLOTS", "17")));
    }

    @Test
    void theIceTcpPortFollowsTheMediaPortUnlessSetAndMinusOneTurnsItOff() {
        ServerConfig defaults = ConfigLoader.defaults();
        assertEquals(50000, defaults.media().tcpPort());
        assertTrue(defaults.media().tcpEnabled());
        assertEquals(Duration.ofSeconds(10), defaults.media().tcpCheckTimeout());
        assertEquals(16, defaults.media().tcpMaxPerAddress());
        assertEquals(2048, defaults.media().tcpMaxConnections());
        ServerConfig moved = load(null, Map.of(), new Flag("media.port", "0", "--media-port"));
        assertEquals(0, moved.media().tcpPort(), "--media-port 0 makes the TCP port any free one too");
        ServerConfig off = load(null, Map.of(), new Flag("media.tcp-port", "-1", "--media-tcp-port"));
        assertFalse(off.media().tcpEnabled());
        assertEquals(50000, off.media().port());
        assertEquals("media.tcp-port = -2 (environment variable SALOTTO_MEDIA_TCP_PORT): must be a port from 0 to 65535, "
                + "or -1 for none", failure(null, Map.of("SALOTTO_MEDIA_TCP_PORT", "-2")));
        assertEquals("media.tcp-max-connections = 2 (environment variable SALOTTO_MEDIA_TCP_MAX_CONNECTIONS): must be at "
                + "least media.tcp-max-per-address", failure(null, Map.of("SALOTTO_MEDIA_TCP_MAX_CONNECTIONS", "2")));
    }

    @Test
    void theDownlinkEstimateBoundsAreBitratesWithUnits() {
        ServerConfig defaults = ConfigLoader.defaults();
        assertEquals(new org.salotto.media.bwe.BandwidthSettings(100_000, 1_000_000, 10_000_000),
                defaults.media().downlink());
        ServerConfig set = load(null, Map.of("SALOTTO_MEDIA_MIN_BITRATE", "300kbps", "SALOTTO_MEDIA_START_BITRATE",
                "2.5Mbps", "SALOTTO_MEDIA_MAX_BITRATE", "20000000bps"));
        assertEquals(new org.salotto.media.bwe.BandwidthSettings(300_000, 2_500_000, 20_000_000), set.media().downlink());
        assertEquals("media.max-bitrate = 2 megabits (environment variable SALOTTO_MEDIA_MAX_BITRATE): must be a "
                + "bitrate with a unit, e.g. 300kbps, 2.5Mbps", failure(null, Map.of("SALOTTO_MEDIA_MAX_BITRATE", "2 megabits")));
        assertEquals("media.start-bitrate = 50kbps (environment variable SALOTTO_MEDIA_START_BITRATE): must lie between "
                + "media.min-bitrate and media.max-bitrate", failure(null, Map.of("SALOTTO_MEDIA_START_BITRATE", "50kbps")));
        assertEquals("media.min-bitrate = 5kbps (environment variable SALOTTO_MEDIA_MIN_BITRATE): must be at least 10kbps",
                failure(null, Map.of("SALOTTO_MEDIA_MIN_BITRATE", "5kbps")));
    }

    @Test
    void theDownlinkAllocationIntervalAndHeadroom() {
        var defaults = ConfigLoader.defaults().media().downlink();
        assertEquals(500_000_000L, defaults.allocationIntervalNanos());
        assertEquals(0.15, defaults.upHeadroom(), 1e-9);
        var set = load(null, Map.of("SALOTTO_MEDIA_ALLOCATION_INTERVAL", "1s",
                "SALOTTO_MEDIA_ALLOCATION_UP_HEADROOM", "20")).media().downlink();
        assertEquals(1_000_000_000L, set.allocationIntervalNanos());
        assertEquals(0.20, set.upHeadroom(), 1e-9);
        assertEquals("media.allocation-interval = 20ms (environment variable SALOTTO_MEDIA_ALLOCATION_INTERVAL): must be "
                + "50ms to 10s", failure(null, Map.of("SALOTTO_MEDIA_ALLOCATION_INTERVAL", "20ms")));
        assertEquals("media.allocation-up-headroom = 150 (environment variable SALOTTO_MEDIA_ALLOCATION_UP_HEADROOM): "
                + "must be 0 to 100 (percent)", failure(null, Map.of("SALOTTO_MEDIA_ALLOCATION_UP_HEADROOM", "150")));
    }

    @Test
    void thePacer() {
        assertEquals(org.salotto.media.pacer.PacerSettings.DEFAULT, ConfigLoader.defaults().media().pacer());
        assertEquals("media.pacing-factor = 0.5 (environment variable SALOTTO_MEDIA_PACING_FACTOR): must be 1 to 10",
                failure(null, Map.of("SALOTTO_MEDIA_PACING_FACTOR", "0.5")));
        assertEquals("media.pacing-factor = fast (environment variable SALOTTO_MEDIA_PACING_FACTOR): must be a number",
                failure(null, Map.of("SALOTTO_MEDIA_PACING_FACTOR", "fast")));
        assertEquals("media.pacer-queue = 8 (environment variable SALOTTO_MEDIA_PACER_QUEUE): must be 16 to 4096 "
                + "(packets)", failure(null, Map.of("SALOTTO_MEDIA_PACER_QUEUE", "8")));
    }

    @Test
    void aNumberThatIsNotOne() throws Exception {
        Path f = file("http {\n  port = eighty\n}");
        assertEquals("http.port = eighty (" + f + ", line 2): must be a whole number", failure(f, Map.of()));
    }

    @Test
    void aNegativeDuration() throws Exception {
        Path f = file("rooms.live-host-grace = -5s");
        assertEquals("rooms.live-host-grace = -5s (" + f + ", line 1): must not be negative", failure(f, Map.of()));
        assertEquals("drain-timeout = -1s (environment variable SALOTTO_DRAIN_TIMEOUT): must not be negative",
                failure(null, Map.of("SALOTTO_DRAIN_TIMEOUT", "-1s")));
    }

    @Test
    void aZeroDurationWhereItMustBePositive() {
        assertEquals("rooms.resume-grace = 0s (--set rooms.resume-grace): must be longer than zero",
                failure(null, Map.of(), new Flag("rooms.resume-grace", "0s", "--set rooms.resume-grace")));
        assertEquals("media.consent-timeout = 0 (environment variable SALOTTO_MEDIA_CONSENT_TIMEOUT): must be positive",
                failure(null, Map.of("SALOTTO_MEDIA_CONSENT_TIMEOUT", "0")));
        assertEquals("media.nack.initial-rtt = 0ms (environment variable SALOTTO_MEDIA_NACK_INITIAL_RTT): must be positive",
                failure(null, Map.of("SALOTTO_MEDIA_NACK_INITIAL_RTT", "0ms")));
        assertEquals("media.nack.max-nacks = 0 (environment variable SALOTTO_MEDIA_NACK_MAX_NACKS): must be 1 to 100",
                failure(null, Map.of("SALOTTO_MEDIA_NACK_MAX_NACKS", "0")));
        assertEquals("media.active-speaker-interval = 5ms (environment variable SALOTTO_MEDIA_ACTIVE_SPEAKER_INTERVAL): "
                        + "must be 20ms to 10s (an audio packet carries 20 ms)",
                failure(null, Map.of("SALOTTO_MEDIA_ACTIVE_SPEAKER_INTERVAL", "5ms")));
    }

    @Test
    void aDurationWithoutAUsableUnit() throws Exception {
        Path f = file("media.consent-timeout = \"5 parsecs\"");
        assertEquals("media.consent-timeout = 5 parsecs (" + f + ", line 1): must be a duration with a unit, "
                + "e.g. 500ms, 30s, 10m, 1h, 30d", failure(f, Map.of()));
    }

    @Test
    void aLimitBelowItsMinimum() {
        assertEquals("rooms.call-max-people = 1 (environment variable SALOTTO_ROOMS_CALL_MAX_PEOPLE): must be at least 2",
                failure(null, Map.of("SALOTTO_ROOMS_CALL_MAX_PEOPLE", "1")));
        assertEquals("rooms.live-stage-max = 0 (environment variable SALOTTO_ROOMS_LIVE_STAGE_MAX): must be at least 1",
                failure(null, Map.of("SALOTTO_ROOMS_LIVE_STAGE_MAX", "0")));
        assertEquals("rooms.space-speakers-max = -1 (environment variable SALOTTO_ROOMS_SPACE_SPEAKERS_MAX): must be at least 0",
                failure(null, Map.of("SALOTTO_ROOMS_SPACE_SPEAKERS_MAX", "-1")));
        assertEquals("database.pool-size = 0 (environment variable SALOTTO_DATABASE_POOL_SIZE): must be at least 1",
                failure(null, Map.of("SALOTTO_DATABASE_POOL_SIZE", "0")));
    }

    @Test
    void anUnknownKeyInTheFile() throws Exception {
        Path f = file("http.port = 0\nrooms {\n  call-max-peple = 3\n}");
        assertEquals("unknown setting rooms.call-max-peple (" + f + ", line 3); did you mean rooms.call-max-people? "
                + "Every setting is listed in salotto-reference.conf and docs/operations.md", failure(f, Map.of()));
        Path g = file("colour = blue");
        assertEquals("unknown setting colour (" + g + ", line 1). Every setting is listed in salotto-reference.conf "
                + "and docs/operations.md", failure(g, Map.of()));
    }

    @Test
    void aGroupWrittenAsOneValue() throws Exception {
        Path f = file("rooms = 5");
        assertEquals("rooms (" + f + ", line 1) is a group of settings, not one value: write rooms { ... } with keys "
                + "such as rooms.call-max-people", failure(f, Map.of()));
    }

    @Test
    void anUnknownKeyOnTheCommandLine() {
        assertEquals("--set rooms.max: unknown setting rooms.max. Every setting is listed in salotto-reference.conf and "
                + "docs/operations.md", failure(null, Map.of(), new Flag("rooms.max", "1", "--set rooms.max")));
    }

    @Test
    void aDatabaseThatIsNotPostgres() {
        assertEquals("database.url = jdbc:mysql://db/x (--database-url): must be a PostgreSQL JDBC URL "
                        + "(jdbc:postgresql://HOST:5432/DB) or empty for the embedded database",
                failure(null, Map.of(), new Flag("database.url", "jdbc:mysql://db/x", "--database-url")));
    }

    @Test
    void noRedisIsOneProcessAndTheClusterSettingsComeFromFileVariableAndFlag() throws Exception {
        ClusterConfig none = ConfigLoader.defaults().cluster();
        assertFalse(none.enabled(), "the embedded default runs no cluster");
        assertEquals(ClusterConfig.none(), none);
        assertEquals(Duration.ofSeconds(5), none.nodeLease());
        assertEquals("salotto:", none.keyPrefix());

        Path f = file("""
                database.url = "jdbc:postgresql://db:5432/salotto"
                cluster { node-lease = 2s, key-prefix = "blue:", public-url = "https://node1.example/" }
                """);
        ServerConfig c = load(f, Map.of("SALOTTO_CLUSTER_NODE_LEASE", "3s"),
                new Flag("cluster.redis-url", "redis://:pw@redis:6379/2", "--redis-url"));
        assertEquals(new ClusterConfig("redis://:pw@redis:6379/2", Duration.ofSeconds(3), "blue:", "https://node1.example"),
                c.cluster());
        assertTrue(c.cluster().enabled());
        assertFalse(c.cluster().toString().contains("pw"), c.cluster().toString());
        List<String> lines = ConfigLoader.explain(f, Map.of(), List.of(new Flag("cluster.redis-url", "redis://:pw@redis:6379/2", "--redis-url")));
        assertTrue(lines.contains("cluster.redis-url = redis://***@redis:6379/2  (--redis-url)"), lines.toString());
    }

    @Test
    void aClusterOnTheEmbeddedDatabaseIsRefusedSayingItNeedsPostgres() {
        assertEquals("cluster.redis-url = redis://127.0.0.1:6379 (--redis-url): " + ServerConfig.CLUSTER_NEEDS_POSTGRES,
                failure(null, Map.of(), new Flag("cluster.redis-url", "redis://127.0.0.1:6379", "--redis-url")));
        assertTrue(ServerConfig.CLUSTER_NEEDS_POSTGRES.startsWith("a cluster needs PostgreSQL: "));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServerConfig.forTests().withCluster(ClusterConfig.on("redis://127.0.0.1:6379")));
        assertEquals("cluster.redis-url", e.key());
        // Through the command line: status 2, one line.
        StringWriter err = new StringWriter();
        assertEquals(2, Main.commandLine().setErr(new PrintWriter(err)).execute("--redis-url", "redis://127.0.0.1:6379", "--check"));
        assertEquals("salotto: cluster.redis-url = redis://127.0.0.1:6379 (--redis-url): " + ServerConfig.CLUSTER_NEEDS_POSTGRES,
                err.toString().strip());
    }

    @Test
    void badClusterSettingsAreNamed() {
        Map<String, String> pg = Map.of("SALOTTO_DATABASE_URL", "jdbc:postgresql://db/x");
        assertEquals("cluster.redis-url = http://redis:6379 (environment variable SALOTTO_CLUSTER_REDIS_URL): must be "
                        + "redis://HOST:6379 (rediss:// for TLS), or empty for one process without Redis",
                failure(null, Map.of("SALOTTO_CLUSTER_REDIS_URL", "http://redis:6379")));
        assertEquals("cluster.node-lease = 100ms (environment variable SALOTTO_CLUSTER_NODE_LEASE): must be 300ms to 5m",
                failure(null, Map.of("SALOTTO_CLUSTER_NODE_LEASE", "100ms")));
        assertEquals("cluster.key-prefix",
                assertThrows(ConfigException.class, () -> load(null, Map.of("SALOTTO_CLUSTER_KEY_PREFIX", "a b"))).key());
        assertEquals("cluster.public-url",
                assertThrows(ConfigException.class, () -> load(null, Map.of("SALOTTO_CLUSTER_PUBLIC_URL", "node1:8080"))).key());
        assertTrue(load(null, pg, new Flag("cluster.redis-url", "rediss://redis.example:6380", "--redis-url")).cluster().enabled());
    }

    @Test
    void aDataDirThatWouldBreakTheDatabaseUrl() {
        assertEquals("data-dir = a;b (environment variable SALOTTO_DATA_DIR): may not contain ';'",
                failure(null, Map.of("SALOTTO_DATA_DIR", "a;b")));
    }

    @Test
    void aFileThatIsMissingOrNotHocon() throws Exception {
        Path missing = dir.resolve("nope.conf");
        assertEquals("--config " + missing + ": no such file", failure(missing, Map.of()));
        Path broken = file("http {\n  port = 1\n");
        String m = failure(broken, Map.of());
        assertTrue(m.startsWith("config file " + broken + ": 3: "), m);
    }

    @Test
    void recordsBuiltByTestsAreCheckedToo() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.forTests().withPorts(0, 70000));
        assertEquals("media.port must be a port from 0 to 65535", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ServerConfig.forTests().withDrainTimeout(Duration.ofSeconds(-1)));
        assertEquals("drain-timeout must not be negative", e.getMessage());
    }

    // ---- the reference file and the docs ----

    @Test
    void everySettingIsCommentedInTheReferenceAndListedInTheOperationsGuide() throws Exception {
        Config reference = ConfigFactory.parseResources(ConfigLoader.REFERENCE).resolve();
        Path guide = Path.of("../docs/operations.md");
        String doc = Files.readString(guide);
        for (String key : ConfigLoader.keys()) {
            ConfigValue v = reference.getValue(key);
            assertFalse(v.origin().comments().isEmpty(), key + " has no comment in " + ConfigLoader.REFERENCE);
            assertTrue(doc.contains("`" + key + "`"), key + " is not in docs/operations.md");
            assertTrue(doc.contains("`" + ConfigLoader.envName(key) + "`"), ConfigLoader.envName(key) + " is not in docs/operations.md");
        }
    }

    // ---- the command line ----

    @Test
    void theCommandLineRefusesUnknownFlagsWithItsUsage() {
        StringWriter err = new StringWriter();
        int status = Main.commandLine().setErr(new PrintWriter(err)).execute("--http-prot", "1");
        assertEquals(2, status);
        assertTrue(err.toString().startsWith("salotto serve: Unknown options: '--http-prot'"), err.toString());
        assertTrue(err.toString().contains("--http-port"), "picocli's suggestion: " + err);
        assertTrue(err.toString().contains("Usage: salotto serve"), err.toString());
    }

    @Test
    void helpIsAnsweredWithStatusZero() {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.commandLine().setOut(new PrintWriter(out)).execute("--help"));
        assertTrue(out.toString().contains("--config=FILE"), out.toString());
        assertTrue(out.toString().contains("SALOTTO_ROOMS_CALL_MAX_PEOPLE"), out.toString());
    }

    @Test
    void aBadSettingExitsWithStatusTwoAndOneLine() {
        StringWriter err = new StringWriter();
        int status = Main.commandLine().setErr(new PrintWriter(err)).execute("--http-port", "70000", "--check");
        assertEquals(2, status);
        assertEquals("salotto: http.port = 70000 (--http-port): must be a port from 0 to 65535", err.toString().strip());
    }
}
