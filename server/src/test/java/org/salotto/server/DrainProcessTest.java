package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: {@code salotto serve} ({@link Main}) in a child JVM with a configuration file, a person in a room,
 * SIGTERM ({@link Process#destroy()} on Linux), and then what the person sees, the exit status, and the room's state
 * after the server starts again on the same data folder.
 */
class DrainProcessTest {
    private static final Pattern URL = Pattern.compile("Salotto is running\\. Open (http://\\S+)/ ");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void sigtermTellsThePeopleEndsTheRoomAndExitsWithStatusZero() throws Exception {
        Path config = dir.resolve("salotto.conf");
        Files.writeString(config, """
                http.port = 0
                media.port = 0
                data-dir = "%s"
                drain-timeout = %ds
                """.formatted(dir.resolve("data").toString().replace("\\", "\\\\"), DRAIN_TIMEOUT.toSeconds()));
        String roomId;
        Person host;
        Child first = Child.start(config);
        try {
            host = Person.account(first.url, ServerFixture.uniqueName("sigterm"));
            roomId = host.createRoom("space", Map.of());
            RoomClient h = host.enter(roomId);

            // Timed from before the signal: the drain's clock starts when the process receives it, after this.
            long sent = System.nanoTime();
            first.process.destroy(); // SIGTERM
            assertEquals(SalottoServer.DRAIN_MESSAGE, h.awaitType("serverDraining").get("message").asText());
            assertEquals(SalottoServer.DRAIN_MESSAGE, h.awaitType("roomEnded").get("message").asText());
            assertEquals(1012, h.closeCode(Duration.ofSeconds(5)));
            Duration limit = DRAIN_TIMEOUT.plusSeconds(10);
            assertTrue(first.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS), "still running " + limit + " after SIGTERM");
            assertEquals(0, first.process.exitValue(), first.output());
            assertTrue(System.nanoTime() - sent >= DRAIN_TIMEOUT.toNanos(),
                    "the host stayed, so the drain should have waited its timeout");
        } finally {
            first.kill();
        }

        Child second = Child.start(config);
        try {
            Person again = new Person(second.url, "someone with the link");
            Person.Reply r = again.get("/api/rooms/" + roomId);
            assertEquals(200, r.status(), r.toString());
            assertEquals("ended", r.body().get("state").asText());
            second.process.destroy();
            assertTrue(second.process.waitFor(DRAIN_TIMEOUT.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(0, second.process.exitValue(), second.output());
        } finally {
            second.kill();
        }
    }

    /** A {@code salotto serve} JVM, its output read as it comes (kept for failure messages). */
    private record Child(Process process, String url, StringBuffer log) {
        static Child start(Path config) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString()))
                    .redirectErrorStream(true).start();
            StringBuffer log = new StringBuffer();
            CompletableFuture<String> url = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        log.append(line).append('\n');
                        Matcher m = URL.matcher(line);
                        if (m.find()) url.complete(m.group(1));
                    }
                } catch (Exception e) {
                    // the process ended
                }
                url.completeExceptionally(new AssertionError("the server printed no URL:\n" + log));
            });
            try {
                return new Child(p, url.get(60, TimeUnit.SECONDS), log);
            } catch (Exception e) {
                p.destroyForcibly();
                throw new AssertionError("the server did not start:\n" + log, e);
            }
        }

        String output() {
            return log.toString();
        }

        void kill() {
            if (process.isAlive()) process.destroyForcibly();
        }
    }
}
