package org.salotto.media.pacer;

/**
 * How a subscriber's video is paced ({@link Pacer}): at {@code factor} times the subscriber's downlink estimate, with
 * at most {@code queuePackets} video packets waiting (the one beyond is dropped, counted).
 */
public record PacerSettings(double factor, int queuePackets) {
    public static final double DEFAULT_FACTOR = 2.5;
    public static final int DEFAULT_QUEUE_PACKETS = 256;
    public static final PacerSettings DEFAULT = new PacerSettings(DEFAULT_FACTOR, DEFAULT_QUEUE_PACKETS);

    public PacerSettings {
        if (!(factor >= 1)) throw new IllegalArgumentException("the pacing factor must be at least 1");
        if (queuePackets < 16 || queuePackets > 4096) {
            throw new IllegalArgumentException("the pacer's queue must hold 16 to 4096 packets");
        }
    }
}
