package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.server.Person.Reply;
import org.salotto.server.WebhookReceiver.Hit;

/**
 * A webhook is not lost when the server is killed ({@code kill -9}) between the room event and its delivery:
 * {@code salotto serve} in a child JVM stores the events (each room's creation, answered 201 once committed) and
 * starts sending them to a receiver the test runs, which holds every request unanswered; the server is killed with
 * those requests in flight, started again on the same database, and the receiver, answering now, gets every event,
 * signed, from each room's first.
 */
class WebhookCrashProcessTest {
    private static final int ROOMS = 5;

    @TempDir
    Path dir;

    @Test
    void eventsStoredBeforeAKill9AreDeliveredAfterTheRestart() throws Exception {
        Path config = dir.resolve("salotto.conf");
        Files.writeString(config, "http.port = 0\nmedia.port = 0\ndata-dir = \"%s\"\n".formatted(
                dir.resolve("data").toString().replace("\\", "\\\\"))
                + "limits { guest-tokens-per-address = 0, join-tokens-per-address = 0, login-per-address = 0,"
                + " rooms-per-account = 0, connections-per-address = 0 }\n"
                + "webhooks { allow-private-networks = true, retry-initial = 50ms, retry-max-interval = 200ms,"
                + " poll-interval = 200ms }\n");
        CountDownLatch killed = new CountDownLatch(1);
        List<String> rooms = new ArrayList<>();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            // Until the kill, every request waits and is never answered: nothing is delivered.
            receiver.answer = hit -> {
                try {
                    killed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 503;
            };
            ServerProcess first = ServerProcess.start(config);
            try {
                Person host = Person.account(first.url(), ServerFixture.uniqueName("crashhooks"));
                Reply endpoint = host.post("/api/me/webhooks", Map.of("url", receiver.url()));
                assertEquals(201, endpoint.status(), endpoint.toString());
                receiver.secret = endpoint.body().get("secret").asText();
                for (int i = 0; i < ROOMS; i++) rooms.add(host.createRoom("call", Map.of())); // 201: committed
                // Every room's first event is on its way: the requests have come in, and wait.
                awaitRequests(receiver, rooms);
                first.kill(); // SIGKILL with the deliveries in flight
            } finally {
                first.kill();
                receiver.answer = hit -> 200;
                killed.countDown();
            }
            assertTrue(receiver.delivered().isEmpty(), "nothing was delivered before the kill");

            ServerProcess second = ServerProcess.start(config);
            try {
                List<Hit> delivered = receiver.await(d -> {
                    Set<String> ids = new HashSet<>();
                    d.forEach(h -> ids.add(h.id()));
                    return rooms.stream().allMatch(r -> ids.contains("evt_" + r + "_1"));
                }, Duration.ofSeconds(60), "every room's creation after the restart");
                for (Hit h : delivered) {
                    assertTrue(h.verified(), "signed: " + h.id());
                    assertEquals("room.created", h.type());
                }
            } finally {
                second.kill();
            }
        }
    }

    /** Waits until a request for each room's first event has come in (the receiver holds them). */
    private static void awaitRequests(WebhookReceiver receiver, List<String> rooms) throws InterruptedException {
        synchronized (receiver) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                Set<String> pending = receiver.pending();
                if (rooms.stream().allMatch(r -> pending.contains("evt_" + r + "_1"))) return;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("the first events were not sent: " + pending);
                receiver.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
