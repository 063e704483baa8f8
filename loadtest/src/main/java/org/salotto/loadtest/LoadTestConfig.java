package org.salotto.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What to run. Read from the command line by {@link LoadTest}; every flag has a default.
 *
 * @param server          which server: Salotto, or Janus's videoroom (for the side-by-side runs)
 * @param url             the server's base URL (http://host:port; Janus: its WebSocket API, ws://host:port)
 * @param room            the title of the room everyone joins (Salotto makes a new room, hosted by a new account;
 *                        Janus: a description, and the room gets a fresh numeric id)
 * @param kind            Salotto's room kind: space (default), live or call; publishers go on its stage
 * @param publishers      participants that publish
 * @param audio           whether publishers send audio (50 packets of 100 bytes per second)
 * @param videoKbps       video bitrate per publisher in kbit/s, 0 for none
 * @param keyframeSeconds seconds between periodic keyframes
 * @param subscribers     participants that only receive (listeners)
 * @param duration        how long media runs after the last join started
 * @param joinRate        joins started per second
 * @param decryptEvery    subscribers decrypt one packet in this many (for the delay)
 * @param threads         pacer threads and receiver threads (each)
 * @param serverPid       the server's process id for its CPU time, or 0
 * @param report          folder for report.json and report.html, or null
 * @param profile         a JFR file: the server (a JVM with a pid) records the steady-state window there, or null
 * @param socketPerConnection a UDP socket per simulated connection even where shared sockets would work (see
 *                        {@link MediaReceiver})
 * @param stageMoves      Salotto, a space or a live: once everyone is in, the host moves the last publisher to the
 *                        audience and back onto the stage, and each listener's subscribe offers over the moves are
 *                        counted (fixed audience slots: none)
 * @param simulcast       Salotto: publishers send their video in three VP8 layers ({@link SimulcastLayer}) that share
 *                        {@code videoKbps}, and honour {@code publisherLayers}
 * @param viewerSizes     the tile sizes listeners report with {@code videoSize}, by turns (listener i takes entry
 *                        i modulo the size); empty: they report none (and get the top layer)
 * @param nodeUrls        Salotto, a cluster: its nodes' base URLs; listener i joins through entry i modulo the size
 *                        (the room's API stays on {@code url}), and a listener whose node is lost comes back through
 *                        the next ones ({@code resume}, else a fresh join); empty: everyone on {@code url}, no coming
 *                        back
 */
record LoadTestConfig(ServerKind server, URI url, String room, String kind, int publishers, boolean audio, int videoKbps, int keyframeSeconds,
                      int subscribers, Duration duration, double joinRate, int decryptEvery, int threads,
                      long serverPid, Path report, Path profile, boolean socketPerConnection, boolean stageMoves,
                      boolean simulcast, java.util.List<ViewerSize> viewerSizes, java.util.List<URI> nodeUrls) {

    /** A tile size a listener shows every video at, by name (small, medium, large: the layers' sizes) or WxH. */
    record ViewerSize(String name, int width, int height) {
        static final java.util.List<ViewerSize> NAMED = java.util.List.of(new ViewerSize("small", 320, 180),
                new ViewerSize("medium", 640, 360), new ViewerSize("large", 1280, 720));

        static ViewerSize parse(String v) {
            for (ViewerSize s : NAMED) if (s.name.equals(v)) return s;
            if (v.matches("\\d{1,5}x\\d{1,5}")) {
                String[] wh = v.split("x");
                int w = Integer.parseInt(wh[0]), h = Integer.parseInt(wh[1]);
                if (w <= 16384 && h <= 16384) return new ViewerSize(v, w, h);
            }
            throw new IllegalArgumentException("'" + v + "' is not a tile size: small, medium, large or WxH (at most 16384)");
        }
    }

    /**
     * "small:1,medium:2" (each size and how many listeners of each turn take it; ":1" may be left out) as the
     * listeners' turns, here [small, medium, medium]; the empty string for none.
     */
    static java.util.List<ViewerSize> viewerSizes(String spec) {
        java.util.List<ViewerSize> out = new java.util.ArrayList<>();
        if (spec == null || spec.isBlank()) return out;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length > 2 || (kv.length == 2 && !kv[1].matches("\\d{1,3}"))) {
                throw new IllegalArgumentException("--viewer-sizes: '" + part + "' is not SIZE or SIZE:COUNT");
            }
            ViewerSize size = ViewerSize.parse(kv[0]);
            int n = kv.length == 2 ? Integer.parseInt(kv[1]) : 1;
            for (int i = 0; i < n; i++) out.add(size);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--viewer-sizes: every count is 0");
        return java.util.List.copyOf(out);
    }

    /** The size the i-th listener reports, or null for none. */
    ViewerSize viewerSize(int listener) {
        return viewerSizes.isEmpty() ? null : viewerSizes.get(listener % viewerSizes.size());
    }

    /** One node (no {@code nodeUrls}). */
    LoadTestConfig(ServerKind server, URI url, String room, String kind, int publishers, boolean audio, int videoKbps,
                   int keyframeSeconds, int subscribers, Duration duration, double joinRate, int decryptEvery,
                   int threads, long serverPid, Path report, Path profile, boolean socketPerConnection,
                   boolean stageMoves, boolean simulcast, java.util.List<ViewerSize> viewerSizes) {
        this(server, url, room, kind, publishers, audio, videoKbps, keyframeSeconds, subscribers, duration, joinRate,
                decryptEvery, threads, serverPid, report, profile, socketPerConnection, stageMoves, simulcast,
                viewerSizes, java.util.List.of());
    }

    LoadTestConfig(ServerKind server, URI url, String room, String kind, int publishers, boolean audio, int videoKbps,
                   int keyframeSeconds, int subscribers, Duration duration, double joinRate, int decryptEvery,
                   int threads, long serverPid, Path report, Path profile, boolean socketPerConnection,
                   boolean stageMoves) {
        this(server, url, room, kind, publishers, audio, videoKbps, keyframeSeconds, subscribers, duration, joinRate,
                decryptEvery, threads, serverPid, report, profile, socketPerConnection, stageMoves, false,
                java.util.List.of(), java.util.List.of());
    }

    LoadTestConfig(ServerKind server, URI url, String room, String kind, int publishers, boolean audio, int videoKbps,
                   int keyframeSeconds, int subscribers, Duration duration, double joinRate, int decryptEvery,
                   int threads, long serverPid, Path report, Path profile, boolean socketPerConnection) {
        this(server, url, room, kind, publishers, audio, videoKbps, keyframeSeconds, subscribers, duration, joinRate,
                decryptEvery, threads, serverPid, report, profile, socketPerConnection, false);
    }

    LoadTestConfig {
        if (!java.util.Set.of("space", "live", "call").contains(kind)) throw new IllegalArgumentException("--kind is space, live or call");
        if (publishers < 0 || subscribers < 0 || publishers + subscribers == 0) {
            throw new IllegalArgumentException("need at least one publisher or subscriber");
        }
        if (videoKbps < 0 || joinRate <= 0 || decryptEvery < 1 || threads < 1 || keyframeSeconds < 1) {
            throw new IllegalArgumentException("--video-kbps >= 0, --join-rate > 0, --decrypt-every, --threads, "
                    + "--keyframe-seconds >= 1");
        }
        if (stageMoves && (server != ServerKind.SALOTTO || kind.equals("call") || publishers < 2)) {
            throw new IllegalArgumentException("--stage-moves needs Salotto, a space or a live, and 2 publishers or more");
        }
        if (simulcast && (server != ServerKind.SALOTTO || videoKbps < 8)) {
            throw new IllegalArgumentException("--simulcast needs Salotto and --video-kbps of 8 or more");
        }
        if (!viewerSizes.isEmpty() && server != ServerKind.SALOTTO) {
            throw new IllegalArgumentException("--viewer-sizes needs Salotto");
        }
        viewerSizes = java.util.List.copyOf(viewerSizes);
        if (!nodeUrls.isEmpty() && server != ServerKind.SALOTTO) throw new IllegalArgumentException("--node-urls needs Salotto");
        for (URI u : nodeUrls) {
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("--node-urls: '" + u + "' is not an http(s) base URL");
            }
        }
        nodeUrls = java.util.List.copyOf(nodeUrls);
    }

    /** The same run with its listeners spread over a cluster's nodes (see {@code nodeUrls}). */
    LoadTestConfig withNodeUrls(java.util.List<URI> urls) {
        return new LoadTestConfig(server, url, room, kind, publishers, audio, videoKbps, keyframeSeconds, subscribers,
                duration, joinRate, decryptEvery, threads, serverPid, report, profile, socketPerConnection, stageMoves,
                simulcast, viewerSizes, urls);
    }

    /** The node URLs as strings, for the listeners' signaling. */
    java.util.List<String> nodes() {
        return nodeUrls.stream().map(URI::toString).toList();
    }

    /** "http://a:8080,http://b:8080" as URLs; the empty string for none. */
    static java.util.List<URI> nodeUrls(String spec) {
        if (spec == null || spec.isBlank()) return java.util.List.of();
        java.util.List<URI> out = new java.util.ArrayList<>();
        for (String part : spec.split(",")) {
            try {
                out.add(URI.create(part.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--node-urls: '" + part.trim() + "' is not a URL");
            }
        }
        return out;
    }

    /** "30s", "2m", "500ms" or plain seconds; anything else is refused. */
    static Duration duration(String v) {
        if (!v.matches("\\d+(\\.\\d+)?(ms|s|m)?")) {
            throw new IllegalArgumentException("'" + v + "' is not a duration: write e.g. 500ms, 30s, 2m");
        }
        if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        if (v.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        if (v.endsWith("m")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    }

    /** Salotto's {@code /metrics}; Janus has none. */
    URI metricsUri() {
        if (server == ServerKind.JANUS) return null;
        return URI.create(url.toString().replaceAll("/+$", "") + "/metrics");
    }

    /** Janus's WebSocket API; Salotto's room socket is {@link SalottoRoom#webSocketUri()}. */
    URI webSocketUri() {
        return URI.create(url.toString().replaceFirst("^http", "ws").replaceAll("/+$", ""));
    }
}
