package org.salotto.media.bwe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The histogram in the Prometheus text format: cumulative buckets, +Inf, sum and count. */
class EstimateHistogramTest {
    @Test
    void writesCumulativeBuckets() {
        EstimateHistogram h = new EstimateHistogram();
        h.observe(100_000);
        h.observe(150_000); // on a bound: counted in it (le)
        h.observe(900_000);
        h.observe(50_000_000);
        h.countFeedback();
        StringBuilder b = new StringBuilder();
        h.appendPrometheus(b);
        String text = b.toString();
        assertTrue(text.contains("# TYPE salotto_media_downlink_estimate_bps histogram\n"), text);
        assertTrue(text.contains("salotto_media_downlink_estimate_bps_bucket{le=\"150000\"} 2\n"), text);
        assertTrue(text.contains("salotto_media_downlink_estimate_bps_bucket{le=\"500000\"} 2\n"), text);
        assertTrue(text.contains("salotto_media_downlink_estimate_bps_bucket{le=\"1000000\"} 3\n"), text);
        assertTrue(text.contains("salotto_media_downlink_estimate_bps_bucket{le=\"10000000\"} 3\n"), text);
        assertTrue(text.contains("salotto_media_downlink_estimate_bps_bucket{le=\"+Inf\"} 4\n"), text);
        assertTrue(text.contains("salotto_media_downlink_estimate_bps_sum 51150000\n"), text);
        assertTrue(text.contains("salotto_media_downlink_estimate_bps_count 4\n"), text);
        assertTrue(text.contains("salotto_media_transport_cc_feedback_total 1\n"), text);
    }
}
