package org.salotto.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.salotto.cluster.ClusterConfig;
import org.salotto.media.bwe.BandwidthSettings;
import org.salotto.media.pacer.PacerSettings;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.limits.Limits;
import org.salotto.rooms.limits.Rate;
import org.salotto.rooms.money.BadgePrices;
import org.salotto.rooms.money.BadgesConfig;
import org.salotto.rooms.people.PeopleConfig;
import org.salotto.rooms.webhooks.WebhooksConfig;
import org.salotto.rooms.money.SandboxPaymentProvider;
import org.salotto.server.ServerConfig.ConfigException;
import org.salotto.server.security.BrowserSecurity;

/**
 * Builds a {@link ServerConfig} from four layers, strongest first: command-line flags, environment variables, the file
 * given with {@code --config}, and {@code salotto-reference.conf} (the defaults, with every key documented).
 *
 * <p>The format is HOCON, read by Typesafe Config: it has durations with units ({@code 30s}, {@code 500ms}), comments,
 * includes and substitutions, and it keeps each value's origin (file and line, or the variable or flag it came from),
 * so that an error names where the bad value was written. Our own code adds what the library leaves out: unknown keys
 * are refused (a typo must not silently leave a default in force), the environment naming rule, and checks with a
 * message that names the setting.
 *
 * <p>Environment variables: {@code SALOTTO_} and the key in capitals with dots and dashes as underscores
 * ({@code rooms.call-max-people} is {@code SALOTTO_ROOMS_CALL_MAX_PEOPLE}); an empty variable counts as unset. The
 * older {@code SALOTTO_HOST} (both hosts) and {@code SALOTTO_ANNOUNCE_ADDRESS} are still read, below the new names.
 */
public final class ConfigLoader {
    /** The defaults, on the class path. Not {@code reference.conf}, which Typesafe Config would merge from any jar. */
    public static final String REFERENCE = "salotto-reference.conf";
    static final String ENV_PREFIX = "SALOTTO_";
    /** Older variable names, each setting the keys listed, weaker than the keys' own variables. */
    private static final Map<String, List<String>> ENV_ALIASES = Map.of(
            "SALOTTO_HOST", List.of("http.host", "media.host"),
            "SALOTTO_ANNOUNCE_ADDRESS", List.of("media.announce-address"));

