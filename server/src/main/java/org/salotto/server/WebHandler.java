package org.salotto.server;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.salotto.media.transport.DropReason;
import org.salotto.media.transport.MediaCounters;
import org.salotto.rooms.RoomService;
import org.salotto.signaling.SignalingService;

/**
 * Plain HTTP: the web app (built by the {@code web} module into {@code web/} on the class path: one page for
 * {@code /}, {@code /r/{room}}, {@code /u/{username}}, {@code /settings} and {@code /admin}, its hashed files under {@code /assets/}, and the peer-to-peer baseline page of the
 * bandwidth test), {@code /health}, and {@code /metrics} in the Prometheus text format.
 */
final class WebHandler extends Handler.Abstract {
    /** The app's own routes (web/src/main.tsx): each gets the one page, which shows what the path names. */
    private static final Pattern APP_PATH = Pattern.compile("/(r/[A-Za-z0-9_-]{1,64}|u/[A-Za-z0-9_.]{1,64}|settings|admin)/?");
    /** Vite names these files by a hash of their content: they never change, so browsers may keep them. */
    private static final Pattern ASSET_PATH = Pattern.compile("/assets/[A-Za-z0-9_-]{1,100}\\.(js|css|svg|png|woff2)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "woff2", "font/woff2");

    private final MediaCounters counters;
    private final SignalingService signaling;
    private final RoomService rooms;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    WebHandler(MediaCounters counters, SignalingService signaling, RoomService rooms) {
        this.counters = counters;
        this.signaling = signaling;
        this.rooms = rooms;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            return text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain", "method not allowed\n");
        }
        if (path.equals("/health") || path.equals("/ready")) {
            return text(response, callback, 200, "text/plain", "ok\n");
        }
        if (path.equals("/metrics")) {
            return text(response, callback, 200, "text/plain; version=0.0.4", metrics());
        }
        if (path.equals("/") || APP_PATH.matcher(path).matches()) return file(response, callback, "index.html", false);
        if (path.equals("/p2p.html")) return file(response, callback, "p2p.html", false);
        if (ASSET_PATH.matcher(path).matches()) return file(response, callback, path.substring(1), true);
        return text(response, callback, 404, "text/plain", "not found\n");
    }

