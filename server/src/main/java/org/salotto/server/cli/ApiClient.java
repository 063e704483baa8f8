package org.salotto.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The server's HTTP API with an API key as the bearer (docs/api.md); a refusal becomes a message saying what to do. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String server;
    private final CliContext.ApiKey key;

    ApiClient(String server, CliContext.ApiKey key) {
        this.server = server;
        this.key = key;
    }

    String server() {
        return server;
    }

    /** Sends a request and returns the answer's JSON (null for 204); a 4xx or 5xx answer throws. */
    JsonNode send(String method, String path, Object body) throws CliException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key.secret()).header("Accept", "application/json");
        try {
            if (body != null) {
                b.header("Content-Type", "application/json");
                b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isBlank() ? null : parse(r.body());
            if (r.statusCode() >= 400) throw refusal(method, path, r.statusCode(), json);
            return json;
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw CliException.failed("no Salotto server answers at " + server + ": start one (./salotto serve), or say "
                    + "where it is with --server URL or SALOTTO_SERVER");
        } catch (HttpTimeoutException e) {
            throw CliException.failed(server + " did not answer " + method + " " + path + " within 30 s; try again");
        } catch (IOException e) {
            throw CliException.failed("could not reach " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted");
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private CliException refusal(String method, String path, int status, JsonNode json) {
        String code = json == null ? null : json.path("error").path("code").asText(null);
        String message = json == null ? null : json.path("error").path("message").asText(null);
        String said = status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
        String hint = switch (code == null ? "" : code) {
            case "unauthenticated", "invalid_token" -> " (the API key " + key.id() + " was not accepted: check "
                    + "SALOTTO_API_KEY, and that the key was not deleted)";
            case "no_such_endpoint" -> " (is " + server + " a Salotto server of this version?)";
            case "not_found" -> " (check the id: salotto rooms list shows your rooms)";
            default -> "";
        };
        return CliException.failed(server + " refused " + method + " " + path + ": " + said + hint);
    }
}
