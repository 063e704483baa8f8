package org.salotto.loadtest;

import java.io.PrintStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

import org.HdrHistogram.Histogram;

/**
 * One load test run: starts the publishers, then the listeners, at the join rate; lets media flow for the duration;
 * samples every second (a progress line on {@code progress}); then leaves and gathers the figures, the server's
 * included.
 */
final class LoadRun {
    private final LoadTestConfig config;
    private final PrintStream progress;

    LoadRun(LoadTestConfig config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    LoadResult run() throws Exception {
        Metrics metrics = new Metrics();
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        ServerProbe probe = new ServerProbe(http, config.metricsUri(), config.serverPid());
        JanusRoom janusRoom = null;
        SalottoRoom salottoRoom = null;
        if (config.server() == ServerKind.SALOTTO) salottoRoom = SalottoRoom.create(http, config);
        if (config.server() == ServerKind.JANUS) {
            janusRoom = new JanusRoom(config.publishers());
            JanusClient.createRoom(http, config, janusRoom);
        }
        long heapBefore = probe.liveHeapAfterGc();
        long residentBefore = probe.residentBytes();
        long heapAfter = -1, residentAfter = -1;
        Map<String, Double> before = probe.metrics();
        long cpuBefore = probe.cpuNanos();
        long start = System.nanoTime();
        List<SimulatedParticipant> everyone = new ArrayList<>();
        List<LoadResult.Sample> timeline = new ArrayList<>();
        Window window = null;
        LoadResult.Steady steady;
        long cpuEnd;
        Map<String, Double> after;
        StageMoves moves = null;
        InetAddress local = localAddress(config);
        boolean shared = !config.socketPerConnection() && MediaReceiver.sharedAvailable(local);
        System.err.println(shared
                ? "loadtest: " + config.threads() + " shared socket(s), a loopback address per connection (recvmmsg)"
                : "loadtest: a socket per connection");
        try (MediaReceiver receiver = new MediaReceiver(config.threads(), metrics, shared);
             Pacer pacer = new Pacer(config.threads())) {
            Harness h = new Harness(config, http, ClientIdentity.generate(), receiver, pacer, metrics, start,
                    local, janusRoom, salottoRoom);
            Sampler sampler = new Sampler(metrics, start, probe::cpuNanos);
            long joinGapNanos = (long) (1e9 / config.joinRate());
            long nextJoin = System.nanoTime();
            long nextSample = start + 1_000_000_000L;
            long nextConsent = start + 2_000_000_000L;
            int total = config.publishers() + config.subscribers();
            long end = Long.MAX_VALUE;
            long settledAt = Long.MAX_VALUE;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (window == null) {
                    boolean allIn = everyone.size() == total && metrics.joinsDone.get() == total
                            && metrics.connecting.get() == 0;
                    if (allIn && settledAt == Long.MAX_VALUE) settledAt = now + 1_000_000_000L;
                    boolean late = end != Long.MAX_VALUE && now >= end - config.duration().toNanos() / 3;
                    if (now >= settledAt || late) {
                        if (config.profile() != null) {
                            probe.jcmd("JFR.start", "name=steady", "settings=profile",
                                    "filename=" + config.profile().toAbsolutePath());
                        }
                        window = Window.open(probe, metrics, now >= settledAt, System.nanoTime());
                        // Only on a settled run: a listener still joining would count its first offer as the moves'.
                        if (config.stageMoves() && window.settled()) moves = StageMoves.start(salottoRoom, everyone, config);
                    }
                }
                // A cluster: the publishers join one after the other and the listeners after them all, each once the
                // joins before it are done (the room open on its owner, the stage up), so that an edge asking the
                // owner for the stage, or taking a publisher's join, finds the room there.
                boolean held = !config.nodes().isEmpty() && !everyone.isEmpty() && everyone.size() <= config.publishers()
                        && metrics.joinsDone.get() < everyone.size();
                if (held) nextJoin = Math.max(nextJoin, now + 10_000_000L); // look again in 10 ms
                if (everyone.size() < total && now >= nextJoin && !held) {
                    boolean publishes = everyone.size() < config.publishers();
                    String name = (publishes ? "pub-" : "sub-") + everyone.size();
                    int listener = everyone.size() - config.publishers();
                    // Listeners by turns on the cluster's nodes, when given; publishers on the room's node.
                    SimulatedParticipant p = new SimulatedParticipant(h, name, publishes,
                            publishes ? null : config.viewerSize(listener), publishes ? List.of() : config.nodes(),
                            listener);
                    everyone.add(p);
                    Thread.ofVirtual().name("join-" + name).start(p::run);
                    nextJoin += joinGapNanos;
                    if (everyone.size() == total) end = now + config.duration().toNanos();
                }
                if (now >= nextSample) {
                    LoadResult.Sample s = sampler.sample(now);
                    timeline.add(s);
                    progress.printf("t=%4.0fs joined %d/%d connected %d failed %d | sent %d pkt/s recv %d pkt/s | "
                                    + "delay p50 %.2f p99 %.2f max %.2f ms | server cpu %.0f%%%n", s.second(), everyone.size(),
                            total, s.connected(), metrics.joinsFailed.get(), s.sentPerSecond(), s.receivedPerSecond(),
                            s.delayP50Millis(), s.delayP99Millis(), s.delayMaxMillis(), s.serverCpuPercent());
                    nextSample += 1_000_000_000L;
                }
                if (now >= nextConsent) {
                    for (SimulatedParticipant p : everyone) p.refreshConsent();
                    nextConsent += 2_000_000_000L;
                }
                long wake = Math.min(Math.min(nextSample, nextConsent), everyone.size() < total ? nextJoin : end);
                long sleep = Math.max(0, wake - System.nanoTime());
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            if (window == null) window = Window.open(probe, metrics, false, System.nanoTime());
            steady = window.close(probe, metrics, System.nanoTime());
            if (moves != null) moves.await();
            if (config.profile() != null) probe.jcmd("JFR.stop", "name=steady");
            cpuEnd = probe.cpuNanos();
            after = probe.metrics();
            for (SimulatedParticipant p : everyone) p.stopSending();
            Thread.sleep(300); // let what is in flight arrive
            sampler.sample(System.nanoTime()); // the last delays into the run's histogram
            residentAfter = probe.residentBytes();
            heapAfter = probe.liveHeapAfterGc(); // everyone is still in
        }
        // The receiver threads have stopped: the per-stream counts are final.
        LoadResult.Memory memory = new LoadResult.Memory(everyone.size(), heapBefore, heapAfter, residentBefore,
                residentAfter);
        LoadResult result = gather(metrics, everyone, timeline, probe, before, after, cpuBefore, cpuEnd, steady,
                memory, moves);
        for (SimulatedParticipant p : everyone) p.close();
        http.close();
        return result;
    }

    /**
     * The address the simulated connections' sockets bind to: the server's own for Salotto (loopback). Janus's libnice
     * gathers no candidate on the loopback interface, and its packets towards 127.0.0.1 never arrive (seen with Debian's
     * Janus 1.1.2 and libnice 0.1.21), so towards Janus the sockets bind to the machine's first non-loopback IPv4
     * address, the one Janus announces: the traffic still never leaves the kernel (local addresses route through lo).
     */
    static InetAddress localAddress(LoadTestConfig config) throws IOException {
        InetAddress server = InetAddress.getByName(config.url().getHost());
        if (config.server() != ServerKind.JANUS || !server.isLoopbackAddress()) return server;
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : nic.inetAddresses().toList()) {
                if (a instanceof Inet4Address) return a;
            }
        }
        return server;
    }

    private LoadResult gather(Metrics m, List<SimulatedParticipant> everyone, List<LoadResult.Sample> timeline,
                              ServerProbe probe, Map<String, Double> before, Map<String, Double> after,
                              long cpuBefore, long cpuAfter, LoadResult.Steady steady, LoadResult.Memory memory,
                              StageMoves moves) {
        Map<String, Double> deltas = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : after.entrySet()) {
            if (e.getKey().startsWith("salotto_media_")) deltas.put(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0));
        }
        long expected = 0, lost = 0, received = 0, streams = 0;
        double jitter = 0;
        List<LoadResult.Listener> listeners = new ArrayList<>();
        for (SimulatedParticipant p : everyone) {
            SubscriberMeter meter = p.meter();
            long pe = 0, pl = 0, pr = 0;
            int audioStreams = 0, videoStreams = 0;
            double videoKbps = 0;
            long[] layers = new long[SimulcastLayer.ALL.size() + 1];
            Set<String> heard = new HashSet<>();
            if (meter != null) {
                for (StreamStats s : meter.streams()) {
                    pe += s.expected();
                    pl += s.lost();
                    pr += s.received;
                    if (s.received > 0) {
                        heard.addAll(s.ownersHeard);
                        if (!s.stream.video()) audioStreams++;
                        if (s.stream.video()) {
                            videoStreams++;
                            videoKbps += s.kbps();
                            for (int i = 0; i < layers.length; i++) layers[i] += s.sampledByLayer[i];
                        }
                        jitter += s.jitterMillis();
                        streams++;
                    }
                }
            }
            expected += pe;
            lost += pl;
            received += pr;
            if (!p.publishes()) {
                listeners.add(new LoadResult.Listener(p.name(), p.failure, heard.size(), audioStreams, pr, pe, pl,
                        p.offersReceived.get(), moves == null ? -1 : moves.offersDuring(p),
                        new LoadResult.Video(p.viewerSize() == null ? null : p.viewerSize().name(), videoStreams,
                                videoStreams == 0 ? 0 : videoKbps / videoStreams, layers), List.copyOf(p.comebacks),
                        meter == null ? List.of() : meter.recoveriesMillis()));
            }
        }
        double cpuSeconds = cpuBefore >= 0 && cpuAfter >= 0 ? (cpuAfter - cpuBefore) / 1e9 : -1;
        double sent = deltas.getOrDefault("salotto_media_datagrams_sent_total", 0.0);
        double perPacket = cpuSeconds >= 0 && sent > 0 ? cpuSeconds * 1e6 / sent : -1;
        Histogram d = m.allDelays;
        Map<String, Double> delay = new LinkedHashMap<>();
        delay.put("p50", d.getValueAtPercentile(50) / 1000.0);
        delay.put("p90", d.getValueAtPercentile(90) / 1000.0);
        delay.put("p99", d.getValueAtPercentile(99) / 1000.0);
        delay.put("p99.9", d.getValueAtPercentile(99.9) / 1000.0);
        delay.put("max", d.getMaxValue() / 1000.0);
        Histogram j = m.joinMicros;
        Map<String, Double> join = new LinkedHashMap<>();
        join.put("p50", j.getValueAtPercentile(50) / 1000.0);
        join.put("p90", j.getValueAtPercentile(90) / 1000.0);
        join.put("p99", j.getValueAtPercentile(99) / 1000.0);
        join.put("max", j.getMaxValue() / 1000.0);
        return new LoadResult(config, timeline, listeners, m.packetsSent.sum(), received, expected, lost,
                streams == 0 ? 0 : jitter / streams, delay, join, m.joinsFailed.get(), d.getTotalCount(),
                m.decryptFailures.sum(), deltas, probe.cpuSource(), cpuSeconds, perPacket, steady, memory,
                LoadResult.Audience.of(listeners, moves == null ? 0 : moves.done()), m.ridsAcked.sum(),
                m.layersPaused.sum(), m.layersResumed.sum());
    }

    /** The server's and the generator's counts at the start of the steady-state window. */
    private record Window(boolean settled, long nanos, long cpuNanos, double serverSent, long fromServer, long sent,
                          long clientCpuNanos) {
        static Window open(ServerProbe probe, Metrics m, boolean settled, long now) {
            return new Window(settled, now, probe.cpuNanos(),
                    probe.metrics().getOrDefault("salotto_media_datagrams_sent_total", -1.0),
                    m.datagramsFromServer.sum(), m.packetsSent.sum(), processCpuNanos());
        }

        static long processCpuNanos() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() : -1;
        }

        LoadResult.Steady close(ServerProbe probe, Metrics m, long now) {
            long cpu = probe.cpuNanos();
            double serverSentNow = probe.metrics().getOrDefault("salotto_media_datagrams_sent_total", -1.0);
            return new LoadResult.Steady(settled, (now - nanos) / 1e9,
                    cpu >= 0 && cpuNanos >= 0 ? (cpu - cpuNanos) / 1e9 : -1,
                    serverSent >= 0 && serverSentNow >= 0 ? serverSentNow - serverSent : -1,
                    m.datagramsFromServer.sum() - fromServer, m.packetsSent.sum() - sent,
                    clientCpuNanos >= 0 ? (processCpuNanos() - clientCpuNanos) / 1e9 : -1);
        }
    }

    /**
     * The host moves the last publisher to the audience and back onto the stage (a virtual thread, once everyone is
     * in), each move done when the person moved has the subscribe offer it brings them. Every listener's offer count
     * is read before the first move and a second after the last: with the audience on fixed slots, it does not move.
     */
    private static final class StageMoves {
        private final Map<SimulatedParticipant, Integer> before = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<SimulatedParticipant, Integer> after = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        private Thread thread;

        static StageMoves start(SalottoRoom room, List<SimulatedParticipant> everyone, LoadTestConfig config) {
            StageMoves m = new StageMoves();
            List<SimulatedParticipant> people = List.copyOf(everyone);
            SimulatedParticipant moved = people.get(config.publishers() - 1);
            String audienceRole = room.stageRole().equals("speaker") ? "listener" : "viewer";
            m.thread = Thread.ofVirtual().name("stage-moves").start(() -> {
                try {
                    for (SimulatedParticipant p : people) if (!p.publishes()) m.before.put(p, p.offersReceived.get());
                    m.move(moved, () -> room.setRole(moved.participantId, audienceRole));
                    m.move(moved, () -> room.inviteToStage(moved.participantId));
                    Thread.sleep(1000); // any offer the moves brought a listener has reached its socket by now
                    for (SimulatedParticipant p : people) if (!p.publishes()) m.after.put(p, p.offersReceived.get());
                } catch (Exception e) {
                    System.err.println("loadtest: stage moves: " + e);
                }
            });
            return m;
        }

        private interface Move {
            void run() throws Exception;
        }

        /** One move, done once the person moved has had the offer for it (10 s at most). */
        private void move(SimulatedParticipant moved, Move move) throws Exception {
            int offers = moved.offersReceived.get();
            move.run();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (moved.offersReceived.get() == offers) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the person moved got no offer");
                Thread.sleep(10);
            }
            done.incrementAndGet();
        }

        void await() throws InterruptedException {
            thread.join(30_000);
        }

        int done() {
            return done.get();
        }

        /** The offers p got over the moves, or -1 when the moves did not finish or p had no offer before them. */
        int offersDuring(SimulatedParticipant p) {
            Integer b = before.get(p), a = after.get(p);
            return a == null || b == null || b == 0 ? -1 : a - b; // 0 before: not connected yet, not counted
        }
    }
}
