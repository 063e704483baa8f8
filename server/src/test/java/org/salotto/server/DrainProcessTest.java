package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: {@code salotto serve} ({@link Main}) in a child JVM with a configuration file, a person in a room,
 * SIGTERM ({@link Process#destroy()} on Linux), and then what the person sees, the exit status, and the room's state
 * after the server starts again on the same data folder.
 */
class DrainProcessTest {
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
        ServerProcess first = ServerProcess.start(config);
        try {
            host = Person.account(first.url(), ServerFixture.uniqueName("sigterm"));
            roomId = host.createRoom("space", Map.of());
            RoomClient h = host.enter(roomId);

            // Timed from before the signal: the drain's clock starts when the process receives it, after this.
            long sent = System.nanoTime();
            first.process().destroy(); // SIGTERM
            assertEquals(SalottoServer.DRAIN_MESSAGE, h.awaitType("serverDraining").get("message").asText());
            assertEquals(SalottoServer.DRAIN_MESSAGE, h.awaitType("roomEnded").get("message").asText());
            assertEquals(1012, h.closeCode(Duration.ofSeconds(5)));
            Duration limit = DRAIN_TIMEOUT.plusSeconds(10);
            assertTrue(first.process().waitFor(limit.toMillis(), TimeUnit.MILLISECONDS), "still running " + limit + " after SIGTERM");
            assertEquals(0, first.process().exitValue(), first.output());
            assertTrue(System.nanoTime() - sent >= DRAIN_TIMEOUT.toNanos(),
                    "the host stayed, so the drain should have waited its timeout");
        } finally {
            first.kill();
        }

        ServerProcess second = ServerProcess.start(config);
        try {
            Person again = new Person(second.url(), "someone with the link");
            Person.Reply r = again.get("/api/rooms/" + roomId);
            assertEquals(200, r.status(), r.toString());
            assertEquals("ended", r.body().get("state").asText());
            second.process().destroy();
            assertTrue(second.process().waitFor(DRAIN_TIMEOUT.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(0, second.process().exitValue(), second.output());
        } finally {
            second.kill();
        }
    }
}
