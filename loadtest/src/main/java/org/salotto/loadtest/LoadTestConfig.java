package org.salotto.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What to run. Read from the command line by {@link #parse}; every flag has a default.
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
 */
record LoadTestConfig(ServerKind server, URI url, String room, String kind, int publishers, boolean audio, int videoKbps, int keyframeSeconds,
                      int subscribers, Duration duration, double joinRate, int decryptEvery, int threads,
                      long serverPid, Path report, Path profile, boolean socketPerConnection) {

    static final String USAGE = """
            usage: salotto loadtest [--server salotto|janus] [--url http://127.0.0.1:8080] [--room loadtest]
                   [--kind space|live|call]
                   [--publishers 1] [--audio]
                   [--video-kbps 0] [--keyframe-seconds 3] [--subscribers 10] [--duration 30s] [--join-rate 10]
                   [--decrypt-every 10] [--threads 1] [--server-pid PID] [--report target/loadtest]
                   [--profile-steady FILE.jfr] [--socket-per-connection]
            Publishers send audio when --audio is given or no video is asked for. With --server janus the default
            --url is ws://127.0.0.1:8188 (Janus's WebSocket API).
                   salotto loadtest compare SALOTTO/report.json JANUS/report.json   the CPU per packet ratio""";

    LoadTestConfig {
        if (!java.util.Set.of("space", "live", "call").contains(kind)) throw new IllegalArgumentException("--kind is space, live or call");
        if (publishers < 0 || subscribers < 0 || publishers + subscribers == 0) {
            throw new IllegalArgumentException("need at least one publisher or subscriber");
        }
        if (videoKbps < 0 || joinRate <= 0 || decryptEvery < 1 || threads < 1 || keyframeSeconds < 1) {
            throw new IllegalArgumentException("--video-kbps >= 0, --join-rate > 0, --decrypt-every, --threads, "
                    + "--keyframe-seconds >= 1");
        }
    }

    static LoadTestConfig parse(String[] args) {
        ServerKind server = ServerKind.SALOTTO;
        URI url = null;
        String room = "loadtest";
        String kind = "space";
        int publishers = 1, subscribers = 10, videoKbps = 0, keyframeSeconds = 3, decryptEvery = 10, threads = 1;
        boolean audio = false;
        boolean socketPerConnection = false;
        Duration duration = Duration.ofSeconds(30);
        double joinRate = 10;
        long pid = 0;
        Path report = null;
        Path profile = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--audio")) {
                audio = true;
                continue;
            }
            if (flag.equals("--socket-per-connection")) {
                socketPerConnection = true;
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            String v = args[++i];
            switch (flag) {
                case "--server" -> server = ServerKind.valueOf(v.toUpperCase(java.util.Locale.ROOT));
                case "--url" -> url = URI.create(v);
                case "--room" -> room = v;
                case "--kind" -> kind = v;
                case "--publishers" -> publishers = Integer.parseInt(v);
                case "--subscribers" -> subscribers = Integer.parseInt(v);
                case "--video-kbps" -> videoKbps = Integer.parseInt(v);
                case "--keyframe-seconds" -> keyframeSeconds = Integer.parseInt(v);
                case "--duration" -> duration = duration(v);
                case "--join-rate" -> joinRate = Double.parseDouble(v);
                case "--decrypt-every" -> decryptEvery = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--server-pid" -> pid = Long.parseLong(v);
                case "--report" -> report = Path.of(v);
                case "--profile-steady" -> profile = Path.of(v);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (videoKbps == 0) audio = true;
        if (url == null) {
            url = URI.create(server == ServerKind.JANUS ? "ws://127.0.0.1:8188" : "http://127.0.0.1:8080");
        }
        return new LoadTestConfig(server, url, room, kind, publishers, audio, videoKbps, keyframeSeconds, subscribers, duration,
                joinRate, decryptEvery, threads, pid, report, profile, socketPerConnection);
    }

    /** "30s", "2m", "500ms" or plain seconds. */
    static Duration duration(String v) {
        if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        if (v.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        if (v.endsWith("m")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    }

    /** The signaling WebSocket: Salotto's room socket, or Janus's WebSocket API itself. */
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
