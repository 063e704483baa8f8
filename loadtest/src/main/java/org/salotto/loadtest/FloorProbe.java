package org.salotto.loadtest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code salotto loadtest floor}: the floor benchmark ({@code loadtest/floor/floor.c}), the work any SFU must do per
 * packet it sends (authenticate and decrypt the publisher's packet, then per subscriber copy, rewrite, SRTP-protect
 * with the subscriber's key, {@code sendmmsg}) done in C with OpenSSL, run in the shape of a Salotto run: with
 * {@code --salotto REPORT.json} the fan-out, packet rate, packet size and window come from that run, and the output
 * gives Salotto's CPU per packet sent over the floor's (docs/performance.md, "The floor").
 */
@Command(name = "floor", usageHelpAutoWidth = true, sortOptions = false,
        description = "This machine's floor: an SFU's per-packet work in C (SRTP, copy, rewrite, sendmmsg), in the "
                + "shape of a Salotto run, and Salotto's CPU per packet sent over it.",
        footer = {"", "Without --salotto, the shape is the flags' (defaults: 100 subscribers, 50 packets/s, Opus-sized "
                + "audio). The program is compiled from loadtest/floor/floor.c with gcc and libcrypto (apt-get install "
                + "gcc libssl-dev).", "", "Exit status: 0 when the floor ran, 1 when it could not, 2 for a bad flag."})
final class FloorProbe implements Callable<Integer> {
    /** The load generator's audio packets: payload and extension block (audio level, transport-wide sequence). */
    static final int AUDIO_EXTENSION_BYTES = 12;

    @Option(names = "--salotto", paramLabel = "REPORT.json",
            description = "a Salotto run's report: its shape, and its CPU per packet sent to compare")
    Path salotto;

    @Option(names = "--janus", paramLabel = "REPORT.json",
            description = "a Janus run of the same scenario (with --salotto): Janus's CPU over the floor's too")
    Path janus;

    @Option(names = "--subscribers", paramLabel = "N", description = "copies per packet (default: the run's, or 100)")
    Integer subscribers;

    @Option(names = "--rate", paramLabel = "PPS", description = "packets per second in (default: the run's, or 50)")
    Double rate;

    @Option(names = "--payload", paramLabel = "BYTES", description = "RTP payload bytes (default 100, the generator's audio)")
    Integer payload;

    @Option(names = "--extension-bytes", paramLabel = "BYTES",
            description = "RTP header extension block, its header included: 12 (default, the generator's audio), 8 (its video), 0")
    Integer extensionBytes;

    @Option(names = "--seconds", paramLabel = "S", description = "measured window (default: the run's steady state, at least 10; or 20)")
    Double seconds;

    @Option(names = "--warmup", paramLabel = "S", description = "unmeasured seconds first (default 3)")
    double warmup = 3;

    @Option(names = "--source", paramLabel = "floor.c", description = "the program's source (default loadtest/floor/floor.c)")
    Path source;

    @Option(names = "--report", paramLabel = "DIR",
            description = "folder for floor.json (and floor-comparison.json with --salotto; default: beside that report)")
    Path report;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    /** What the floor runs. */
    record Shape(int subscribers, double rate, int payload, int extensionBytes, double seconds) {
    }

    /**
     * The shape: each flag given, else the Salotto run's, else the defaults. From a run: the copies per packet are
     * the listeners plus the other publishers (every publisher's packet goes to everyone but itself), the rate is
     * what the publishers sent in the steady state over its length. A run with video has packets of many sizes: its
     * shape needs {@code --payload} and {@code --extension-bytes}.
     */
    Shape shape(JsonNode run) {
        int n = 100, p = 100, ext = AUDIO_EXTENSION_BYTES;
        double pps = 50, s = 20;
        if (run != null) {
            JsonNode config = run.path("config"), steady = run.path("server").path("steady");
            if (!config.path("publishers").canConvertToInt() || !config.path("subscribers").canConvertToInt()) {
                throw new IllegalArgumentException(salotto + " is not a load test report (no config.publishers)");
            }
            n = config.path("subscribers").asInt() + config.path("publishers").asInt() - 1;
            double window = steady.path("seconds").asDouble(0);
            long sent = steady.path("packetsSentByClients").asLong(0);
            if (rate == null && (window <= 0 || sent <= 0)) {
                throw new IllegalArgumentException(salotto + " has no steady-state packet count: give --rate");
            }
            if (window > 0 && sent > 0) pps = sent / window;
            s = Math.max(10, Math.round(window));
            if (config.path("videoKbps").asInt(0) > 0 && (payload == null || extensionBytes == null)) {
                throw new IllegalArgumentException(salotto + " is a run with video, whose packets vary in size: give "
                        + "--payload and --extension-bytes");
            }
        }
        Shape shape = new Shape(subscribers != null ? subscribers : n, rate != null ? rate : pps,
                payload != null ? payload : p, extensionBytes != null ? extensionBytes : ext,
                seconds != null ? seconds : s);
        if (shape.subscribers() < 1 || shape.rate() <= 0 || shape.payload() < 10 || shape.seconds() <= 0
                || shape.extensionBytes() < 0 || shape.extensionBytes() % 4 != 0 || shape.extensionBytes() == 4) {
            throw new IllegalArgumentException("a floor of " + shape + " cannot run: subscribers >= 1, rate > 0, "
                    + "payload >= 10, seconds > 0, extension bytes 0 or a multiple of 4 from 8");
        }
        return shape;
    }

    /** The floor's command for a shape. */
    List<String> command(Path binary, Shape s) {
        return List.of(binary.toString(), "bench", "--subscribers", Integer.toString(s.subscribers()),
                "--rate", fmt(s.rate()), "--payload", Integer.toString(s.payload()),
                "--extension-bytes", Integer.toString(s.extensionBytes()), "--seconds", fmt(s.seconds()),
                "--warmup", fmt(warmup));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    @Override
    public Integer call() throws Exception {
        JsonNode run = salotto == null ? null : SignalingClient.JSON.readTree(Files.readString(salotto));
        JsonNode janusRun = janus == null ? null : SignalingClient.JSON.readTree(Files.readString(janus));
        if (janusRun != null && run == null) {
            System.err.println("salotto loadtest floor: --janus compares with the Salotto run of --salotto");
            return 2;
        }
        Shape shape;
        try {
            shape = shape(run);
        } catch (IllegalArgumentException e) {
            System.err.println("salotto loadtest floor: " + e.getMessage());
            return 2;
        }
        Path binary = FloorBinary.build(source != null ? source : FloorBinary.defaultSource());
        System.out.printf(Locale.ROOT, "floor: %d subscribers, %.1f packets/s, %d-byte payload, %.1f s (+%.1f s warm-up)%n",
                shape.subscribers(), shape.rate(), shape.payload(), shape.seconds(), warmup);
        FloorResult floor;
        try {
            floor = runFloor(command(binary, shape), (long) Math.ceil(shape.seconds() + warmup + 30));
        } catch (IllegalStateException e) {
            System.err.println("salotto loadtest floor: " + e.getMessage());
            return 1;
        }
        System.out.printf(Locale.ROOT, "floor: %d datagrams of %d bytes sent in %.1f s (sink drained %d), CPU %.3f s "
                        + "user + %.3f s system: %.3f µs per packet sent%n", floor.datagramsSent(), floor.datagramBytes(),
                floor.seconds(), floor.sinkReceived(), floor.cpuUserSeconds(), floor.cpuSystemSeconds(),
                floor.microsPerPacketSent());
        Path dir = report != null ? report : salotto != null ? salotto.toAbsolutePath().getParent().getParent() : null;
        if (dir != null) {
            Files.createDirectories(dir);
            write(dir.resolve("floor.json"), floorJson(floor));
        }
        if (run != null) {
            ObjectNode c = compare(run, janusRun, floor);
            c.put("salottoReport", salotto.toString());
            if (janus != null) c.put("janusReport", janus.toString());
            System.out.printf(Locale.ROOT, "Salotto, steady state: %.3f µs CPU per packet sent (whole process, its "
                            + "own count)%s; Salotto / floor = %.2f%n",
                    c.path("salottoCpuMicrosPerPacketSent").asDouble(),
                    run.path("server").path("steady").path("settled").asBoolean(true) ? "" : ", NOT settled",
                    c.path("ratio").asDouble());
            if (janusRun != null) {
                System.out.printf(Locale.ROOT, "per datagram the generator received (the count both servers share): "
                                + "Salotto %.3f µs, Janus %.3f µs (loss %.2f %%), floor %.3f µs: Salotto / floor = %.2f, "
                                + "Janus / floor = %.2f, Salotto / Janus = %.3f%n",
                        c.path("salottoCpuMicrosPerDatagramReceived").asDouble(),
                        c.path("janusCpuMicrosPerDatagramReceived").asDouble(), c.path("janusLossPercent").asDouble(),
                        c.path("floorCpuMicrosPerPacketSent").asDouble(), c.path("salottoOverFloorPerDatagramReceived").asDouble(),
                        c.path("janusOverFloor").asDouble(), c.path("salottoOverJanus").asDouble());
            }
            write(dir.resolve("floor-comparison.json"), c);
            System.out.println("comparison: " + dir.resolve("floor-comparison.json"));
        }
        return 0;
    }

    /**
     * Salotto's steady-state CPU per packet sent over the floor's, both counted over datagrams sent; with a Janus run
     * (or null), each server's CPU per datagram the generator received from it (the count {@code loadtest compare}
     * uses, as Janus has no count of its own) over the floor's, and Salotto's over Janus's.
     */
    static ObjectNode compare(JsonNode run, JsonNode janusRun, FloorResult floor) {
        JsonNode steady = run.path("server").path("steady");
        double salottoMicros = steady.path("cpuMicrosPerPacketSent").asDouble(-1);
        double floorMicros = floor.microsPerPacketSent();
        ObjectNode out = SignalingClient.JSON.createObjectNode();
        out.put("salottoCpuMicrosPerPacketSent", salottoMicros)
                .put("salottoCpuMicrosPerDatagramReceived", steady.path("cpuMicrosPerDatagramReceived").asDouble(-1))
                .put("salottoSteadySettled", steady.path("settled").asBoolean(false))
                .put("salottoLossPercent", run.path("client").path("lossPercent").asDouble(-1))
                .put("floorCpuMicrosPerPacketSent", floorMicros)
                .put("ratio", salottoMicros > 0 && floorMicros > 0 ? salottoMicros / floorMicros : -1);
        if (janusRun != null) {
            double salottoReceived = steady.path("cpuMicrosPerDatagramReceived").asDouble(-1);
            double janusReceived = janusRun.path("server").path("steady").path("cpuMicrosPerDatagramReceived").asDouble(-1);
            out.put("janusCpuMicrosPerDatagramReceived", janusReceived)
                    .put("janusLossPercent", janusRun.path("client").path("lossPercent").asDouble(-1))
                    .put("salottoOverFloorPerDatagramReceived", ratio(salottoReceived, floorMicros))
                    .put("janusOverFloor", ratio(janusReceived, floorMicros))
                    .put("salottoOverJanus", ratio(salottoReceived, janusReceived));
        }
        out.set("floor", floorJson(floor));
        return out;
    }

    private static double ratio(double a, double b) {
        return a > 0 && b > 0 ? a / b : -1;
    }

    static ObjectNode floorJson(FloorResult f) {
        ObjectNode o = SignalingClient.JSON.createObjectNode();
        o.put("subscribers", f.subscribers()).put("rate", f.rate()).put("datagramBytes", f.datagramBytes())
                .put("seconds", f.seconds()).put("packetsIn", f.packetsIn()).put("datagramsSent", f.datagramsSent())
                .put("sinkReceived", f.sinkReceived()).put("cpuUserSeconds", f.cpuUserSeconds())
                .put("cpuSystemSeconds", f.cpuSystemSeconds()).put("cpuMicrosPerPacketSent", f.microsPerPacketSent());
        return o;
    }

    private static void write(Path file, ObjectNode json) throws java.io.IOException {
        Files.writeString(file, SignalingClient.JSON.writer().with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json));
    }

    /** Runs the floor and parses its result line; {@link IllegalStateException} says why there is none. */
    static FloorResult runFloor(List<String> command, long timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofVirtual().name("floor-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // the process is gone; what was read is judged below
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the floor did not finish in " + timeoutSeconds + " s");
        }
        reader.join();
        if (p.exitValue() != 0 || lines.isEmpty()) {
            throw new IllegalStateException("the floor failed (exit status " + p.exitValue() + "): " + lines);
        }
        return FloorResult.parse(lines.getLast());
    }
}
