package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code salotto loadtest}'s flags: defaults, values, {@code --help}, and refusals with status 2 and the usage. */
class LoadTestCommandLineTest {

    /** Runs the command line as {@code main} would, without exiting; returns status, stdout and stderr. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = LoadTest.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void theDefaults() {
        LoadTestConfig c = LoadTest.parse();
        assertEquals(ServerKind.SALOTTO, c.server());
        assertEquals(URI.create("http://127.0.0.1:8080"), c.url());
        assertEquals("loadtest", c.room());
        assertEquals("space", c.kind());
        assertEquals(1, c.publishers());
        assertEquals(10, c.subscribers());
        assertTrue(c.audio(), "no video asked for: publishers send audio");
        assertEquals(Duration.ofSeconds(30), c.duration());
        assertEquals(10, c.joinRate());
        assertEquals(1, c.threads());
        assertFalse(c.socketPerConnection());
        assertFalse(c.stageMoves());
    }

    @Test
    void stageMovesNeedASalottoStageAndTwoPublishers() {
        assertTrue(LoadTest.parse("--stage-moves", "--publishers", "3").stageMoves());
        Run call = run("--stage-moves", "--kind", "call", "--publishers", "3");
        assertEquals(2, call.status());
        assertTrue(call.err().contains("--stage-moves needs Salotto, a space or a live, and 2 publishers or more"), call.err());
        Run one = run("--stage-moves");
        assertEquals(2, one.status(), "one publisher: nobody to move but the host");
    }

    @Test
    void nodeUrlsSpreadListenersOverACluster() {
        assertTrue(LoadTest.parse().nodeUrls().isEmpty(), "none by default: everyone on --url");
        LoadTestConfig c = LoadTest.parse("--node-urls", "http://127.0.0.1:8080, http://127.0.0.1:8081,http://127.0.0.1:8082");
        assertEquals(java.util.List.of(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8081"),
                URI.create("http://127.0.0.1:8082")), c.nodeUrls());
        Run notHttp = run("--node-urls", "ws://127.0.0.1:8080");
        assertEquals(2, notHttp.status());
        assertTrue(notHttp.err().contains("--node-urls: 'ws://127.0.0.1:8080' is not an http(s) base URL"), notHttp.err());
        Run janus = run("--server", "janus", "--node-urls", "http://127.0.0.1:8080");
        assertEquals(2, janus.status());
        assertTrue(janus.err().contains("--node-urls needs Salotto"), janus.err());
    }

    @Test
    void everyFlag() {
        LoadTestConfig c = LoadTest.parse("--server", "janus", "--room", "r", "--kind", "live", "--publishers", "2",
                "--video-kbps", "500", "--keyframe-seconds", "2", "--subscribers", "50", "--duration", "500ms",
                "--join-rate", "2.5", "--decrypt-every", "3", "--threads", "2", "--server-pid", "42", "--report", "out",
                "--profile-steady", "p.jfr", "--socket-per-connection");
        assertEquals(ServerKind.JANUS, c.server());
        assertEquals(URI.create("ws://127.0.0.1:8188"), c.url());
        assertEquals("live", c.kind());
        assertEquals(2, c.publishers());
        assertFalse(c.audio(), "video without --audio");
        assertEquals(500, c.videoKbps());
        assertEquals(2, c.keyframeSeconds());
        assertEquals(50, c.subscribers());
        assertEquals(Duration.ofMillis(500), c.duration());
        assertEquals(2.5, c.joinRate());
        assertEquals(3, c.decryptEvery());
        assertEquals(2, c.threads());
        assertEquals(42, c.serverPid());
        assertEquals(Path.of("out"), c.report());
        assertEquals(Path.of("p.jfr"), c.profile());
        assertTrue(c.socketPerConnection());
        assertEquals(Duration.ofMinutes(2), LoadTest.parse("--duration", "2m").duration());
    }

    @Test
    void helpAnswersWithStatusZero() {
        Run r = run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("Usage: salotto loadtest"), r.out());
        assertTrue(r.out().contains("--subscribers=N"), r.out());
        Run compare = run("compare", "--help");
        assertEquals(0, compare.status());
        assertTrue(compare.out().contains("SALOTTO/report.json"), compare.out());
    }

    @Test
    void anUnknownFlagIsRefusedWithTheUsage() {
        Run r = run("--subscriber", "5");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("salotto loadtest: Unknown option"), r.err());
        assertTrue(r.err().contains("Usage: salotto loadtest"), r.err());
    }

    @Test
    void badValuesAreRefusedWithTheUsage() {
        Run duration = run("--duration", "soon");
        assertEquals(2, duration.status());
        assertTrue(duration.err().contains("'soon' is not a duration"), duration.err());
        Run number = run("--subscribers", "many");
        assertEquals(2, number.status());
        assertTrue(number.err().contains("--subscribers"), number.err());
        Run kind = run("--kind", "party");
        assertEquals(2, kind.status());
        assertTrue(kind.err().startsWith("salotto loadtest: --kind is space, live or call"), kind.err());
        assertTrue(kind.err().contains("Usage: salotto loadtest"), kind.err());
        Run server = run("--server", "jitsi");
        assertEquals(2, server.status());
        assertTrue(server.err().contains("--server is salotto or janus, not 'jitsi'"), server.err());
        Run compare = run("compare", "only-one.json");
        assertEquals(2, compare.status());
        assertTrue(compare.err().contains("Usage: salotto loadtest compare"), compare.err());
    }

    @Test
    void theCommentsRunRefusesTooFewViewersForItsCommenters() {
        // 20 comments a second need 50 commenters to stay under the server's default comment limit.
        Run r = run("comments", "--viewers", "10", "--rate", "20");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("50 commenters needed, only 10 viewers"), r.err());
        assertTrue(r.err().contains("Usage: salotto loadtest comments"), r.err());
        assertFalse(r.err().contains("Could not format"), r.err());
        Run help = run("comments", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("80% of the server's default"), help.out());
    }
}
