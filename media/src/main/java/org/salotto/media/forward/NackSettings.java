package org.salotto.media.forward;

import java.time.Duration;

/**
 * How the server asks publishers to resend lost video packets (RFC 4585 generic NACK, see {@link NackGenerator}).
 *
 * @param firstDelay    how long a gap waits before its first NACK (a packet merely reordered fills it meanwhile); the
 *                      NACK goes out on the first 10 ms tick after that
 * @param minRetryInterval the least time between two NACKs for one packet, however small the round-trip time
 * @param initialRtt    the round-trip time assumed until one is measured (from a NACK to the RTX that answers it)
 * @param maxNacks      NACKs sent for one packet before the server gives up on it and asks for a keyframe instead
 * @param maxAge        how long after its gap was seen a packet is still asked for; older, a keyframe is asked for
 */
public record NackSettings(Duration firstDelay, Duration minRetryInterval, Duration initialRtt, int maxNacks,
                           Duration maxAge) {
    /** 5 ms, 20 ms, 100 ms, 10 NACKs, 1 s (the retransmission buffer's age as well). */
    public static final NackSettings DEFAULTS = new NackSettings(Duration.ofMillis(5), Duration.ofMillis(20),
            Duration.ofMillis(100), 10, Duration.ofSeconds(1));

    public NackSettings {
        if (firstDelay == null || firstDelay.isNegative()) throw new IllegalArgumentException("firstDelay must not be negative");
        if (minRetryInterval == null || !minRetryInterval.isPositive()) {
            throw new IllegalArgumentException("minRetryInterval must be positive");
        }
        if (initialRtt == null || !initialRtt.isPositive()) throw new IllegalArgumentException("initialRtt must be positive");
        if (maxNacks < 1 || maxNacks > 100) throw new IllegalArgumentException("maxNacks must be in 1..100");
        if (maxAge == null || !maxAge.isPositive()) throw new IllegalArgumentException("maxAge must be positive");
    }
}
