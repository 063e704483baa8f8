package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.salotto.server.api.ApiSchema;
import org.salotto.signaling.Messages;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.ProtocolSchema;

/**
 * The protocol's documents are the records': the committed asyncapi.json (served at /api/asyncapi.json) and the web
 * app's TypeScript declarations are exactly what {@link ProtocolSchema} makes of them; openapi.json's schemas and the
 * web app's API declarations exactly what {@link ApiSchema} makes of the HTTP bodies' records; and every error code of
 * the catalogue is documented where it can occur (openapi.json, asyncapi.json, docs/protocol.md).
 */
class ProtocolDocumentsTest {
    /** Surefire runs in the module's folder. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String REGENERATE = "-Dsalotto.regenerate=true";
    private static final String HOW = "the protocol or API body records changed: regenerate with\n  mvn -B -q -o -pl media,signaling,rooms,server -am test"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ProtocolDocumentsTest " + REGENERATE
            + "\nand commit the result (the web app's type check then shows what a renamed field breaks)";

    @Test
    void theCommittedAsyncApiDocumentIsWhatTheRecordsGive() throws IOException {
        assertCommitted(ProtocolSchema.ASYNCAPI_PATH, ProtocolSchema.asyncApiText());
    }

    @Test
    void theCommittedTypeScriptDeclarationsAreWhatTheRecordsGive() throws IOException {
        assertCommitted(ProtocolSchema.TYPESCRIPT_PATH, ProtocolSchema.typeScript());
    }

    @Test
    void theCommittedOpenApiSchemasAreWhatTheRecordsGive() throws IOException {
        JsonNode committed = Messages.JSON.readTree(ROOT.resolve(ApiSchema.OPENAPI_PATH).toFile());
        assertCommitted(ApiSchema.OPENAPI_PATH, ApiSchema.openApiText(committed));
    }

    @Test
    void theCommittedApiTypeScriptDeclarationsAreWhatTheRecordsGive() throws IOException {
        assertCommitted(ApiSchema.TYPESCRIPT_PATH, ApiSchema.typeScript());
    }

    /**
     * The hand-written half of openapi.json (paths) and the generated half (schemas) fit: every {@code $ref} names a
     * schema, every body record is named by some operation, and every request body an operation takes is a request
     * record (so that its schema says what the server checks).
     */
    @Test
    void theOpenApiPathsReferToTheBodyRecords() throws IOException {
        JsonNode doc = Messages.JSON.readTree(ROOT.resolve(ApiSchema.OPENAPI_PATH).toFile());
        Set<String> refs = new TreeSet<>();
        collectRefs(doc, refs);
        for (String ref : refs) assertTrue(!doc.at(ref.substring(1)).isMissingNode(), ref + " names nothing");
        // What the operations use, and what that uses in turn.
        Set<String> usedByPaths = new TreeSet<>();
        collectRefs(doc.get("paths"), usedByPaths);
        collectRefs(doc.at("/components/responses"), usedByPaths);
        for (int size = 0; size != usedByPaths.size(); ) {
            size = usedByPaths.size();
            for (String ref : List.copyOf(usedByPaths)) collectRefs(doc.at(ref.substring(1)), usedByPaths);
        }
        Set<String> requests = new TreeSet<>();
        for (JsonNode path : doc.get("paths")) {
            for (JsonNode op : path) {
                String ref = op.at("/requestBody/content/application~1json/schema/$ref").asText();
                if (!ref.isEmpty()) requests.add(ref);
            }
        }
        Set<String> requestRecords = new TreeSet<>();
        for (Class<?> c : ApiSchema.bodies()) {
            org.salotto.signaling.protocol.Wire.SchemaName name = c.getAnnotation(org.salotto.signaling.protocol.Wire.SchemaName.class);
            String ref = "#/components/schemas/" + (name == null ? c.getSimpleName() : name.value());
            assertTrue(usedByPaths.contains(ref), c.getName() + " is in no operation's body in openapi.json");
            if (org.salotto.server.api.ApiRequest.class.isAssignableFrom(c)) requestRecords.add(ref);
        }
        assertTrue(requestRecords.containsAll(requests), "request bodies that are not request records: " + requests);
    }

    private static void collectRefs(JsonNode n, Set<String> out) {
        if (n.has("$ref")) out.add(n.get("$ref").asText());
        for (JsonNode child : n) collectRefs(child, out);
    }

