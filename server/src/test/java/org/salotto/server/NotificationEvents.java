package org.salotto.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A browser tab's notification stream in a test: the server-sent events of GET /api/me/notifications/stream, parsed
 * as they come (id, event, data) on a thread of their own.
 */
final class NotificationEvents implements AutoCloseable {
    /** One event: its id (null for unread), name and JSON data. */
    record Event(String id, String event, JsonNode data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final List<Event> seen = new ArrayList<>();
    final HttpResponse<Stream<String>> response;
    private volatile int comments;
    /** A permit per comment line: what a wait for keepalives waits on. */
    private final java.util.concurrent.Semaphore commentLines = new java.util.concurrent.Semaphore(0);

    private NotificationEvents(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread.ofVirtual().start(this::read);
    }

    static NotificationEvents open(HttpClient http, String baseUrl, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + ApiHandler.NOTIFICATION_STREAM.substring(0)))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        HttpResponse<Stream<String>> r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
        return new NotificationEvents(r);
    }

    int status() {
        return response.statusCode();
    }

    /** Comment lines seen (the first line and the keepalives). */
    int comments() {
        return comments;
    }

    private void read() {
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (event != null) {
                        events.add(new Event(id, event, Person.JSON.readTree(data.toString())));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments++;
                    commentLines.release();
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (Exception e) {
            // The stream closed.
        }
    }

    /** The next event matching, waiting up to {@code timeout}; fails the test otherwise. */
    Event await(Duration timeout, Predicate<Event> match) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) throw new AssertionError("no such notification event within " + timeout + "; seen: " + seen);
            seen.add(e);
            if (match.test(e)) return e;
        }
    }

    /** The next notification of this type. */
    Event awaitNotification(String type) throws InterruptedException {
        return await(Duration.ofSeconds(30), e -> e.event().equals("notification") && e.data().get("type").asText().equals(type));
    }

    /** The next unread count. */
    int awaitUnread() throws InterruptedException {
        return await(Duration.ofSeconds(30), e -> e.event().equals("unread")).data().get("unread").asInt();
    }

    /** Whether {@code n} more comment lines (from the start: the first line included) come within {@code timeout}. */
    boolean awaitComments(int n, Duration timeout) throws InterruptedException {
        return commentLines.tryAcquire(n, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The account's inbox (GET /api/me/notifications) once {@code done} holds; between looks, waits for a notification
     * on a stream of the account's, opened (its first unread count read) before the first look: a notification written
     * after a look comes on it, one written before is in the look. Fails after {@code timeout}, saying {@code what}.
     */
    static JsonNode awaitInbox(Person p, Predicate<JsonNode> done, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (NotificationEvents s = p.notifications(null)) {
            s.awaitUnread();
            while (true) {
                Person.Reply r = p.get("/api/me/notifications");
                if (r.status() != 200) throw new AssertionError("the inbox of " + p.name + " answered " + r);
                if (done.test(r.body())) return r.body();
                long left = deadline - System.nanoTime();
                Event e = null;
                while (left > 0 && (e = s.events.poll(left, TimeUnit.NANOSECONDS)) != null && !e.event().equals("notification")) {
                    left = deadline - System.nanoTime();
                }
                if (e == null || !e.event().equals("notification")) {
                    throw new AssertionError(what + " within " + timeout + "; the inbox: " + p.get("/api/me/notifications"));
                }
            }
        }
    }

    /** The newest notification of {@code type} in the account's inbox, once there is one (see {@link #awaitInbox}). */
    static JsonNode awaitInboxOf(Person p, String type, Duration timeout) throws Exception {
        Predicate<JsonNode> has = page -> {
            for (JsonNode n : page.get("notifications")) if (n.get("type").asText().equals(type)) return true;
            return false;
        };
        for (JsonNode n : awaitInbox(p, has, timeout, p.name + " got no " + type).get("notifications")) {
            if (n.get("type").asText().equals(type)) return n;
        }
        throw new AssertionError("unreachable");
    }

    /** Events received and not yet awaited. */
    List<Event> drain() {
        List<Event> out = new ArrayList<>();
        events.drainTo(out);
        seen.addAll(out);
        return out;
    }

    @Override
    public void close() {
        response.body().close();
    }
}