    private static final Config REFERENCE_CONFIG =
            ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), REFERENCE,
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
    private static final Set<String> KEYS = leafKeys(REFERENCE_CONFIG.resolve());

    /** A value given on the command line: the key it sets, the text, and the flag (for messages). */
    public record Flag(String key, String value, String flag) {
    }

    private ConfigLoader() {
    }

    /** Every setting's key, e.g. {@code rooms.call-max-people}, sorted. */
    public static Set<String> keys() {
        return KEYS;
    }

    /** The environment variable of a key: {@code rooms.call-max-people} is {@code SALOTTO_ROOMS_CALL_MAX_PEOPLE}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The defaults alone. */
    public static ServerConfig defaults() {
        return load(null, Map.of(), List.of());
    }

    /**
     * Reads and checks every setting.
     *
     * @param file  the {@code --config} file, or null
     * @param env   the environment ({@code System.getenv()})
     * @param flags values from the command line, each for a key of {@link #keys()}
     * @throws ConfigException naming the first setting that cannot be used, and where its value came from
     */
    public static ServerConfig load(Path file, Map<String, String> env, List<Flag> flags) {
        return build(new Reader(merge(file, env, flags)));
    }

    /** The least {@code jvm.max-heap} may be: below it the media buffers and a few rooms do not fit. */
    static final long MIN_HEAP = 256L << 20;

    /**
     * What the launcher passes to the JVM it starts: {@code -Xmx} from {@code jvm.max-heap}, in MiB. Checks every
     * setting first, as {@link #load} does.
     */
    public static List<String> jvmOptions(Path file, Map<String, String> env, List<Flag> flags) {
        Reader r = new Reader(merge(file, env, flags));
        build(r);
        return List.of("-Xmx" + (r.bytes("jvm.max-heap", MIN_HEAP) >> 20) + "m");
    }

    /**
     * Every setting as it would be used, one a line, with where its value came from:
     * {@code http.port = 8080  (--http-port)}. Passwords are hidden. Checks the settings first, as {@link #load} does.
     */
    public static List<String> explain(Path file, Map<String, String> env, List<Flag> flags) {
        Config c = merge(file, env, flags);
        build(new Reader(c));
        List<String> lines = new ArrayList<>();
        for (String key : KEYS) {
            ConfigValue v = c.getValue(key);
            lines.add(key + " = " + shown(key, v) + "  (" + where(v) + ")");
        }
        return lines;
    }

    private static Config merge(Path file, Map<String, String> env, List<Flag> flags) {
        Config layered = REFERENCE_CONFIG;
        if (file != null) layered = readFile(file).withFallback(layered);
        layered = environment(env).withFallback(layered);
        layered = commandLine(flags).withFallback(layered);
        try {
            return layered.resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("the configuration cannot be resolved: " + e.getMessage());
        }
    }

    private static ServerConfig build(Reader r) {
        // Each value is read (and its type checked) before the record that holds it checks its range, so that a
        // complaint is made once, by whichever finds it first.
        String httpHost = r.text("http.host");
        int httpPort = r.integer("http.port");
        List<String> origins = r.list("http.allowed-origins");
        List<String> proxies = r.list("http.trusted-proxies");
        String metricsToken = r.text("http.metrics-token");
        BrowserSecurity security = r.check(() -> new BrowserSecurity(origins, proxies, metricsToken));
        ServerConfig.Http http = r.check(() -> new ServerConfig.Http(httpHost, httpPort, security));
        String mediaHost = r.text("media.host");
        int mediaPort = r.integer("media.port");
        String announce = r.text("media.announce-address");
        String announceAddress = announce.isBlank() ? ServerConfig.Media.defaultAnnounce(mediaHost) : announce;
        Duration consent = r.duration("media.consent-timeout");
        int tcpPort = r.integer("media.tcp-port");
        Duration tcpCheck = r.duration("media.tcp-check-timeout");
        int tcpPerAddress = r.integer("media.tcp-max-per-address");
        int tcpConnections = r.integer("media.tcp-max-connections");
        Duration speakerInterval = r.duration("media.active-speaker-interval");
        Duration speakerTakeover = r.duration("media.active-speaker-takeover");
        int audienceAudioSlots = r.integer("media.audience-audio-slots");
        int audienceVideoSlots = r.integer("media.audience-video-slots");
        Duration nackFirstDelay = r.duration("media.nack.first-delay");
        Duration nackMinRetry = r.duration("media.nack.min-retry-interval");
        Duration nackInitialRtt = r.duration("media.nack.initial-rtt");
        int maxNacks = r.integer("media.nack.max-nacks");
        Duration nackMaxAge = r.duration("media.nack.max-age");
        var nack = r.check(() -> ServerConfig.Media.nack(nackFirstDelay, nackMinRetry, nackInitialRtt, maxNacks, nackMaxAge));
        long minBitrate = r.bitrate("media.min-bitrate");
        long startBitrate = r.bitrate("media.start-bitrate");
        long maxBitrate = r.bitrate("media.max-bitrate");
        if (minBitrate < 10_000) throw r.bad("media.min-bitrate", "must be at least 10kbps");
        if (maxBitrate < minBitrate) throw r.bad("media.max-bitrate", "must be at least media.min-bitrate");
        if (startBitrate < minBitrate || startBitrate > maxBitrate) {
            throw r.bad("media.start-bitrate", "must lie between media.min-bitrate and media.max-bitrate");
        }
        Duration allocationInterval = r.duration("media.allocation-interval");
        if (allocationInterval.compareTo(Duration.ofMillis(50)) < 0 || allocationInterval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw r.bad("media.allocation-interval", "must be 50ms to 10s");
        }
        int headroom = r.integer("media.allocation-up-headroom");
        if (headroom < 0 || headroom > 100) throw r.bad("media.allocation-up-headroom", "must be 0 to 100 (percent)");
        BandwidthSettings downlink = new BandwidthSettings(minBitrate, startBitrate, maxBitrate,
                allocationInterval.toNanos(), headroom / 100.0);
        Duration pauseDelay = r.duration("media.dynacast-pause-delay");
        boolean redForOpus = r.bool("media.red-for-opus");
        double pacingFactor = r.decimal("media.pacing-factor");
        if (!(pacingFactor >= 1 && pacingFactor <= 10)) throw r.bad("media.pacing-factor", "must be 1 to 10");
        int pacerQueue = r.integer("media.pacer-queue");
        if (pacerQueue < 16 || pacerQueue > 4096) throw r.bad("media.pacer-queue", "must be 16 to 4096 (packets)");
        PacerSettings pacer = new PacerSettings(pacingFactor, pacerQueue);
        ServerConfig.Media media = r.check(() -> new ServerConfig.Media(mediaHost, mediaPort, announceAddress, consent,
                tcpPort, tcpCheck, tcpPerAddress, tcpConnections, speakerInterval, speakerTakeover, audienceAudioSlots, audienceVideoSlots, nack,
                downlink, pauseDelay, redForOpus, pacer));
        Path dataDir = r.path("data-dir");
        String dbUrl = r.text("database.url");
        String dbUser = r.text("database.user");
        String dbPassword = r.text("database.password");
        int poolSize = r.integer("database.pool-size");
        Duration connectionTimeout = r.duration("database.connection-timeout");
        Duration busyWait = r.duration("database.busy-wait");
        long compactGrowth = r.bytes("database.embedded-compact-growth", 0);
        ServerConfig.Database db = r.check(() -> new ServerConfig.Database(dbUrl, dbUser, dbPassword, poolSize, connectionTimeout,
                busyWait, compactGrowth));
        RoomsConfig rooms = new RoomsConfig(
                r.atLeast("rooms.call-max-people", 2),
                r.atLeast("rooms.live-stage-max", 1),
                r.atLeast("rooms.space-co-hosts-max", 0),
                r.atLeast("rooms.space-speakers-max", 0),
                r.atLeast("rooms.screen-share-max-people", 0),
                r.positive("rooms.live-host-grace"),
                r.positive("rooms.event-batch-interval"),
                r.positive("rooms.join-token-ttl"),
                r.positive("rooms.session-ttl"),
                r.positive("rooms.resume-grace"),
                r.positive("rooms.guest-token-ttl"),
                r.positive("rooms.purge-interval"),
                r.atLeast("rooms.listed-audience", 0));
        Duration drain = r.duration("drain-timeout");
        // Checked here like every setting; used before the JVM starts, by the launcher (see jvmOptions).
        r.bytes("jvm.max-heap", MIN_HEAP);
        Limits limits = limits(r);
        BadgesConfig badges = badges(r);
        PeopleConfig people = people(r);
        List<String> iceServers = r.list("whip.ice-servers");
        String iceUsername = r.text("whip.ice-username");
        String iceCredential = r.text("whip.ice-credential");
        ServerConfig.Whip whip = r.check(() -> new ServerConfig.Whip(iceServers, iceUsername, iceCredential));
        int batch = r.atLeast("notifications.batch", 1);
        Duration keepalive = r.positive("notifications.keepalive");
        Duration lead = r.duration("notifications.reminder-lead");
        int maxInvitees = r.atLeast("notifications.max-invitees", 0);
        int maxStreams = r.atLeast("notifications.max-streams-per-account", 1);
        Duration poll = r.positive("notifications.poll-interval");
        int streamQueue = r.atLeast("notifications.stream-queue", 1);
        org.salotto.rooms.notify.NotificationsConfig notifications = r.check(() -> new org.salotto.rooms.notify.NotificationsConfig(
                batch, keepalive, lead, maxInvitees, maxStreams, poll, streamQueue));
        WebhooksConfig webhooks = webhooks(r);
        String redisUrl = r.text("cluster.redis-url");
        Duration nodeLease = r.positive("cluster.node-lease");
        String keyPrefix = r.text("cluster.key-prefix");
        String publicUrl = r.text("cluster.public-url");
        ClusterConfig cluster = r.check(() -> ServerConfig.cluster(redisUrl, nodeLease, keyPrefix, publicUrl));
        return r.check(() -> new ServerConfig(http, media, dataDir, db, rooms, drain, limits, badges, people, whip,
                notifications, webhooks, cluster));
    }

    private static PeopleConfig people(Reader r) {
        long avatarMax = r.bytes("people.avatar-max-bytes", 0);
        if (avatarMax < 1024 || avatarMax > 16L * 1024 * 1024) throw r.bad("people.avatar-max-bytes", "must be 1k to 16m");
        List<String> admins = r.list("people.admins");
        for (String a : admins) {
            if (!a.matches("[A-Za-z0-9_.]{3,32}")) throw r.bad("people.admins", "must be usernames (3 to 32 of A-Z, a-z, 0-9, _ and .)");
        }
        int reports = r.atLeast("people.reports-per-hour", 1);
        return new PeopleConfig((int) avatarMax, admins, reports);
    }

    private static WebhooksConfig webhooks(Reader r) {
        Duration retryFor = r.positive("webhooks.retry-for");
        Duration initial = r.positive("webhooks.retry-initial");
        Duration max = r.positive("webhooks.retry-max-interval");
        if (max.compareTo(initial) < 0) throw r.bad("webhooks.retry-max-interval", "must be at least webhooks.retry-initial");
        return new WebhooksConfig(retryFor, initial, max, r.positive("webhooks.connect-timeout"),
                r.positive("webhooks.request-timeout"), r.positive("webhooks.poll-interval"),
                r.bool("webhooks.allow-private-networks"), r.atLeast("webhooks.max-endpoints", 1));
    }

    private static BadgesConfig badges(Reader r) {
        String currency = r.text("badges.currency");
        if (!currency.matches("[A-Z]{3}")) throw r.bad("badges.currency", "must be an ISO 4217 code in capitals, such as USD or EUR");
        List<Long> prices = new ArrayList<>();
        for (String p : r.list("badges.prices")) {
            long v;
            try {
                v = Long.parseLong(p);
            } catch (NumberFormatException e) {
                throw r.bad("badges.prices", "must be whole numbers of minor units (cents), such as [99, 199, 499]");
            }
            if (v < 1 || v > 100_000_000L) throw r.bad("badges.prices", "must each be 1 to 100000000 minor units");
            prices.add(v);
        }
        if (prices.size() != 3) throw r.bad("badges.prices", "must be three prices: for 1, 2 and 3 hearts");
        int fee = r.atLeast("badges.platform-fee-basis-points", 0);
        if (fee > 10_000) throw r.bad("badges.platform-fee-basis-points", "must be at most 10000 (100%)");
        String provider = r.text("badges.provider");
        if (!provider.equals("sandbox")) throw r.bad("badges.provider", "must be sandbox: the only payment provider of this version");
        Duration wait = r.positive("badges.idempotency-wait");
        Duration timeout = r.positive("badges.provider-timeout");
        int declineEvery = r.atLeast("badges.sandbox.decline-every", 0);
        Duration delay = r.duration("badges.sandbox.delay");
        boolean twice = r.bool("badges.sandbox.answer-twice");
        return new BadgesConfig(new BadgePrices(currency, prices, fee), provider, wait, timeout,
                new SandboxPaymentProvider.Settings(declineEvery, delay, twice));
    }

    private static Limits limits(Reader r) {
        return new Limits(r.rate("limits.login-per-address"), r.rate("limits.login-per-account"),
                r.atLeast("limits.login-lockout-failures", 0), r.positive("limits.login-lockout"),
                r.atLeast("limits.password-hashes-at-once", 0), r.atLeast("limits.password-hash-queue", 0),
                r.positive("limits.password-hash-wait"), r.rate("limits.rooms-per-account"),
                r.rate("limits.guest-tokens-per-address"), r.rate("limits.join-tokens-per-address"),
                r.rate("limits.reactions-per-person"), r.rate("limits.knocks-per-person"),
                r.atLeast("limits.lobby-max-people", 1), r.rate("limits.frames-per-connection"),
                r.atLeast("limits.connections-per-address", 0), r.positive("limits.request-header-timeout"),
                r.atLeast("limits.tracked-keys-max", 1), r.rate("limits.comments-per-person"));
    }

    // ---- the layers ----

    private static Config readFile(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException("--config " + file + ": no such file");
        if (!Files.isReadable(file)) throw new ConfigException("--config " + file + ": cannot be read");
        Config c;
        try {
            c = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)
                    .setSyntax(ConfigSyntax.CONF));
        } catch (com.typesafe.config.ConfigException e) {
            // The library's message starts with the file's name and line.
            throw new ConfigException("config file " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        unknownKeys(c.root(), "", problems);
        if (!problems.isEmpty()) throw new ConfigException(problems.getFirst());
        return c;
    }

    /** Walks the file's tree (unresolved: a substitution is a leaf) and reports keys the reference does not have. */
    private static void unknownKeys(ConfigObject o, String prefix, List<String> problems) {
        for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
            String key = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : prefix + "." + ConfigUtil.joinPath(e.getKey());
            ConfigValue v = e.getValue();
            boolean group = KEYS.stream().anyMatch(k -> k.startsWith(key + "."));
            if (v instanceof ConfigObject child && group) {
                unknownKeys(child, key, problems);
            } else if (group) {
                problems.add(key + " (" + where(v) + ") is a group of settings, not one value: write "
                        + key + " { ... } with keys such as " + KEYS.stream().filter(k -> k.startsWith(key + ".")).findFirst().orElseThrow());
            } else if (!KEYS.contains(key)) {
                problems.add("unknown setting " + key + " (" + where(v) + ")" + suggestion(key)
                        + " Every setting is listed in " + REFERENCE + " and docs/operations.md");
            }
        }
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KEYS) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= 3 ? "; did you mean " + best + "?" : ".";
    }

    /** Levenshtein distance, for "did you mean". */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Config environment(Map<String, String> env) {
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, List<String>> alias : ENV_ALIASES.entrySet()) {
            String v = env.get(alias.getKey());
            if (v == null || v.isBlank()) continue;
            for (String key : alias.getValue()) {
                c = c.withValue(key, ConfigValueFactory.fromAnyRef(v, "environment variable " + alias.getKey()));
            }
        }
        for (String key : KEYS) {
            String name = envName(key);
            String v = env.get(name);
            if (v == null || v.isBlank()) continue;
            c = c.withValue(key, ConfigValueFactory.fromAnyRef(v, "environment variable " + name));
        }
        return c;
    }

    private static Config commandLine(List<Flag> flags) {
        Config c = ConfigFactory.empty();
        for (Flag f : flags) {
            if (!KEYS.contains(f.key())) {
                throw new ConfigException(f.flag() + ": unknown setting " + f.key() + suggestion(f.key())
                        + " Every setting is listed in " + REFERENCE + " and docs/operations.md");
            }
            c = c.withValue(f.key(), ConfigValueFactory.fromAnyRef(f.value(), f.flag()));
        }
        return c;
    }

    private static Set<String> leafKeys(Config resolved) {
        Set<String> keys = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : resolved.entrySet()) keys.add(e.getKey());
        return java.util.Collections.unmodifiableSet(keys);
    }

    private static String where(ConfigValue v) {
        String d = v.origin().description();
        // The defaults' origin names the jar or folder: the file's name and line are what a person looks up.
        if (d.startsWith(REFERENCE + " @ ")) d = REFERENCE + d.substring(d.lastIndexOf(':'));
        // A file's origin reads "/path/salotto.conf: 12": say "line" for people.
        return d.replaceFirst(": (\\d+)$", ", line $1");
    }

    /** A value as a person wrote it: text unquoted (unless empty), passwords and tokens hidden. */
    private static String shown(String key, ConfigValue v) {
        if (key.endsWith("password") || key.endsWith("token")) return v.unwrapped() == null || v.unwrapped().toString().isEmpty() ? "\"\"" : "***";
        Object raw = v.unwrapped();
        // A Redis URL may carry its password: redis://:secret@host.
        if (key.endsWith("redis-url") && raw instanceof String url) raw = ClusterConfig.withoutPassword(url);
        if (raw instanceof String text && !text.isBlank()) return text;
        return v.render(ConfigRenderOptions.concise());
    }

    // ---- typed reads that name the setting ----

    /** Reads typed values from the resolved tree; every problem becomes a {@link ConfigException} naming the key. */
    private record Reader(Config c) {
        String text(String key) {
            try {
                return c.getString(key);
            } catch (com.typesafe.config.ConfigException e) {
                throw bad(key, "must be a text value");
            }
        }

        /**
         * A list of texts: a HOCON list in a file, or (from an environment variable or a flag, which are text) the
         * items separated by commas. Empty items are dropped.
         */
        List<String> list(String key) {
            try {
                if (c.getValue(key).valueType() == com.typesafe.config.ConfigValueType.LIST) {
                    return c.getStringList(key).stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
                }
                return java.util.Arrays.stream(c.getString(key).split(",")).map(String::strip).filter(v -> !v.isEmpty())
                        .toList();
            } catch (com.typesafe.config.ConfigException e) {
                throw bad(key, "must be a list of texts, e.g. [\"https://salotto.example\"] (or, in a variable or "
                        + "flag, items separated by commas)");
            }
        }

        Path path(String key) {
            String t = text(key);
            try {
                return Path.of(t);
            } catch (java.nio.file.InvalidPathException e) {
                throw bad(key, "is not a usable path: " + e.getReason());
            }
        }

        int integer(String key) {
            try {
                return c.getInt(key);
            } catch (com.typesafe.config.ConfigException e) {
                throw bad(key, "must be a whole number");
            }
        }

        double decimal(String key) {
            try {
                return c.getDouble(key);
            } catch (com.typesafe.config.ConfigException e) {
                throw bad(key, "must be a number");
            }
        }

        boolean bool(String key) {
            try {
                return c.getBoolean(key);
            } catch (com.typesafe.config.ConfigException e) {
                throw bad(key, "must be true or false");
            }
        }

        int atLeast(String key, int min) {
            int v = integer(key);
            if (v < min) throw bad(key, "must be at least " + min);
            return v;
        }

        Duration duration(String key) {
            Duration d;
            try {
                d = c.getDuration(key);
            } catch (com.typesafe.config.ConfigException e) {
                throw bad(key, "must be a duration with a unit, e.g. 500ms, 30s, 10m, 1h, 30d");
            }
            if (d.isNegative()) throw bad(key, "must not be negative");
            return d;
        }

        /** A rate: {@code key} the count (0: off), {@code key-period} its period. */
        Rate rate(String key) {
            int count = atLeast(key, 0);
            Duration per = positive(key + "-period");
            return new Rate(count, per);
        }

        /** A bitrate in bits per second: {@code 300kbps}, {@code 2.5Mbps}, {@code 800000bps}. */
        long bitrate(String key) {
            String t = text(key).strip();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]?)bps").matcher(t);
            if (!m.matches()) throw bad(key, "must be a bitrate with a unit, e.g. 300kbps, 2.5Mbps");
            double v = Double.parseDouble(m.group(1));
            double scale = switch (m.group(2).toLowerCase()) {
                case "k" -> 1e3;
                case "m" -> 1e6;
                case "g" -> 1e9;
                default -> 1;
            };
            double bps = v * scale;
            if (bps > 1e11) throw bad(key, "is larger than any link");
            return Math.round(bps);
        }

        /** A size in bytes: {@code 512m}, {@code 1g} (HOCON's sizes: k, m, g, with or without B, iB). */
        long bytes(String key, long min) {
            long b;
            try {
                b = c.getBytes(key);
            } catch (com.typesafe.config.ConfigException e) {
                throw bad(key, "must be a size with a unit, e.g. 512m, 1g");
            }
            if (b < min) throw bad(key, "must be at least " + (min >> 20) + "m");
            return b;
        }

        Duration positive(String key) {
            Duration d = duration(key);
            if (d.isZero()) throw bad(key, "must be longer than zero");
            return d;
        }

        /** Builds a record, adding to its complaint the value and where it was written. */
        <T> T check(java.util.function.Supplier<T> make) {
            try {
                return make.get();
            } catch (ConfigException e) {
                if (e.key() == null || !c.hasPathOrNull(e.key())) throw e;
                throw bad(e.key(), e.problem());
            }
        }

        /** "rooms.call-max-people = 1 (environment variable SALOTTO_ROOMS_CALL_MAX_PEOPLE): must be at least 2". */
        ConfigException bad(String key, String problem) {
            String shown;
            String origin;
            try {
                ConfigValue v = c.getValue(key);
                shown = shown(key, v);
                origin = " (" + where(v) + ")";
            } catch (com.typesafe.config.ConfigException e) {
                shown = "(nothing)";
                origin = "";
            }
            return new ConfigException(key, "= " + shown + origin + ": " + problem);
        }
    }
}
