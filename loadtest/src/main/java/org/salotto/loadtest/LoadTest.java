package org.salotto.loadtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code salotto loadtest}: the command line. A progress line per second on stderr; at the end a summary on stdout
 * and, with {@code --report DIR}, {@code DIR/report.json} and {@code DIR/report.html}.
 * {@code salotto loadtest compare A/report.json B/report.json} prints and writes the CPU-per-packet ratio of two runs.
 */
public final class LoadTest {
    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("compare")) {
            if (args.length != 3) {
                System.err.println("usage: salotto loadtest compare SALOTTO/report.json JANUS/report.json");
                System.exit(2);
            }
            compare(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        LoadTestConfig config;
        try {
            config = LoadTestConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loadtest: " + e.getMessage() + "\n" + LoadTestConfig.USAGE);
            System.exit(2);
            return;
        }
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
        if (config.report() != null) {
            ReportWriter.write(r, config.report());
            System.out.println("report: " + config.report().resolve("report.html"));
        }
        System.exit(r.joinsFailed() == 0 ? 0 : 1);
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
