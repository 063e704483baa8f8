package org.salotto.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes a run's {@code report.json} and a self-contained {@code report.html} with three inline SVG charts: delay
 * percentiles, packets per second and the server's CPU, each per second of the run.
 */
final class ReportWriter {
    private ReportWriter() {
    }

    static ObjectNode json(LoadResult r) {
        LoadTestConfig c = r.config();
        ObjectNode root = SignalingClient.JSON.createObjectNode();
        ObjectNode cfg = root.putObject("config");
        cfg.put("server", c.server().name().toLowerCase()).put("url", c.url().toString()).put("room", c.room()).put("publishers", c.publishers())
                .put("audio", c.audio()).put("videoKbps", c.videoKbps()).put("subscribers", c.subscribers())
                .put("durationSeconds", c.duration().toMillis() / 1000.0).put("joinRate", c.joinRate())
                .put("decryptEvery", c.decryptEvery()).put("threads", c.threads());
        ObjectNode totals = root.putObject("client");
        totals.put("packetsSent", r.packetsSent()).put("packetsReceived", r.packetsReceived())
                .put("expected", r.expected()).put("lost", r.lost()).put("lossPercent", 100 * r.lossRatio())
                .put("jitterMillis", r.jitterMillis()).put("delaySamples", r.delaySamples())
                .put("decryptFailures", r.decryptFailures()).put("joinsFailed", r.joinsFailed());
        ObjectNode delay = totals.putObject("delayMillis");
        r.delayMillis().forEach(delay::put);
        ObjectNode join = totals.putObject("joinMillis");
        r.joinMillis().forEach(join::put);
        ObjectNode server = root.putObject("server");
        server.put("cpuSource", r.serverCpuSource()).put("cpuSeconds", r.serverCpuSeconds())
                .put("cpuMicrosPerPacketSent", r.serverCpuMicrosPerPacketSent());
        LoadResult.Steady st = r.steady();
        server.putObject("steady").put("settled", st.settled()).put("seconds", st.seconds())
                .put("cpuSeconds", st.cpuSeconds()).put("serverDatagramsSent", st.serverDatagramsSent())
                .put("datagramsFromServer", st.datagramsFromServer())
                .put("packetsSentByClients", st.packetsSentByClients())
                .put("cpuMicrosPerPacketSent", st.cpuMicrosPerPacketSent())
                .put("cpuMicrosPerDatagramReceived", st.cpuMicrosPerDatagramReceived())
                .put("generatorCpuSeconds", st.clientCpuSeconds())
                .put("generatorCpuMicrosPerDatagramReceived", st.clientCpuMicrosPerDatagramReceived());
        LoadResult.Memory mem = r.memory();
        server.putObject("memory").put("participants", mem.participants())
                .put("heapLiveBytesBefore", mem.heapLiveBefore()).put("heapLiveBytesAfter", mem.heapLiveAfter())
                .put("heapBytesPerParticipant", mem.heapBytesPerParticipant())
                .put("residentBytesBefore", mem.residentBefore()).put("residentBytesAfter", mem.residentAfter())
                .put("residentBytesPerParticipant", mem.residentBytesPerParticipant());
        ObjectNode deltas = server.putObject("counterDeltas");
        r.serverDeltas().forEach(deltas::put);
        ArrayNode timeline = root.putArray("timeline");
        for (LoadResult.Sample s : r.timeline()) {
            timeline.addObject().put("second", s.second()).put("connected", s.connected())
                    .put("sentPerSecond", s.sentPerSecond()).put("receivedPerSecond", s.receivedPerSecond())
                    .put("delayP50Millis", s.delayP50Millis()).put("delayP90Millis", s.delayP90Millis())
                    .put("delayP99Millis", s.delayP99Millis()).put("delayMaxMillis", s.delayMaxMillis())
                    .put("serverCpuPercent", s.serverCpuPercent());
        }
        LoadResult.Audience a = r.audience();
        ObjectNode audience = root.putObject("audience").put("maxAudioStreams", a.maxAudioStreams())
                .put("meanAudioStreams", a.meanAudioStreams()).put("maxOffers", a.maxOffers());
        if (a.stageMoves()) audience.put("movesDone", a.movesDone()).put("offersDuringMoves", a.offersDuringMoves());
        if (a.comebacks() > 0) {
            audience.put("comebacks", a.comebacks()).put("resumed", a.resumed())
                    .put("recoveryMaxMillis", a.recoveryMaxMillis()).put("recoveryMedianMillis", a.recoveryMedianMillis());
        }
        ObjectNode sim = root.putObject("video").put("simulcast", r.config().simulcast())
                .put("ridsAcked", r.ridsAcked()).put("layersPaused", r.layersPaused()).put("layersResumed", r.layersResumed());
        ArrayNode groups = sim.putArray("bySize");
        for (LoadResult.SizeGroup g : LoadResult.SizeGroup.of(r.listeners())) {
            ObjectNode n = groups.addObject().put("size", g.size()).put("listeners", g.listeners())
                    .put("kbpsPerStream", g.kbpsPerStream());
            ArrayNode share = n.putArray("layerShare");
            for (double d : g.layerShare()) share.add(d);
        }
        ArrayNode listeners = root.putArray("listeners");
        for (LoadResult.Listener l : r.listeners()) {
            ObjectNode n = listeners.addObject().put("name", l.name()).put("publishersHeard", l.publishersHeard())
                    .put("audioStreams", l.audioStreams()).put("received", l.received()).put("lost", l.lost())
                    .put("offers", l.offers());
            if (l.offersDuringMoves() >= 0) n.put("offersDuringMoves", l.offersDuringMoves());
            if (!l.comebacks().isEmpty()) {
                ArrayNode how = n.putArray("comebacks");
                l.comebacks().forEach(how::add);
                ArrayNode ms = n.putArray("recoveriesMillis");
                l.recoveriesMillis().forEach(ms::add);
            }
            LoadResult.Video v = l.video();
            if (v.streams() > 0) {
                ObjectNode video = n.putObject("video").put("streams", v.streams()).put("kbpsPerStream", v.kbpsPerStream());
                if (v.size() != null) video.put("size", v.size());
                ArrayNode layers = video.putArray("sampledByLayer");
                for (long count : v.sampledByLayer()) layers.add(count);
            }
            if (l.failure() != null) n.put("failure", l.failure());
        }
        return root;
    }

