package org.salotto.loadtest;

import org.HdrHistogram.Histogram;

/** Turns the run's counters into one {@link LoadResult.Sample} per second; the reporter's thread only. */
final class Sampler {
    private final Metrics metrics;
    private final long startNanos;
    private long lastSent;
    private long lastReceived;
    private long lastNanos;
    private Histogram recycled;

    Sampler(Metrics metrics, long startNanos) {
        this.metrics = metrics;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    LoadResult.Sample sample(long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - lastNanos) / 1e9);
        long sent = metrics.packetsSent.sum();
        long received = metrics.packetsReceived.sum();
        Histogram interval = metrics.delayMicros.getIntervalHistogram(recycled);
        metrics.allDelays.add(interval);
        recycled = interval;
        LoadResult.Sample s = new LoadResult.Sample(Math.round((nowNanos - startNanos) / 1e9),
                metrics.connected.get(), Math.round((sent - lastSent) / seconds),
                Math.round((received - lastReceived) / seconds),
                interval.getValueAtPercentile(50) / 1000.0, interval.getValueAtPercentile(90) / 1000.0,
                interval.getValueAtPercentile(99) / 1000.0, interval.getMaxValue() / 1000.0);
        lastSent = sent;
        lastReceived = received;
        lastNanos = nowNanos;
        return s;
    }
}
