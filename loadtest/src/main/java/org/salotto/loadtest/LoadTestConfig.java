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
 */
record LoadTestConfig(ServerKind server, URI url, String room, String kind, int publishers, boolean audio, int videoKbps, int keyframeSeconds,
                      int subscribers, Duration duration, double joinRate, int decryptEvery, int threads,
                      long serverPid, Path report, Path profile, boolean socketPerConnection, boolean stageMoves) {

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
