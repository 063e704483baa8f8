package org.salotto.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What to run. Read from the command line by {@link #parse}; every flag has a default.
 *
 * @param url             the server's base URL (http://host:port)
 * @param room            the room everyone joins
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
 */
record LoadTestConfig(URI url, String room, int publishers, boolean audio, int videoKbps, int keyframeSeconds,
                      int subscribers, Duration duration, double joinRate, int decryptEvery, int threads,
                      long serverPid, Path report) {

    static final String USAGE = """
            usage: salotto loadtest [--url http://127.0.0.1:8080] [--room loadtest] [--publishers 1] [--audio]
                   [--video-kbps 0] [--keyframe-seconds 3] [--subscribers 10] [--duration 30s] [--join-rate 10]
                   [--decrypt-every 10] [--threads 1] [--server-pid PID] [--report target/loadtest]
            Publishers send audio when --audio is given or no video is asked for.""";

    LoadTestConfig {
        if (publishers < 0 || subscribers < 0 || publishers + subscribers == 0) {
            throw new IllegalArgumentException("need at least one publisher or subscriber");
        }
        if (videoKbps < 0 || joinRate <= 0 || decryptEvery < 1 || threads < 1 || keyframeSeconds < 1) {
            throw new IllegalArgumentException("--video-kbps >= 0, --join-rate > 0, --decrypt-every, --threads, "
                    + "--keyframe-seconds >= 1");
        }
    }

    static LoadTestConfig parse(String[] args) {
        URI url = URI.create("http://127.0.0.1:8080");
        String room = "loadtest";
        int publishers = 1, subscribers = 10, videoKbps = 0, keyframeSeconds = 3, decryptEvery = 10, threads = 1;
        boolean audio = false;
        Duration duration = Duration.ofSeconds(30);
        double joinRate = 10;
        long pid = 0;
        Path report = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--audio")) {
                audio = true;
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            String v = args[++i];
            switch (flag) {
                case "--url" -> url = URI.create(v);
                case "--room" -> room = v;
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
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (videoKbps == 0) audio = true;
        return new LoadTestConfig(url, room, publishers, audio, videoKbps, keyframeSeconds, subscribers, duration,
                joinRate, decryptEvery, threads, pid, report);
    }

    /** "30s", "2m", "500ms" or plain seconds. */
    static Duration duration(String v) {
        if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        if (v.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        if (v.endsWith("m")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    }

    URI webSocketUri() {
        String base = url.toString().replaceFirst("^http", "ws").replaceAll("/+$", "");
        return URI.create(base + "/ws/rooms/" + room);
    }
}
