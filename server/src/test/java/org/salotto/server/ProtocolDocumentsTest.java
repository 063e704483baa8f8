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
 * the catalogue is documented where it can occur (openapi.json, asyncapi.json, docs/protocol.md); docs/protocol.md
 * lists every field's type as asyncapi.json does.
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
                "acceptInvitation", "declineInvitation", "leaveStage", "react", "comment", "ping", "videoSize", "mute")), fromClient);
        assertEquals(new TreeSet<>(List.of("joined", "resumed", "waiting", "admitted", "denied", "removed", "roomEnded",
                "serverDraining", "invited", "lobby", "roomEvents", "trackPublished", "trackUnpublished", "trackMuted", "trackPaused", "publisherLayers", "publishAnswer",
                "subscribeOffer", "transportClosed", "activeSpeakers", "stageSlots", "pong", "error")), fromServer);
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

    private static final String TYPES_BEGIN = "<!-- field types: generated from asyncapi.json by ProtocolDocumentsTest -->\n";
    private static final String TYPES_END = "<!-- end of field types -->";

    /** docs/protocol.md's "Every field and its JSON type" is what asyncapi.json says, so it cannot drift from the records. */
    @Test
    void theProtocolPagesFieldTypesAreTheAsyncApiDocuments() throws IOException {
        Path file = ROOT.resolve("docs/protocol.md");
        String doc = Files.readString(file, StandardCharsets.UTF_8);
        int begin = doc.indexOf(TYPES_BEGIN);
        int end = doc.indexOf(TYPES_END);
        assertTrue(begin >= 0 && end > begin, "docs/protocol.md has the markers of the field types");
        String committed = doc.substring(begin + TYPES_BEGIN.length(), end);
        String generated = fieldTypes(ProtocolSchema.asyncApi());
        if (Boolean.getBoolean("salotto.regenerate")) {
            Files.writeString(file, doc.substring(0, begin + TYPES_BEGIN.length()) + generated + doc.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(generated, committed, "docs/protocol.md's field types differ from asyncapi.json; " + HOW);
    }

    /** One table per direction (and for room events and the values inside frames): each frame's fields and types. */
    static String fieldTypes(JsonNode doc) {
        JsonNode schemas = doc.at("/components/schemas");
        StringBuilder b = new StringBuilder();
        String[][] unions = {{"ClientFrame", "Client to server"}, {"ServerFrame", "Server to client"},
                {"RoomEventFrame", "Room events (inside `roomEvents`)"}};
        for (String[] u : unions) {
            b.append("| ").append(u[1]).append(" | fields and their JSON types |\n|---|---|\n");
            for (JsonNode ref : schemas.path(u[0]).path("oneOf")) {
                String name = refName(ref);
                JsonNode type = schemas.path(name).path("properties").path("type");
                String shown = type.has("const") ? type.get("const").asText()
                        : type.has("$ref") ? String.join(" / ", ordered(schemas.path(refName(type)).path("enum"))) : name;
                b.append("| `").append(shown).append("` | ").append(fields(schemas, name)).append(" |\n");
            }
            b.append("\n");
        }
        b.append("| value | fields and their JSON types |\n|---|---|\n");
        for (String name : List.of("Room", "Member", "Track", "LobbyEntry", "Comment", "Speaker")) {
            b.append("| ").append(name).append(" | ").append(fields(schemas, name)).append(" |\n");
        }
        return b.toString();
    }

    private static String refName(JsonNode n) {
        String ref = n.get("$ref").asText();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static String fields(JsonNode schemas, String name) {
        JsonNode s = schemas.path(name);
        Set<String> required = new TreeSet<>(ordered(s.path("required")));
        List<String> out = new ArrayList<>();
        for (var it = s.path("properties").fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getKey().equals("type")) continue;
            out.add("`" + f.getKey() + "` " + type(schemas, f.getValue()) + (required.contains(f.getKey()) ? "" : " (optional)"));
        }
        return out.isEmpty() ? "none" : String.join("; ", out);
    }

    private static String type(JsonNode schemas, JsonNode s) {
        if (s.has("$ref")) {
            String name = refName(s);
            JsonNode target = schemas.path(name);
            if (name.equals("ErrorCode")) return "string: a code of \"Errors\" below";
            if (target.has("enum")) {
                List<String> values = new ArrayList<>();
                for (String v : ordered(target.path("enum"))) values.add("`" + v + "`");
                return "string: " + String.join(" \\| ", values);
            }
            return name;
        }
        for (String key : List.of("oneOf", "anyOf")) {
            if (s.has(key)) {
                List<String> parts = new ArrayList<>();
                for (JsonNode x : s.get(key)) parts.add(type(schemas, x));
                return String.join(" or ", parts);
            }
        }
        boolean instant = s.path("format").asText().equals("date-time");
        JsonNode t = s.path("type");
        if (t.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode x : t) parts.add(x.asText().equals("string") && instant ? "string (RFC 3339 instant)" : x.asText());
            return String.join(" or ", parts);
        }
        String type = t.asText("?");
        if (type.equals("array")) return "array of " + type(schemas, s.get("items"));
        if (type.equals("object") && s.has("additionalProperties") && s.get("additionalProperties").isObject()) {
            return "object of " + s.path("propertyNames").path("description").asText("key") + " to "
                    + type(schemas, s.get("additionalProperties"));
        }
        if (s.has("const")) return "`\"" + s.get("const").asText() + "\"`";
        if (type.equals("string") && instant) return "string (RFC 3339 instant)";
        if (type.equals("string") && s.has("maxLength")) return "string (at most " + s.get("maxLength").asInt() + " characters)";
        if (type.equals("integer") && s.has("minimum") && s.has("maximum")) {
            return "integer (" + s.get("minimum").asLong() + " to " + s.get("maximum").asLong() + ")";
        }
        return type;
    }

    /** The values of a JSON array of strings, in its order. */
    private static List<String> ordered(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(v -> list.add(v.asText()));
        return list;
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
