package org.salotto.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salotto serve}: reads the configuration (flags, environment, {@code --config} file, defaults), starts the
 * server and prints the URL to open. On SIGTERM (or Ctrl-C) it drains: see {@link SalottoServer#drain()}.
 *
 * <p>Exit status: 0 after a drain, 1 if the server could not start (a port in use, the database unreachable), 2 for a
 * bad flag or setting.
 */
@Command(name = "salotto serve", sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs Salotto: the web app, the HTTP API, the room WebSockets and the media server, in one process.",
        footer = {"",
                "Every setting (ports, database, room limits and timings, media and drain timeouts) is in "
                        + "salotto-reference.conf with its unit and default; see docs/operations.md. A value comes from, "
                        + "strongest first: a flag, an environment variable (SALOTTO_ and the key in capitals, dots and "
                        + "dashes as underscores: rooms.call-max-people is SALOTTO_ROOMS_CALL_MAX_PEOPLE), the --config "
                        + "file, the defaults.",
                "",
                "On SIGTERM the server refuses new joins, tells everyone, waits up to drain-timeout for people to "
                        + "leave, ends the open rooms and exits with status 0.",
                "",
                "Exit status: 0 after a drain, 1 when the server cannot start, 2 for a bad flag or setting."})
public final class Main implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Option(names = "--config", paramLabel = "FILE", description = "a configuration file (HOCON, the layout of salotto-reference.conf)")
    Path configFile;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "address the HTTP and media sockets bind to (http.host and media.host; default 127.0.0.1)")
    String host;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP and WebSocket port, 0 for any free one (http.port; default 8080)")
    String httpPort;

    @Option(names = "--media-port", paramLabel = "PORT", description = "the one UDP port for all media, 0 for any free one (media.port; default 50000)")
    String mediaPort;

    @Option(names = "--media-tcp-port", paramLabel = "PORT", description = "the ICE-TCP port for browsers whose UDP is blocked, 0 for any free one, -1 for none (media.tcp-port; default: the UDP port's number)")
    String mediaTcpPort;

    @Option(names = "--announce", paramLabel = "IP", description = "the IP address put in ICE candidates, the one browsers reach (media.announce-address; default: the host, 127.0.0.1 when binding 0.0.0.0)")
    String announce;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the embedded database file lives (data-dir; default data)")
    String dataDir;

    @Option(names = "--database-url", paramLabel = "URL", description = "a PostgreSQL JDBC URL instead of the embedded database (database.url)")
    String databaseUrl;

    @Option(names = "--database-user", paramLabel = "USER", description = "PostgreSQL user (database.user; default postgres)")
    String databaseUser;

    @Option(names = "--database-password", paramLabel = "PASSWORD", description = "PostgreSQL password (database.password); prefer SALOTTO_DATABASE_PASSWORD: flags show in ps")
    String databasePassword;

    @Option(names = "--redis-url", paramLabel = "URL", description = "Redis, to run this node as one of several (cluster.redis-url, redis://HOST:6379; needs --database-url); prefer SALOTTO_CLUSTER_REDIS_URL when it holds a password")
    String redisUrl;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any setting by its key, e.g. --set rooms.resume-grace=5s (repeatable)")
    Map<String, String> settings = new java.util.LinkedHashMap<>();

    @Option(names = "--check", description = "check the configuration, print every setting and where it came from, and exit (0 if good, 2 if not)")
    boolean check;

    @Option(names = "--jvm-options", description = "print the JVM options the configuration asks for (-Xmx from jvm.max-heap), one a line, and exit: the salotto launcher starts the server's JVM with them")
    boolean jvmOptions;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a bad flag prints the message and the usage, status 2. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setParameterExceptionHandler(Main::refuse);
    }

    /** A bad flag: the complaint, picocli's "did you mean" if it has one, and the usage, with status 2. */
    private static int refuse(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("salotto serve: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println();
        cli.usage(err);
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    /** The flags given, as settings: {@code --http-port 0} is {@code http.port = 0}. */
    List<ConfigLoader.Flag> flags() {
        List<ConfigLoader.Flag> flags = new ArrayList<>();
        if (host != null) {
            flags.add(new ConfigLoader.Flag("http.host", host, "--host"));
            flags.add(new ConfigLoader.Flag("media.host", host, "--host"));
        }
        add(flags, "http.port", httpPort, "--http-port");
        add(flags, "media.port", mediaPort, "--media-port");
        add(flags, "media.tcp-port", mediaTcpPort, "--media-tcp-port");
        add(flags, "media.announce-address", announce, "--announce");
        add(flags, "data-dir", dataDir, "--data-dir");
        add(flags, "database.url", databaseUrl, "--database-url");
        add(flags, "database.user", databaseUser, "--database-user");
        add(flags, "database.password", databasePassword, "--database-password");
        add(flags, "cluster.redis-url", redisUrl, "--redis-url");
        // --set comes last: it is the most specific, so it wins over a named flag for the same key.
        settings.forEach((k, v) -> flags.add(new ConfigLoader.Flag(k, v, "--set " + k)));
        return flags;
    }

    private static void add(List<ConfigLoader.Flag> flags, String key, String value, String flag) {
        if (value != null) flags.add(new ConfigLoader.Flag(key, value, flag));
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig config;
        try {
            if (jvmOptions) {
                ConfigLoader.jvmOptions(configFile, System.getenv(), flags()).forEach(out::println);
                out.flush();
                return 0;
            }
            if (check) {
                ConfigLoader.explain(configFile, System.getenv(), flags()).forEach(out::println);
                out.flush();
                return 0;
            }
            config = ConfigLoader.load(configFile, System.getenv(), flags());
        } catch (ServerConfig.ConfigException e) {
            err.println("salotto: " + e.getMessage());
            return 2;
        }
        SalottoServer server;
        try {
            server = SalottoServer.start(config);
        } catch (IOException | RuntimeException e) {
            log.error("could not start", e);
            err.println("salotto: could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("drain").unstarted(() -> {
            log.info("stopping: draining first (at most {})", config.drainTimeout());
            try {
                server.drain();
            } finally {
                server.close();
                stopped.countDown();
                log.info("stopped");
            }
            // The JVM would exit with 143 (killed by SIGTERM) once the hooks end; a drained server exits cleanly.
            Runtime.getRuntime().halt(0);
        }));
        log.info("media on udp {}:{}{}, announced as {}; heap limit {} MiB", config.media().host(), server.mediaPort(),
                server.mediaTcpPort() < 0 ? " (no ICE-TCP port)" : " and tcp " + server.mediaTcpPort(),
                config.media().announceAddress(), Runtime.getRuntime().maxMemory() >> 20);
        out.println();
        out.println("  Salotto is running. Open " + server.baseUrl() + "/ to sign up, create a room and share its link.");
        out.println();
        out.flush();
        stopped.await();
        return 0;
    }
}