    private boolean file(Response response, Callback callback, String name, boolean immutable) throws IOException {
        byte[] body = files.computeIfAbsent(name, WebHandler::load);
        if (body.length == 0) return text(response, callback, 404, "text/plain", "not found\n");
        String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, immutable ? "public, max-age=31536000, immutable" : "no-cache");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static byte[] load(String name) {
        try (InputStream in = WebHandler.class.getResourceAsStream("/web/" + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static boolean text(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    /** The audience relay's figures per other node, with a cluster (set once it is joined). */
    private volatile java.util.function.Supplier<java.util.List<AudienceRelay.LinkStats>> relay;

    /** The audience relay itself, for its node-wide counts (set with {@link #relay}). */
    private volatile AudienceRelay relayCounts;

    void relayMetrics(AudienceRelay audience) {
        this.relayCounts = audience;
        this.relay = audience::stats;
    }

    private void relayMetrics(StringBuilder b) {
        var source = relay;
        if (source == null) return;
        var links = source.get();
        b.append("# HELP salotto_relay_streams stage tracks this node relays to another node now (one per track per edge)\n");
        b.append("# TYPE salotto_relay_streams gauge\n");
        for (var l : links) b.append("salotto_relay_streams{node=\"").append(l.peer()).append("\"} ").append(l.streams()).append('\n');
        b.append("# HELP salotto_relay_packets_sent_total RTP packets relayed to another node\n");
        b.append("# TYPE salotto_relay_packets_sent_total counter\n");
        for (var l : links) b.append("salotto_relay_packets_sent_total{node=\"").append(l.peer()).append("\"} ").append(l.sent()).append('\n');
        b.append("# HELP salotto_relay_packets_received_total RTP packets relayed from another node\n");
        b.append("# TYPE salotto_relay_packets_received_total counter\n");
        for (var l : links) b.append("salotto_relay_packets_received_total{node=\"").append(l.peer()).append("\"} ").append(l.received()).append('\n');
        AudienceRelay a = relayCounts;
        if (a == null) return;
        gauge(b, "salotto_relay_edge_listeners", "listeners of rooms other nodes own, served here", a.listenersServed());
        gauge(b, "salotto_relay_edge_members", "members of rooms owned here whose node is another (edge listeners)", a.edgeMembers());
        counter(b, "salotto_relay_messages_dropped_total",
                "messages from other nodes dropped (not JSON, unknown type, an unknown listener or room)", a.droppedMessages());
    }

    private String metrics() {
        StringBuilder b = new StringBuilder(2048);
        relayMetrics(b);
        counter(b, "salotto_media_datagrams_received_total", "UDP datagrams received on the media port", counters.datagramsIn());
        counter(b, "salotto_media_bytes_received_total", "bytes received on the media port", counters.bytesIn());
        counter(b, "salotto_media_datagrams_sent_total", "UDP datagrams sent from the media port", counters.datagramsOut());
        counter(b, "salotto_media_bytes_sent_total", "bytes sent from the media port", counters.bytesOut());
        counter(b, "salotto_media_rtp_forwarded_total", "RTP packets forwarded to subscribers", counters.rtpForwarded());
        counter(b, "salotto_media_rtx_sent_total", "packets retransmitted for NACKs", counters.rtxSent());
        counter(b, "salotto_media_keyframe_requests_sent_total", "PLIs sent to publishers", counters.keyframeRequestsSent());
        counter(b, "salotto_media_nacks_sent_total", "generic NACKs sent to publishers for lost packets", counters.nacksSent());
        counter(b, "salotto_media_nacked_packets_total", "sequence numbers asked for again in NACKs to publishers",
                counters.nackedPackets());
        counter(b, "salotto_media_nack_given_up_total", "lost packets given up on (a keyframe asked for instead)",
                counters.nackGivenUp());
        counter(b, "salotto_media_rtx_received_total", "RTX packets received from publishers, padding included",
                counters.rtxReceived());
        counter(b, "salotto_media_rtx_recovered_total", "RTX packets that filled a gap and were forwarded",
                counters.rtxRecovered());
        counter(b, "salotto_media_rtx_padding_total", "padding-only RTX packets from publishers, dropped", counters.rtxPadding());
        counter(b, "salotto_media_keyframe_requests_throttled_total", "keyframe requests held back by the throttle",
                counters.keyframeRequestsThrottled());
        counter(b, "salotto_media_tcp_frames_received_total", "ICE-TCP frames (RFC 4571) received", counters.tcpFramesIn());
        counter(b, "salotto_media_tcp_bytes_received_total", "bytes of ICE-TCP frames received", counters.tcpBytesIn());
        counter(b, "salotto_media_tcp_frames_sent_total", "ICE-TCP frames sent", counters.tcpFramesOut());
        counter(b, "salotto_media_tcp_bytes_sent_total", "bytes of ICE-TCP frames sent", counters.tcpBytesOut());
        counter(b, "salotto_media_tcp_connections_accepted_total", "ICE-TCP connections accepted",
                counters.tcpConnectionsAccepted());
        counter(b, "salotto_media_tcp_connections_timed_out_total",
                "ICE-TCP connections closed without an ICE check in time, or silent for the consent timeout",
                counters.tcpConnectionsTimedOut());
        counter(b, "salotto_media_control_refused_total", "control requests refused because the media loop's queue was full",
                counters.controlRefused());
        counter(b, "salotto_rooms_commands_refused_busy_total", "room commands refused because the room's executor was full",
                rooms.runtime().counters().busyRefusals());
        counter(b, "salotto_sessions_purged_total", "expired browser sessions deleted by the periodic purge",
                rooms.sessionsPurged());
        counter(b, "salotto_rooms_write_failures_total", "room decisions whose database writes failed (not an outage) and were dropped",
                rooms.runtime().counters().writeFailures());
        counter(b, "salotto_rooms_write_retries_total", "attempts to store a room decision that found the database unreachable",
                rooms.runtime().counters().writeRetries());
        counter(b, "salotto_badges_bought_total", "badges bought (retries answered from their key not counted)",
                rooms.purchases().bought());
        counter(b, "salotto_badges_declined_total", "badge charges the payment provider declined", rooms.purchases().declined());
        counter(b, "salotto_badges_charges_given_back_total", "charges given back because the live refused the badge after the payment",
                rooms.purchases().voided());
        counter(b, "salotto_payment_duplicate_answers_total", "payment provider answers after the first for a charge, ignored",
                rooms.purchases().duplicateAnswers());
        var notify = rooms.notifications();
        counter(b, "salotto_notifications_written_total", "notifications written by the fan-out worker",
                notify.notifier().written());
        counter(b, "salotto_notification_batches_total", "fan-out transactions (a batch of recipients and the job's position each)",
                notify.notifier().batches());
        counter(b, "salotto_notification_statements_total", "SQL statements the fan-out worker ran (jobs, batches, reads)",
                notify.notifier().statements());
        counter(b, "salotto_notifications_pushed_total", "notifications handed to an open real-time stream",
                notify.streams().pushed());
        counter(b, "salotto_notifications_stream_drops_total", "notifications a stream could not take (closed, or too far behind)",
                notify.streams().dropped());
        b.append("# HELP salotto_notification_streams open real-time notification streams\n# TYPE salotto_notification_streams gauge\n");
        b.append("salotto_notification_streams ").append(notify.streams().size()).append('\n');
        counters.downlinkEstimates().appendPrometheus(b);
        b.append("# HELP salotto_media_dropped_total datagrams and packets dropped, by reason\n");
        b.append("# TYPE salotto_media_dropped_total counter\n");
        for (DropReason r : DropReason.values()) {
            b.append("salotto_media_dropped_total{reason=\"").append(r.name().toLowerCase()).append("\"} ")
                    .append(counters.drops(r)).append('\n');
        }
        b.append("# HELP salotto_rooms rooms with at least one person\n# TYPE salotto_rooms gauge\n");
        b.append("salotto_rooms ").append(rooms.openRooms()).append('\n');
        b.append("# HELP salotto_rooms_writers_waiting_for_database room writers holding a decision until the database is back\n")
                .append("# TYPE salotto_rooms_writers_waiting_for_database gauge\n");
        b.append("salotto_rooms_writers_waiting_for_database ").append(rooms.runtime().counters().writersWaitingForDatabase()).append('\n');
        b.append("# HELP salotto_participants people in rooms\n# TYPE salotto_participants gauge\n");
        b.append("salotto_participants ").append(rooms.people()).append('\n');
        b.append("# HELP salotto_media_participants people with a media connection\n# TYPE salotto_media_participants gauge\n");
        b.append("salotto_media_participants ").append(signaling.participantCount()).append('\n');
        b.append("# HELP salotto_media_tcp_connections ICE-TCP connections open\n# TYPE salotto_media_tcp_connections gauge\n");
        b.append("salotto_media_tcp_connections ").append(counters.tcpConnectionsOpen()).append('\n');
        jvm(b);
        return b.toString();
    }

    /**
     * The heap: in use now (garbage included), and live after the last collection of each heap pool, which after a
     * full collection ({@code jcmd PID GC.run}) is the memory the server really holds; the load generator reads it
     * before and after its joins for the heap per participant. Also the count of collections, so that a reader can
     * tell whether one ran between two reads.
     */
    private static void jvm(StringBuilder b) {
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP || !pool.isCollectionUsageThresholdSupported()) continue;
            MemoryUsage u = pool.getCollectionUsage();
            if (u != null) afterGc += u.getUsed();
        }
        long collections = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
        }
        gauge(b, "salotto_jvm_heap_used_bytes", "heap in use now, garbage included",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        gauge(b, "salotto_jvm_heap_live_bytes", "heap in use after the last collection of each heap pool", afterGc);
        counter(b, "salotto_jvm_gc_collections_total", "garbage collections (cycles and pauses, every collector)",
                collections);
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        b.append(name).append(' ').append(value).append('\n');
    }
}
