package org.salotto.rooms.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * How a message reaches a receiver: a POST, its status and the start of the answer's body. The JDK's HTTP client on
 * virtual threads ({@link #http}); a test may put its own in place.
 */
public interface WebhookTransport {

    /** How much of a receiver's answer is kept in the delivery log. */
    int EXCERPT = 256;

    Answer post(URI url, Map<String, String> headers, byte[] body) throws IOException, InterruptedException;

    /** {@code retryAfter}: the answer's {@code Retry-After} in seconds (delta-seconds only), or null. */
    record Answer(int status, String excerpt, java.time.Duration retryAfter) {
        public Answer(int status, String excerpt) {
            this(status, excerpt, null);
        }
    }

    /** java.net.http.HttpClient: no redirects followed (a 3xx is a failure), the configured timeouts. */
    static WebhookTransport http(Duration connectTimeout, Duration requestTimeout) {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        return (url, headers, body) -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(requestTimeout)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::header);
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            // Only the start of the answer is read; the rest is dropped with the connection.
            try (InputStream in = r.body()) {
                byte[] start = in.readNBytes(EXCERPT);
                Duration retryAfter = r.headers().firstValue("retry-after").filter(v -> v.strip().matches("\\d{1,9}"))
                        .map(v -> Duration.ofSeconds(Long.parseLong(v.strip()))).orElse(null);
                return new Answer(r.statusCode(), new String(start, StandardCharsets.UTF_8), retryAfter);
            }
        };
    }
}
