package org.salotto.loadtest;

import java.util.Locale;

/**
 * {@code salotto loadtest}: the command line. A progress line per second on stderr; at the end a summary on stdout
 * and, with {@code --report DIR}, {@code DIR/report.json} and {@code DIR/report.html}.
 */
public final class LoadTest {
    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        LoadTestConfig config;
        try {
            config = LoadTestConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loadtest: " + e.getMessage() + "\n" + LoadTestConfig.USAGE);
            System.exit(2);
            return;
        }
        LoadResult r = new LoadRun(config, System.err).run();
        System.out.printf(Locale.ROOT, "sent %d packets, subscribers received %d, lost %d (%.3f%%), jitter %.3f ms%n",
                r.packetsSent(), r.packetsReceived(), r.lost(), 100 * r.lossRatio(), r.jitterMillis());
        System.out.printf(Locale.ROOT, "delay ms %s (%d samples); join ms %s; %d joins failed%n", r.delayMillis(),
                r.delaySamples(), r.joinMillis(), r.joinsFailed());
        System.out.printf(Locale.ROOT, "server: %.3f s CPU (%s), %.0f datagrams sent, %.3f µs CPU per packet sent%n",
                r.serverCpuSeconds(), r.serverCpuSource(),
                r.serverDeltas().getOrDefault("salotto_media_datagrams_sent_total", 0.0), r.serverCpuMicrosPerPacketSent());
        if (config.report() != null) {
            ReportWriter.write(r, config.report());
            System.out.println("report: " + config.report().resolve("report.html"));
        }
        System.exit(r.joinsFailed() == 0 ? 0 : 1);
    }
}
