package org.salotto.media.bwe;

/**
 * Each subscriber's downlink: the bounds of its estimate, in bits per second (it starts at {@code startBitrate} and
 * stays within {@code [minBitrate, maxBitrate]} whatever the feedback says), and how the estimate is shared among the
 * subscriber's tracks ({@code org.salotto.media.forward.BandwidthAllocator}): looked at every {@code
 * allocationIntervalNanos} (at once when the estimate falls below what is sent), and a video moves up a layer (or
 * resumes) only when the estimate leaves {@code upHeadroom} (a fraction, 0.15 = 15%) above that layer's bitrate.
 */
public record BandwidthSettings(long minBitrate, long startBitrate, long maxBitrate, long allocationIntervalNanos,
                                double upHeadroom) {
    public static final long DEFAULT_MIN_BITRATE = 100_000;
    public static final long DEFAULT_START_BITRATE = 1_000_000;
    public static final long DEFAULT_MAX_BITRATE = 10_000_000;
    public static final long DEFAULT_ALLOCATION_INTERVAL_NANOS = 500_000_000L;
    public static final double DEFAULT_UP_HEADROOM = 0.15;
    public static final BandwidthSettings DEFAULT =
            new BandwidthSettings(DEFAULT_MIN_BITRATE, DEFAULT_START_BITRATE, DEFAULT_MAX_BITRATE);

    public BandwidthSettings {
        if (minBitrate < 10_000) throw new IllegalArgumentException("the minimum bitrate must be at least 10 kbps");
        if (startBitrate < minBitrate || startBitrate > maxBitrate) {
            throw new IllegalArgumentException("the start bitrate must lie between the minimum and the maximum");
        }
        if (allocationIntervalNanos < 50_000_000L || allocationIntervalNanos > 10_000_000_000L) {
            throw new IllegalArgumentException("the allocation interval must be 50 ms to 10 s");
        }
        if (!(upHeadroom >= 0 && upHeadroom <= 1)) throw new IllegalArgumentException("the headroom must be 0 to 1");
    }

    /** The estimate's bounds, with the default allocation interval and headroom. */
    public BandwidthSettings(long minBitrate, long startBitrate, long maxBitrate) {
        this(minBitrate, startBitrate, maxBitrate, DEFAULT_ALLOCATION_INTERVAL_NANOS, DEFAULT_UP_HEADROOM);
    }

    long clamp(long bitrate) {
        return Math.max(minBitrate, Math.min(maxBitrate, bitrate));
    }
}
