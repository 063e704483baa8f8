package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM drain (it/browser/drain.mjs): the server runs as a child process ({@code org.salotto.server.Main}, as
 * {@code ./salotto serve} runs it) on a data folder of the test's. A host is live and a viewer watches; the test sends
 * SIGTERM. Every page shows the drain banner with the server's message, then an end screen that says the server
 * restarted (never "You were disconnected"). The server exits by itself; started again on the same data folder, it
 * says the room is ended: nothing is left open.
 */
class DrainTest {

    private static final Pattern URL = Pattern.compile("Open (http://[0-9.]+:[0-9]+)/");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the server waits for people to leave before it ends their rooms and exits. */
    private static final Duration DRAIN = Duration.ofSeconds(3);

    @Test
    void sigtermTellsEveryPageAndLeavesNoRoomOpen() throws Exception {
        BrowserHarness.requireBrowsers();
        var harness = new BrowserHarness();
        Path data = Files.createTempDirectory("salotto-drain-");
        String room;
        JsonNode r;
        try (var server = ServerProcess.start(data, harness.reportDir())) {
            try (var run = harness.start("drain.mjs", Map.of(
                    "baseUrl", server.baseUrl,
                    "outputDir", harness.screenshots("drain")), Duration.ofSeconds(180))) {
                room = run.awaitEvent("ready").path("room").asText();
                server.process.destroy(); // SIGTERM
                run.send("sigterm");
                r = run.result();
            }
            assertTrue(server.process.waitFor(60, TimeUnit.SECONDS), "the server exits by itself after its drain");
        }
        System.out.println("drain: " + r);
        String state;
        try (var again = ServerProcess.start(data, harness.reportDir())) {
            HttpResponse<String> got = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(again.baseUrl + "/api/rooms/" + room)).build(),
                    HttpResponse.BodyHandlers.ofString());
            state = JSON.readTree(got.body()).path("state").asText();
        }
        assertAll("drain: " + r,
                () -> assertDrained(r.path("pages").path("host"), "the host"),
                () -> assertDrained(r.path("pages").path("viewer"), "the viewer"),
                () -> assertEquals("ended", state, "after the restart the room is ended, not left open"));
    }

    private static void assertDrained(JsonNode page, String who) {
        assertTrue(page.path("draining").isObject(), who + " sees the drain banner: " + page);
        assertTrue(page.path("draining").path("title").asText().contains("restarting"), who + ": " + page);
        assertTrue(page.path("notice").isObject(), who + " sees an end screen: " + page);
        String code = page.path("notice").path("code").asText();
        assertTrue(code.equals("server_restarted") || code.equals("room_ended"), who + ": the server restarted or the room ended: " + page);
        assertFalse(page.path("notice").path("title").asText().contains("disconnected"), who + ": not \"You were disconnected\": " + page);
    }

    /** {@code org.salotto.server.Main} in a JVM of its own, on this test's class path, its output in a log file. */
    private static final class ServerProcess implements AutoCloseable {
        final Process process;
        final String baseUrl;

        private ServerProcess(Process process, String baseUrl) {
            this.process = process;
            this.baseUrl = baseUrl;
        }

        static ServerProcess start(Path data, Path logDir) throws IOException, InterruptedException {
            String java = ProcessHandle.current().info().command().orElse("java");
            // A short drain, from a configuration file as an operator writes one (salotto-reference.conf's layout).
            Path config = data.resolveSibling(data.getFileName() + ".conf");
            Files.writeString(config, "drain-timeout = " + DRAIN.toSeconds() + "s\n");
            List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"), "org.salotto.server.Main",
                    "--config", config.toString(),
                    "--host", "127.0.0.1", "--http-port", "0", "--media-port", "0", "--data-dir", data.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Files.createDirectories(logDir);
            Path log = logDir.resolve("drain-server-" + System.currentTimeMillis() + ".log");
            CompletableFuture<String> url = new CompletableFuture<>();
            Thread.ofVirtual().name("server-output").start(() -> {
                try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     var out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        out.println(line);
                        Matcher m = URL.matcher(line);
                        if (m.find()) url.complete(m.group(1));
                    }
                } catch (IOException e) {
                    url.completeExceptionally(e);
                } finally {
                    url.completeExceptionally(new IOException("the server exited before it listened; see " + log));
                }
            });
            try {
                return new ServerProcess(process, url.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IOException("the server did not start: " + e.getMessage() + " (output: " + log + ")", e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        }
    }
}
