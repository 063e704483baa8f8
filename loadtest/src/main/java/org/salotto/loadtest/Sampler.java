package org.salotto.loadtest;

import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/** Turns the run's counters into one {@link LoadResult.Sample} per second; the reporter's thread only. */
final class Sampler {
    private final Metrics metrics;
    private final long startNanos;
    /** The server's CPU nanoseconds so far, or -1 when unknown. */
    private final LongSupplier serverCpuNanos;
    private long lastServerCpu;
    private long lastSent;
    private long lastReceived;
    private long lastNanos;
    private Histogram recycled;

    Sampler(Metrics metrics, long startNanos, LongSupplier serverCpuNanos) {
        this.metrics = metrics;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
        this.serverCpuNanos = serverCpuNanos;
        this.lastServerCpu = serverCpuNanos.getAsLong();
    }

    LoadResult.Sample sample(long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - lastNanos) / 1e9);
        long sent = metrics.packetsSent.sum();
        long received = metrics.packetsReceived.sum();
        Histogram interval = metrics.delayMicros.getIntervalHistogram(recycled);
        metrics.allDelays.add(interval);
        long serverCpu = serverCpuNanos.getAsLong();
        double serverCpuPercent = serverCpu < 0 || lastServerCpu < 0 ? -1
                : 100.0 * (serverCpu - lastServerCpu) / (seconds * 1e9);
        lastServerCpu = serverCpu;
        recycled = interval;
        LoadResult.Sample s = new LoadResult.Sample(Math.round((nowNanos - startNanos) / 1e9),
                metrics.connected.get(), Math.round((sent - lastSent) / seconds),
                Math.round((received - lastReceived) / seconds),
                interval.getValueAtPercentile(50) / 1000.0, interval.getValueAtPercentile(90) / 1000.0,
                interval.getValueAtPercentile(99) / 1000.0, interval.getMaxValue() / 1000.0, serverCpuPercent);
        lastSent = sent;
        lastReceived = received;
        lastNanos = nowNanos;
        return s;
    }
}