    static void write(LoadResult r, Path folder) throws IOException {
        Files.createDirectories(folder);
        ObjectNode json = json(r);
        Files.writeString(folder.resolve("report.json"),
                SignalingClient.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        Files.writeString(folder.resolve("report.html"), html(r, json));
    }

    private static String html(LoadResult r, ObjectNode json) {
        List<LoadResult.Sample> t = r.timeline();
        String delayChart = chart("One-way delay (ms) per second", t, List.of(
                new Series("p50", "#1b9e77", LoadResult.Sample::delayP50Millis),
                new Series("p90", "#7570b3", LoadResult.Sample::delayP90Millis),
                new Series("p99", "#d95f02", LoadResult.Sample::delayP99Millis)));
        String rateChart = chart("Packets per second", t, List.of(
                new Series("sent", "#1b9e77", s -> s.sentPerSecond()),
                new Series("received", "#d95f02", s -> s.receivedPerSecond())));
        String cpuChart = t.stream().anyMatch(s -> s.serverCpuPercent() >= 0)
                ? chart("Server CPU (% of one core) per second", t, List.of(
                        new Series("server", "#e7298a", s -> Math.max(0, s.serverCpuPercent()))))
                : "<p>The server's CPU was not measured (give --server-pid).</p>";
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Salotto load test</title>"
                + "<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}pre{background:#f4f4f4;"
                + "padding:1em;overflow:auto}</style></head><body><h1>Salotto load test</h1>"
                + String.format(Locale.ROOT, "<p>%s, %d publishers, %d subscribers: loss %.3f%%, delay p50 %.2f ms, "
                                + "p99 %.2f ms, join p50 %.0f ms, p99 %.0f ms, server CPU (steady state) %.2f µs per "
                                + "packet sent, %.2f µs per datagram received; heap %.0f bytes per participant.</p>",
                        r.config().server().name().toLowerCase(), r.config().publishers(), r.config().subscribers(),
                        100 * r.lossRatio(), r.delayMillis().get("p50"), r.delayMillis().get("p99"),
                        r.joinMillis().get("p50"), r.joinMillis().get("p99"), r.steady().cpuMicrosPerPacketSent(),
                        r.steady().cpuMicrosPerDatagramReceived(), r.memory().heapBytesPerParticipant())
                + delayChart + rateChart + cpuChart + "<h2>Report</h2><pre>" + escape(json.toPrettyString()) + "</pre></body></html>\n";
    }

    private record Series(String name, String color, ToDoubleFunction<LoadResult.Sample> value) {
    }

    /** A line chart: x is the second, y from 0 to the largest value; one polyline per series. */
    private static String chart(String title, List<LoadResult.Sample> samples, List<Series> series) {
        int w = 720, h = 240, left = 60, bottom = 30, top = 20;
        double maxX = Math.max(1, samples.isEmpty() ? 1 : samples.getLast().second());
        double maxY = 0;
        for (Series s : series) for (LoadResult.Sample p : samples) maxY = Math.max(maxY, s.value().applyAsDouble(p));
        if (maxY <= 0) maxY = 1;
        StringBuilder b = new StringBuilder("<h2>").append(escape(title)).append("</h2>");
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">", w, h));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
                left, h - bottom, w - 10, h - bottom));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
                left, top, left, h - bottom));
        b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%.3g</text>", top + 4, maxY));
        b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">0</text>", h - bottom));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%.0f s</text>", w - 50, h - 8, maxX));
        int legend = left + 10;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (LoadResult.Sample p : samples) {
                double x = left + (w - 10 - left) * p.second() / maxX;
                double y = h - bottom - (h - bottom - top) * s.value().applyAsDouble(p) / maxY;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            b.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(s.color()).append("\" points=\"")
                    .append(points).append("\"/>");
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>",
                    legend, top - 6, s.color(), s.name()));
            legend += 70;
        }
        return b.append("</svg>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
