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
 * @param serverCpuMicrosPerPacketSent server CPU time divided by the datagrams it sent, whole run (joins included),
 *                                     or -1 when unknown
 * @param steady          the steady-state window: every join done, media flowing
 * @param memory          the server's memory before the joins and with everyone in
 * @param audience        what the listeners received: audio streams and subscribe offers
 * @param ridsAcked       simulcast layers whose SSRC the server acknowledged in a report block (their rid then stops)
 * @param layersPaused    layers the publishers paused on the server's {@code publisherLayers} (dynacast)
 * @param layersResumed   layers they resumed
 */
record LoadResult(LoadTestConfig config, List<Sample> timeline, List<Listener> listeners, long packetsSent,
                  long packetsReceived, long expected, long lost, double jitterMillis,
                  Map<String, Double> delayMillis, Map<String, Double> joinMillis, int joinsFailed, long delaySamples,
                  long decryptFailures, Map<String, Double> serverDeltas, String serverCpuSource, double serverCpuSeconds,
                  double serverCpuMicrosPerPacketSent, Steady steady, Memory memory, Audience audience,
                  long ridsAcked, long layersPaused, long layersResumed) {

    /**
     * The run's steady state, from a second after the last connection came up (every join done) to the end of media:
     * the forwarding cost without the joins' DTLS handshakes.
     *
     * @param settled             false when some joins never finished and the window began late in the run anyway
     * @param serverDatagramsSent Salotto's own count of datagrams sent ({@code salotto_media_datagrams_sent_total}),
     *                            -1 for a server without it
     * @param datagramsFromServer datagrams the generator received from the server, every kind: the count used for
     *                            both servers when they are compared
     * @param clientCpuSeconds    the generator's process CPU time in the window (server included when in-process)
     */
    record Steady(boolean settled, double seconds, double cpuSeconds, double serverDatagramsSent,
                  long datagramsFromServer, long packetsSentByClients, double clientCpuSeconds) {
        /** The generator's own CPU per datagram it received: it must stay well under the server's. */
        double clientCpuMicrosPerDatagramReceived() {
            return clientCpuSeconds >= 0 && datagramsFromServer > 0 ? clientCpuSeconds * 1e6 / datagramsFromServer : -1;
        }

        double cpuMicrosPerPacketSent() {
            return cpuSeconds >= 0 && serverDatagramsSent > 0 ? cpuSeconds * 1e6 / serverDatagramsSent : -1;
        }

        double cpuMicrosPerDatagramReceived() {
            return cpuSeconds >= 0 && datagramsFromServer > 0 ? cpuSeconds * 1e6 / datagramsFromServer : -1;
        }
    }

    /**
     * The server's memory: heap live after a full collection (Salotto; -1 otherwise) and resident set size (any
     * server with a pid; -1 otherwise), before the first join and once everyone is in.
     */
    record Memory(int participants, long heapLiveBefore, long heapLiveAfter, long residentBefore, long residentAfter) {
        double heapBytesPerParticipant() {
            return heapLiveBefore < 0 || heapLiveAfter < 0 || participants == 0 ? -1
                    : (double) (heapLiveAfter - heapLiveBefore) / participants;
        }

        double residentBytesPerParticipant() {
            return residentBefore < 0 || residentAfter < 0 || participants == 0 ? -1
                    : (double) (residentAfter - residentBefore) / participants;
        }
    }

    /** One second of the run. */
    /**
     * One second of the run. {@code serverCpuPercent}: the server's CPU over that second, in percent of one core
     * (100 = one core busy), or -1 when the server's CPU cannot be read.
     */
    record Sample(double second, int connected, long sentPerSecond, long receivedPerSecond, double delayP50Millis,
                  double delayP90Millis, double delayP99Millis, double delayMaxMillis, double serverCpuPercent) {
    }

    /**
     * One listener's reception: from how many distinct publishers (on an audience's fixed slots: everyone a slot
     * carried while its packets arrived), on how many audio streams (SSRCs that carried packets), how many packets, how
     * many lost; the subscribe offers its socket got in the whole run and during the stage moves (-1: no moves).
     */
    /**
     * @param comebacks        after each loss of its node: "resumed" (the same participant) or "joined" (afresh)
     * @param recoveriesMillis from each loss to the first audio packet after it
     */
    record Listener(String name, String failure, int publishersHeard, int audioStreams, long received, long expected,
                    long lost, int offers, int offersDuringMoves, Video video, List<String> comebacks,
                    List<Double> recoveriesMillis) {
        double lossRatio() {
            return expected == 0 ? 0 : (double) lost / expected;
        }
    }

    /**
     * What a listener received of video: the tile size it reported (null: none), its video streams that carried
     * packets, their mean bitrate (kbit/s, each from its first packet to its last), and of the packets it decrypted
     * for the delay how many each layer sent ({@link StreamStats#sampledByLayer}: 0 one encoding, 1-3 q, h, f).
     */
    record Video(String size, int streams, double kbpsPerStream, long[] sampledByLayer) {
        /** The layer most of the sampled packets came from (0 one encoding, 1-3 q, h, f), or -1 for none. */
        int mainLayer() {
            int best = -1;
            long most = 0;
            for (int i = 0; i < sampledByLayer.length; i++) {
                if (sampledByLayer[i] > most) {
                    most = sampledByLayer[i];
                    best = i;
                }
            }
            return best;
        }
    }

    /**
     * The listeners of one reported tile size together ("none" for those that reported none): how many, their mean
     * video bitrate per stream, and the share of sampled packets from each layer (0 one encoding, 1-3 q, h, f).
     */
    record SizeGroup(String size, int listeners, double kbpsPerStream, double[] layerShare) {
        static List<SizeGroup> of(List<Listener> listeners) {
            Map<String, List<Listener>> bySize = new java.util.TreeMap<>();
            for (Listener l : listeners) {
                if (l.video().streams() == 0) continue;
                bySize.computeIfAbsent(l.video().size() == null ? "none" : l.video().size(), k -> new java.util.ArrayList<>()).add(l);
            }
            List<SizeGroup> out = new java.util.ArrayList<>();
            for (Map.Entry<String, List<Listener>> e : bySize.entrySet()) {
                double kbps = 0;
                long[] samples = new long[SimulcastLayer.ALL.size() + 1];
                long total = 0;
                for (Listener l : e.getValue()) {
                    kbps += l.video().kbpsPerStream();
                    for (int i = 0; i < samples.length; i++) {
                        samples[i] += l.video().sampledByLayer()[i];
                        total += l.video().sampledByLayer()[i];
                    }
                }
                double[] share = new double[samples.length];
                for (int i = 0; i < share.length; i++) share[i] = total == 0 ? 0 : (double) samples[i] / total;
                out.add(new SizeGroup(e.getKey(), e.getValue().size(), kbps / e.getValue().size(), share));
            }
            return out;
        }
    }

    double lossRatio() {
        return expected == 0 ? 0 : (double) lost / expected;
    }

    /**
     * The listeners together: the most audio streams one received and the mean, the most subscribe offers one got;
     * with {@code --stage-moves}, how many moves the host made and the offers every listener got during them.
     */
    /**
     * @param comebacks            listeners' returns after losing their node, {@code resumed} of them as the same
     *                             participant
     * @param recoveryMaxMillis    the longest time from a loss to audio again (-1: no loss)
     * @param recoveryMedianMillis the median of those times (-1: no loss)
     */
    record Audience(int maxAudioStreams, double meanAudioStreams, int maxOffers, boolean stageMoves, int movesDone,
                    int offersDuringMoves, int comebacks, int resumed, double recoveryMaxMillis,
                    double recoveryMedianMillis) {
        static Audience of(List<Listener> listeners, int movesDone) {
            int max = 0, maxOffers = 0, during = 0, comebacks = 0, resumed = 0;
            long sum = 0;
            boolean moves = false;
            List<Double> recoveries = new java.util.ArrayList<>();
            for (Listener l : listeners) {
                comebacks += l.comebacks().size();
                for (String how : l.comebacks()) if (how.equals("resumed")) resumed++;
                recoveries.addAll(l.recoveriesMillis());
                max = Math.max(max, l.audioStreams());
                sum += l.audioStreams();
                maxOffers = Math.max(maxOffers, l.offers());
                if (l.offersDuringMoves() >= 0) {
                    moves = true;
                    during += l.offersDuringMoves();
                }
            }
            java.util.Collections.sort(recoveries);
            return new Audience(max, listeners.isEmpty() ? 0 : (double) sum / listeners.size(), maxOffers, moves,
                    movesDone, during, comebacks, resumed, recoveries.isEmpty() ? -1 : recoveries.getLast(),
                    recoveries.isEmpty() ? -1 : recoveries.get(recoveries.size() / 2));
        }
    }
}
