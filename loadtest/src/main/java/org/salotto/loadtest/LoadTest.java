package org.salotto.loadtest;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code salotto loadtest}: the command line. A progress line per second on stderr; at the end a summary on stdout
 * and, with {@code --report DIR}, {@code DIR/report.json} and {@code DIR/report.html}.
 * {@code salotto loadtest compare A/report.json B/report.json} prints and writes the CPU-per-packet ratio of two runs.
 *
 * <p>Exit status: 0 when every participant joined, 1 when some did not, 2 for a bad flag (with the usage).
 */
@Command(name = "salotto loadtest", sortOptions = false, usageHelpAutoWidth = true,
        subcommands = {LoadTest.Compare.class, FloodProbe.class, CommentsProbe.class, FanoutProbe.class,
                FloorProbe.class},
        description = "Simulated WebRTC participants (ICE, DTLS-SRTP, RTP) against a running server: loss, jitter, "
                + "delay, join time, and the server's CPU per packet (loadtest/README.md).",
        footer = {"", "Publishers send audio when --audio is given or no video is asked for. With --server janus the "
                + "default --url is ws://127.0.0.1:8188 (Janus's WebSocket API).",
                "", "Exit status: 0 when every participant joined, 1 when some did not, 2 for a bad flag."})
public final class LoadTest implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "salotto|janus", description = "the server to measure (default salotto)")
    String server = "salotto";

    @Option(names = "--url", paramLabel = "URL", description = "the server's base URL (default http://127.0.0.1:8080; Janus: ws://127.0.0.1:8188)")
    URI url;

    @Option(names = "--room", paramLabel = "TITLE", description = "the room everyone joins (default loadtest)")
    String room = "loadtest";

    @Option(names = "--kind", paramLabel = "space|live|call", description = "Salotto's room kind; publishers go on its stage (default space)")
    String kind = "space";

    @Option(names = "--publishers", paramLabel = "N", description = "participants that publish, joined first (default 1)")
    int publishers = 1;

    @Option(names = "--audio", description = "publishers send audio (on when no video is asked for)")
    boolean audio;

    @Option(names = "--video-kbps", paramLabel = "KBPS", description = "video bitrate per publisher, 0 for none (default 0)")
    int videoKbps;

    @Option(names = "--keyframe-seconds", paramLabel = "S", description = "seconds between periodic keyframes (default 3)")
    int keyframeSeconds = 3;

    @Option(names = "--subscribers", paramLabel = "N", description = "participants that only receive (default 10)")
    int subscribers = 10;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "how long media runs after the last join started: 500ms, 30s, 2m (default 30s)")
    Duration duration = Duration.ofSeconds(30);

    @Option(names = "--join-rate", paramLabel = "PER_S", description = "joins started per second (default 10)")
    double joinRate = 10;

    @Option(names = "--decrypt-every", paramLabel = "N", description = "subscribers decrypt one packet in N, for the delay (default 10)")
    int decryptEvery = 10;

    @Option(names = "--threads", paramLabel = "N", description = "pacer threads and receiver threads, each (default 1)")
    int threads = 1;

    @Option(names = "--server-pid", paramLabel = "PID", description = "the server's process, for its CPU time and memory")
    long serverPid;

    @Option(names = "--report", paramLabel = "DIR", description = "folder for report.json and report.html")
    Path report;

    @Option(names = "--profile-steady", paramLabel = "FILE.jfr", description = "the server (a JVM) records its steady state there")
    Path profile;

    @Option(names = "--socket-per-connection", description = "a UDP socket per simulated connection, not shared sockets")
    boolean socketPerConnection;

    @Option(names = "--stage-moves", description = "once everyone is in, the host moves the last publisher to the "
            + "audience and back; each listener counts the subscribe offers it got over the moves")
    boolean stageMoves;

    @Option(names = "--simulcast", description = "publishers send their video in three VP8 layers (q 320x180, h "
            + "640x360, f 1280x720 at 1/8, 2/8 and 5/8 of --video-kbps) and pause those the server says nobody needs")
    boolean simulcast;

    @Option(names = "--viewer-sizes", paramLabel = "SIZE:N,...", description = "the tile sizes listeners report "
            + "(videoSize), by turns: small (320x180), medium (640x360), large (1280x720) or WxH, each with how many of a "
            + "turn take it, e.g. small:1,medium:1,large:1 (default: none, every listener gets the top layer)")
    String viewerSizes;

    @Option(names = "--node-urls", paramLabel = "URL,...", description = "a cluster's nodes: listeners join through "
            + "them by turns (the room is made through --url), and a listener whose node is lost comes back through the "
            + "next (resume, else a fresh join); the time from the loss to audio again is reported per listener")
    String nodeUrls;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) throws Exception {
        System.exit(commandLine().execute(args));
    }

    /** The command line: a bad flag or value prints the complaint and the usage, with status 2. */
    static CommandLine commandLine() {
        return new CommandLine(new LoadTest()).setParameterExceptionHandler(LoadTest::refuse);
    }

    private static int refuse(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println(cli.getCommandName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println();
        cli.usage(err);
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    /** The run the flags ask for; {@link IllegalArgumentException} says which flag is wrong. */
    LoadTestConfig config() {
        ServerKind kindOfServer;
        try {
            kindOfServer = ServerKind.valueOf(server.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server is salotto or janus, not '" + server + "'");
        }
        URI base = url != null ? url
                : URI.create(kindOfServer == ServerKind.JANUS ? "ws://127.0.0.1:8188" : "http://127.0.0.1:8080");
        return new LoadTestConfig(kindOfServer, base, room, kind, publishers, audio || videoKbps == 0, videoKbps,
                keyframeSeconds, subscribers, duration, joinRate, decryptEvery, threads, serverPid, report, profile,
                socketPerConnection, stageMoves, simulcast, LoadTestConfig.viewerSizes(viewerSizes),
                LoadTestConfig.nodeUrls(nodeUrls));
    }

    /** Parses the flags alone (for tests): the run they ask for, or the exception picocli or the checks throw. */
    static LoadTestConfig parse(String... args) {
        LoadTest command = new LoadTest();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    @Override
    public Integer call() throws Exception {
        LoadTestConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            CommandLine cli = spec.commandLine();
            cli.getErr().println(cli.getCommandName() + ": " + e.getMessage());
            cli.getErr().println();
            cli.usage(cli.getErr());
            cli.getErr().flush();
            return CommandLine.ExitCode.USAGE;
        }
        return run(config);
    }

    private static int run(LoadTestConfig config) throws Exception {
        LoadResult r = new LoadRun(config, System.err).run();
        LoadResult.Steady s = r.steady();
        LoadResult.Memory m = r.memory();
        System.out.printf(Locale.ROOT, "%s: sent %d packets, subscribers received %d, lost %d (%.3f%%), jitter %.3f ms%n",
                config.server().name().toLowerCase(), r.packetsSent(), r.packetsReceived(), r.lost(),
                100 * r.lossRatio(), r.jitterMillis());
        System.out.printf(Locale.ROOT, "delay ms %s (%d samples); join ms %s; %d joins failed%n", r.delayMillis(),
                r.delaySamples(), r.joinMillis(), r.joinsFailed());
        System.out.printf(Locale.ROOT, "server, whole run: %.3f s CPU (%s), %.0f datagrams sent, %.3f µs CPU per packet sent%n",
                r.serverCpuSeconds(), r.serverCpuSource(),
                r.serverDeltas().getOrDefault("salotto_media_datagrams_sent_total", 0.0), r.serverCpuMicrosPerPacketSent());
        System.out.printf(Locale.ROOT, "server, steady state (%.1f s%s): %.3f s CPU, %.0f datagrams sent (its count), "
                        + "%d received by the generator: %.3f µs per packet sent, %.3f µs per datagram received%n",
                s.seconds(), s.settled() ? "" : ", NOT settled: some joins never finished", s.cpuSeconds(),
                s.serverDatagramsSent(), s.datagramsFromServer(), s.cpuMicrosPerPacketSent(),
                s.cpuMicrosPerDatagramReceived());
        System.out.printf(Locale.ROOT, "generator, steady state: %.3f s CPU, %.3f µs per datagram received%n",
                s.clientCpuSeconds(), s.clientCpuMicrosPerDatagramReceived());
        System.out.printf(Locale.ROOT, "server memory, %d participants: heap %.0f bytes each (live after GC %d -> %d), "
                        + "RSS %.0f bytes each (%d -> %d)%n", m.participants(), m.heapBytesPerParticipant(),
                m.heapLiveBefore(), m.heapLiveAfter(), m.residentBytesPerParticipant(), m.residentBefore(),
                m.residentAfter());
        LoadResult.Audience a = r.audience();
        System.out.printf(Locale.ROOT, "listeners: at most %d audio streams each (%d on average), %d subscribe offers "
                        + "each at most%s%n", a.maxAudioStreams(), Math.round(a.meanAudioStreams()), a.maxOffers(),
                a.stageMoves() ? "; during the stage moves: " + a.offersDuringMoves() + " offers to listeners in all ("
                        + a.movesDone() + " moves done)" : "");
        if (a.comebacks() > 0) {
            System.out.printf(Locale.ROOT, "listeners who lost their node: %d came back (%d resumed), audio again after "
                    + "%.0f ms at most, %.0f ms at the median%n", a.comebacks(), a.resumed(), a.recoveryMaxMillis(),
                    a.recoveryMedianMillis());
        }
        if (config.simulcast() || !config.viewerSizes().isEmpty()) {
            System.out.printf(Locale.ROOT, "video: simulcast %s; %d layer SSRCs acknowledged by the server, %d layers "
                    + "paused and %d resumed on publisherLayers%n", config.simulcast() ? "on" : "off", r.ridsAcked(),
                    r.layersPaused(), r.layersResumed());
            for (LoadResult.SizeGroup g : LoadResult.SizeGroup.of(r.listeners())) {
                double[] sh = g.layerShare();
                System.out.printf(Locale.ROOT, "  listeners showing %s (%d): %.0f kbit/s per video stream; sampled "
                                + "packets from one encoding %.0f%%, q %.0f%%, h %.0f%%, f %.0f%%%n", g.size(),
                        g.listeners(), g.kbpsPerStream(), 100 * sh[0], 100 * sh[1], 100 * sh[2], 100 * sh[3]);
            }
        }
        if (config.report() != null) {
            ReportWriter.write(r, config.report());
            System.out.println("report: " + config.report().resolve("report.html"));
        }
        return r.joinsFailed() == 0 ? 0 : 1;
    }

    /** {@code salotto loadtest compare SALOTTO/report.json JANUS/report.json}. */
    @Command(name = "compare", usageHelpAutoWidth = true,
            description = "Salotto's CPU per datagram over Janus's, from two runs' report.json; writes comparison.json "
                    + "beside the first report.")
    static final class Compare implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SALOTTO/report.json")
        Path salotto;

        @Parameters(index = "1", paramLabel = "JANUS/report.json")
        Path janus;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @Override
        public Integer call() throws Exception {
            compare(salotto, janus);
            return 0;
        }
    }

    /** "30s", "2m", "500ms" or plain seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return LoadTestConfig.duration(value);
        }
    }

    /**
     * Salotto's CPU per packet over Janus's, from two runs of one scenario, each counted the same way: server CPU in
     * the steady state over the datagrams the generator received from that server. Writes comparison.json beside
     * the first report.
     */
    private static void compare(Path salotto, Path janus) throws Exception {
        JsonNode a = SignalingClient.JSON.readTree(Files.readString(salotto));
        JsonNode b = SignalingClient.JSON.readTree(Files.readString(janus));
        double sa = a.path("server").path("steady").path("cpuMicrosPerDatagramReceived").asDouble(-1);
        double sb = b.path("server").path("steady").path("cpuMicrosPerDatagramReceived").asDouble(-1);
        double ratio = sa > 0 && sb > 0 ? sa / sb : -1;
        ObjectNode out = SignalingClient.JSON.createObjectNode();
        out.put("salottoReport", salotto.toString()).put("janusReport", janus.toString())
                .put("salottoCpuMicrosPerDatagramReceived", sa).put("janusCpuMicrosPerDatagramReceived", sb)
                .put("ratio", ratio)
                .put("salottoLossPercent", a.path("client").path("lossPercent").asDouble())
                .put("janusLossPercent", b.path("client").path("lossPercent").asDouble());
        Path file = salotto.toAbsolutePath().getParent().resolveSibling("comparison.json");
        Files.writeString(file, SignalingClient.JSON.writer().with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(out));
        System.out.printf(Locale.ROOT, "CPU per datagram received, steady state: Salotto %.3f µs, Janus %.3f µs: "
                + "ratio %.3f (target <= 0.5)%ncomparison: %s%n", sa, sb, ratio, file);
    }
}
