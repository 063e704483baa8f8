package org.salotto.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's side of a run: its Prometheus counters ({@code GET /metrics}) and its CPU time, read before and after.
 * CPU comes from {@code /proc/PID/stat} (utime + stime) when the server's pid is known; for a server in this very
 * process, from the {@code media-loop} thread's CPU time, which is the forwarding cost without the generator's.
 */
final class ServerProbe {
    /** Linux's USER_HZ: the unit of utime and stime in /proc/PID/stat on every mainstream kernel. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final HttpClient http;
    private final URI metricsUri;
    private final long pid;

    ServerProbe(HttpClient http, URI base, long pid) {
        this.http = http;
        this.metricsUri = URI.create(base.toString().replaceAll("/+$", "") + "/metrics");
        this.pid = pid;
    }

    /** Every sample of /metrics by its name with labels, e.g. {@code salotto_media_dropped_total{reason="x"}}. */
    Map<String, Double> metrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metricsUri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int space = line.lastIndexOf(' ');
                if (space > 0) out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("loadtest: cannot read " + metricsUri + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** What the CPU figure measures, for the report. */
    String cpuSource() {
        return pid > 0 ? "process " + pid + " (/proc utime+stime)" : "media-loop thread in this process";
    }

    /** CPU nanoseconds used so far, or -1 when unknown. */
    long cpuNanos() {
        if (pid > 0) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // After "pid (comm) ", field 3 is f[0]: utime is field 14, stime field 15 (proc(5)).
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = -1;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("media-loop")) {
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                if (cpu >= 0) total = Math.max(total, 0) + cpu;
            }
        }
        return total;
    }
}
