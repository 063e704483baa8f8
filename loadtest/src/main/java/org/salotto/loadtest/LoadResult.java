package org.salotto.loadtest;

import java.util.List;
import java.util.Map;

/**
 * What one run measured.
 *
 * @param timeline        one sample per second
 * @param listeners       per listener (subscriber that does not publish): what it received
 * @param packetsSent     RTP packets the publishers sent
 * @param packetsReceived RTP packets the subscriber connections received (publishers' included)
 * @param expected        packets the subscriber connections should have received, from sequence numbers
 * @param lost            expected minus received, over every stream
 * @param jitterMillis    mean interarrival jitter over every stream
 * @param delayMillis     one-way delay percentiles (p50, p90, p99, p99.9, max) over the sampled packets
 * @param joinMillis      join request to first media percentiles (p50, p90, p99, max), listeners only
 * @param serverDeltas    the server's salotto_* counters: after minus before
 * @param serverCpuMicrosPerPacketSent server CPU time divided by the datagrams it sent, or -1 when unknown
 */
record LoadResult(LoadTestConfig config, List<Sample> timeline, List<Listener> listeners, long packetsSent,
                  long packetsReceived, long expected, long lost, double jitterMillis,
                  Map<String, Double> delayMillis, Map<String, Double> joinMillis, int joinsFailed, long delaySamples,
                  long decryptFailures, Map<String, Double> serverDeltas, String serverCpuSource, double serverCpuSeconds,
                  double serverCpuMicrosPerPacketSent) {

    /** One second of the run. */
    record Sample(double second, int connected, long sentPerSecond, long receivedPerSecond, double delayP50Millis,
                  double delayP90Millis, double delayP99Millis, double delayMaxMillis) {
    }

    /** One listener's reception: from how many distinct publishers, how many packets, how many lost. */
    record Listener(String name, String failure, int publishersHeard, long received, long expected, long lost) {
        double lossRatio() {
            return expected == 0 ? 0 : (double) lost / expected;
        }
    }

    double lossRatio() {
        return expected == 0 ? 0 : (double) lost / expected;
    }
}
