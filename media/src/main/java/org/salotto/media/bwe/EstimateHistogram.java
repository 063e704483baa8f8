package org.salotto.media.bwe;

/**
 * The downlink estimates of all subscribers, as a Prometheus histogram: one observation per transport-cc feedback
 * that moved an estimate (so a subscriber counts in proportion to the time it is connected). One writer, the media
 * loop, which increments plainly; readers (metrics) read racily, as the media counters are read.
 */
public final class EstimateHistogram {
    /** Upper bounds in bits per second: audio only, a thumbnail, SD, 720p, 1080p, more. */
    private static final long[] BOUNDS = {150_000, 300_000, 500_000, 1_000_000, 1_500_000, 2_500_000, 4_000_000,
            6_000_000, 10_000_000};

    private final long[] buckets = new long[BOUNDS.length + 1];
    private long sum;
    private long count;
    private long feedback;

    public void observe(long bitrate) {
        int i = 0;
        while (i < BOUNDS.length && bitrate > BOUNDS[i]) i++;
        buckets[i]++;
        sum += bitrate;
        count++;
    }

    /** A feedback packet was read (a malformed one is counted as a drop instead). */
    public void countFeedback() {
        feedback++;
    }

    /** Appends the histogram and the feedback counters in the Prometheus text format. */
    public void appendPrometheus(StringBuilder b) {
        String name = "salotto_media_downlink_estimate_bps";
        b.append("# HELP ").append(name)
                .append(" subscribers' downlink bandwidth estimates (transport-cc, GCC), one observation per feedback\n");
        b.append("# TYPE ").append(name).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            cumulative += buckets[i];
            b.append(name).append("_bucket{le=\"").append(BOUNDS[i]).append("\"} ").append(cumulative).append('\n');
        }
        cumulative += buckets[BOUNDS.length];
        b.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        b.append(name).append("_sum ").append(sum).append('\n');
        b.append(name).append("_count ").append(count).append('\n');
        b.append("# HELP salotto_media_transport_cc_feedback_total transport-cc feedback received from subscribers\n");
        b.append("# TYPE salotto_media_transport_cc_feedback_total counter\n");
        b.append("salotto_media_transport_cc_feedback_total ").append(feedback).append('\n');
    }

    public long count() {
        return count;
    }

    public long feedback() {
        return feedback;
    }
}
