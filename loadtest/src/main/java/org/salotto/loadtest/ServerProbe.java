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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's side of a run: its Prometheus counters ({@code GET /metrics}, Salotto only), its CPU time and its
 * memory. CPU comes from {@code /proc/PID/stat} (utime + stime) when the server's pid is known; for a server in this
 * very process, from the {@code media-loop} thread's CPU time, which is the forwarding cost without the generator's.
 *
 * <p>Memory: the heap Salotto holds is {@code salotto_jvm_heap_live_bytes} (heap used after the last collection)
 * read right after a full collection the probe asks for ({@code jcmd PID GC.run}, synchronous; {@code System.gc()}
 * for a server in this JVM). The resident set size ({@code VmRSS} of {@code /proc/PID/status}) is read for any server
 * with a pid, Janus included.
 */
final class ServerProbe {
    /** Linux's USER_HZ: the unit of utime and stime in /proc/PID/stat on every mainstream kernel. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final HttpClient http;
    private final URI metricsUri;
    private final long pid;

    /** {@code metricsUri} may be null: a server without Salotto's metrics. */
    ServerProbe(HttpClient http, URI metricsUri, long pid) {
        this.http = http;
        this.metricsUri = metricsUri;
        this.pid = pid;
    }

    /** Runs {@code jcmd PID ARGS...} against the server; false when there is no pid or it failed. */
    boolean jcmd(String... args) {
        if (pid <= 0) return false;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(pid)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Asks the server for a full collection, then reads the heap it still holds; -1 when it cannot be known. */
    long liveHeapAfterGc() {
        if (metricsUri == null) return -1;
        if (pid > 0) {
            if (!jcmd("GC.run")) return -1;
        } else {
            System.gc();
        }
        return metrics().getOrDefault("salotto_jvm_heap_live_bytes", -1.0).longValue();
    }

    /** The server process's resident set size in bytes, or -1 without a pid. */
    long residentBytes() {
        if (pid <= 0) return -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Every sample of /metrics by its name with labels, e.g. {@code salotto_media_dropped_total{reason="x"}}. */
    Map<String, Double> metrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (metricsUri == null) return out;
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
