package org.salotto.media.bwe;

/**
 * Bounds of the downlink estimate of every subscriber, in bits per second: it starts at {@code startBitrate} and
 * stays within {@code [minBitrate, maxBitrate]} whatever the feedback says.
 */
public record BandwidthSettings(long minBitrate, long startBitrate, long maxBitrate) {
    public static final long DEFAULT_MIN_BITRATE = 100_000;
    public static final long DEFAULT_START_BITRATE = 1_000_000;
    public static final long DEFAULT_MAX_BITRATE = 10_000_000;
    public static final BandwidthSettings DEFAULT =
            new BandwidthSettings(DEFAULT_MIN_BITRATE, DEFAULT_START_BITRATE, DEFAULT_MAX_BITRATE);

    public BandwidthSettings {
        if (minBitrate < 10_000) throw new IllegalArgumentException("the minimum bitrate must be at least 10 kbps");
        if (startBitrate < minBitrate || startBitrate > maxBitrate) {
            throw new IllegalArgumentException("the start bitrate must lie between the minimum and the maximum");
        }
    }

    long clamp(long bitrate) {
        return Math.max(minBitrate, Math.min(maxBitrate, bitrate));
    }
}