    private static void assertCommitted(String path, String generated) throws IOException {
        Path file = ROOT.resolve(path);
        if (Boolean.getBoolean("salotto.regenerate")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
            return;
        }
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertEquals(generated, committed, path + " differs from what the records give; " + HOW);
    }

    @Test
    void theAsyncApiDocumentDescribesEveryFrameBothWays() {
        JsonNode doc = ProtocolSchema.asyncApi();
        assertEquals("3.0.0", doc.path("asyncapi").asText());
        assertEquals("/ws/rooms/{roomId}", doc.at("/channels/room/address").asText());
        Set<String> fromClient = messages(doc.at("/operations/receiveClientFrames/messages"));
        Set<String> fromServer = messages(doc.at("/operations/sendServerFrames/messages"));
        assertEquals(new TreeSet<>(List.of("join", "resume", "publish", "subscribeAnswer", "leave", "raiseHand", "lowerHand",
                "acceptInvitation", "declineInvitation", "leaveStage", "react", "comment", "ping")), fromClient);
        assertEquals(new TreeSet<>(List.of("joined", "resumed", "waiting", "admitted", "denied", "removed", "roomEnded",
                "serverDraining", "invited", "lobby", "roomEvents", "trackPublished", "trackUnpublished", "publishAnswer",
                "subscribeOffer", "transportClosed", "pong", "error")), fromServer);
        // Each message's payload names its type: a const, or (joined/resumed) an enum holding it.
        for (java.util.Iterator<String> names = doc.at("/components/messages").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String ref = doc.at("/components/messages/" + name + "/payload/$ref").asText();
            JsonNode type = doc.at(ref.substring(1) + "/properties/type");
            if (type.has("$ref")) type = doc.at(type.get("$ref").asText().substring(1));
            boolean named = type.path("const").asText().equals(name);
            for (JsonNode v : type.path("enum")) named |= v.asText().equals(name);
            assertTrue(named, name + "'s payload does not say its type: " + type);
        }
    }

    private static Set<String> messages(JsonNode refs) {
        Set<String> out = new TreeSet<>();
        for (JsonNode r : refs) out.add(r.get("$ref").asText().replace("#/channels/room/messages/", ""));
        return out;
    }

    /** Every code of the catalogue is documented where it can occur, and nowhere else. */
    @Test
    void everyErrorCodeIsDocumentedWhereItCanOccur() throws IOException {
        JsonNode openApi = Messages.JSON.readTree(ROOT.resolve("server/src/main/resources/openapi.json").toFile());
        assertEquals(names(ErrorCode.ofHttp()), strings(openApi.at("/components/schemas/ErrorCode/enum")),
                "openapi.json's ErrorCode");
        assertEquals(names(ErrorCode.ofWebSocket()), strings(ProtocolSchema.asyncApi().at("/components/schemas/ErrorCode/enum")),
                "asyncapi.json's ErrorCode");
        Set<ErrorCode> somewhere = EnumSet.noneOf(ErrorCode.class);
        somewhere.addAll(ErrorCode.ofHttp());
        somewhere.addAll(ErrorCode.ofWebSocket());
        assertEquals(EnumSet.allOf(ErrorCode.class), somewhere);

        // docs/protocol.md's table of errors: the codes in its first column are the WebSocket's.
        String doc = Files.readString(ROOT.resolve("docs/protocol.md"), StandardCharsets.UTF_8);
        String table = doc.substring(doc.indexOf("## Errors"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| (.*?) \\|").matcher(table);
        while (m.find()) {
            Matcher code = Pattern.compile("`([a-z_]+)`").matcher(m.group(1));
            while (code.find()) documented.add(code.group(1));
        }
        assertEquals(names(ErrorCode.ofWebSocket()), documented, "the codes of docs/protocol.md's Errors table");
    }

    @Test
    void theServerServesTheCommittedAsyncApiDocument() throws Exception {
        try (ServerFixture fixture = ServerFixture.embedded()) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(fixture.url() + "/api/asyncapi.json")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals(Files.readString(ROOT.resolve(ProtocolSchema.ASYNCAPI_PATH)), r.body());
        }
    }

    private static Set<String> names(List<ErrorCode> codes) {
        Set<String> out = new TreeSet<>();
        for (ErrorCode c : codes) out.add(c.wireName());
        return out;
    }

    private static Set<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(v -> list.add(v.asText()));
        Set<String> out = new TreeSet<>(list);
        assertEquals(list.size(), out.size(), "a code listed twice: " + list);
        return out;
    }
}
