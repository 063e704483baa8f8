package org.salotto.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/** The real Salotto server, started in this JVM on ephemeral loopback ports. */
final class TestServer implements AutoCloseable {

    private final SalottoServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(SalottoServer server) {
        this.server = server;
    }

    static TestServer start() throws IOException {
        return new TestServer(SalottoServer.start(ServerConfig.forTests()));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    int mediaPort() {
        return server.mediaPort();
    }

    /** The Prometheus text of {@code GET /metrics}, or empty if the server does not serve it (yet). */
    Optional<String> metrics() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
