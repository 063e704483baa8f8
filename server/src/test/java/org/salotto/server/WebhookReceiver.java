package org.salotto.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver the tests run (the JDK's HttpServer on loopback), as an application would: it checks each
 * request's signature with the Standard Webhooks algorithm, written here from the specification (not the server's
 * signer), and answers what {@link #answer} says (200 by default). Every request is kept, verified or not.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it came. */
    record Hit(String id, String timestamp, String signature, String body, boolean verified, int answered) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String type() {
            return json().get("type").asText();
        }

        JsonNode data() {
            return json().get("data");
        }
    }

    private final HttpServer server;
    private final List<Hit> hits = new ArrayList<>();
    /** The ids of requests come in and not answered yet. */
    private final java.util.Set<String> pending = new java.util.HashSet<>();
    /** The endpoint's secret (whsec_...): set once it is registered. */
    volatile String secret;
    /** The status to answer a request with (it is kept before it is answered). */
    volatile ToIntFunction<Hit> answer = h -> 200;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            String id = x.getRequestHeaders().getFirst("webhook-id");
            String ts = x.getRequestHeaders().getFirst("webhook-timestamp");
            String sig = x.getRequestHeaders().getFirst("webhook-signature");
            String text = new String(body, StandardCharsets.UTF_8);
            boolean ok = verify(secret, id, ts, sig, body);
            Hit arrived = new Hit(id, ts, sig, text, ok, 0);
            synchronized (this) {
                pending.add(id);
                notifyAll();
            }
            int status = answer.applyAsInt(arrived);
            synchronized (this) {
                pending.remove(id);
                hits.add(new Hit(id, ts, sig, text, ok, status));
                notifyAll();
            }
            x.sendResponseHeaders(status, -1);
        }
    }

    /**
     * Standard Webhooks, "Verifying signatures": the key is the base64 after "whsec_"; the signed content is
     * "{webhook-id}.{webhook-timestamp}.{body}"; the header is a space-separated list of "v1,{base64 HMAC-SHA256}", of
     * which one must match (compared in constant time); the timestamp must be within 5 minutes of now.
     */
    static boolean verify(String secret, String id, String timestamp, String signatureHeader, byte[] body) {
        if (secret == null || id == null || timestamp == null || signatureHeader == null) return false;
        if (!secret.startsWith("whsec_")) return false;
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - ts) > 300) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] content = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
            byte[] signed = new byte[content.length + body.length];
            System.arraycopy(content, 0, signed, 0, content.length);
            System.arraycopy(body, 0, signed, content.length, body.length);
            byte[] expected = Base64.getEncoder().encode(mac.doFinal(signed));
            for (String s : signatureHeader.split(" ")) {
                int comma = s.indexOf(',');
                if (comma < 0 || !s.substring(0, comma).equals("v1")) continue;
                if (MessageDigest.isEqual(expected, s.substring(comma + 1).getBytes(StandardCharsets.US_ASCII))) return true;
            }
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The ids of the requests that came in and are not answered yet. */
    synchronized java.util.Set<String> pending() {
        return java.util.Set.copyOf(pending);
    }

    synchronized List<Hit> hits() {
        return List.copyOf(hits);
    }

    /** The requests answered 2xx, first delivery of each webhook-id only, in the order they came. */
    synchronized List<Hit> delivered() {
        List<Hit> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Hit h : hits) if (h.answered() >= 200 && h.answered() < 300 && seen.add(h.id())) out.add(h);
        return out;
    }

    /** Waits until {@code done} holds of the delivered messages (each one is a request that came: no polling). */
    synchronized List<Hit> await(Predicate<List<Hit>> done, Duration timeout, String what) throws InterruptedException {
        return await(done, timeout, what, true);
    }

    /** As above; {@code orFail} false returns what was delivered when the time is up. */
    synchronized List<Hit> await(Predicate<List<Hit>> done, Duration timeout, String what, boolean orFail)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Hit> d = delivered();
            if (done.test(d)) return d;
            long left = deadline - System.nanoTime();
            if (left <= 0 && !orFail) return d;
            if (left <= 0) throw new AssertionError("waited " + timeout + " for " + what + "; delivered: " + types(d));
            wait(Math.max(1, left / 1_000_000));
        }
    }

    static List<String> types(List<Hit> hits) {
        return hits.stream().map(h -> h.type() + "#" + h.data().path("seq").asLong()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
