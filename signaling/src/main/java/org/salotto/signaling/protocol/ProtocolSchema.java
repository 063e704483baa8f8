package org.salotto.signaling.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.salotto.signaling.Messages;

/**
 * The room WebSocket's machine-readable contract, made from the records: an AsyncAPI 3.0 document whose schemas are
 * the JSON Schemas of {@link ServerFrame}, {@link ClientFrame}, {@link RoomEventFrame} and the values in them, and,
 * from that document, the TypeScript declarations the web app imports. Both are committed
 * ({@value #ASYNCAPI_PATH}, {@value #TYPESCRIPT_PATH}); a server test fails when they differ from what the records
 * give. {@link #main} rewrites them.
 */
public final class ProtocolSchema {
    public static final String ASYNCAPI_PATH = "server/src/main/resources/asyncapi.json";
    public static final String TYPESCRIPT_PATH = "protocol/salotto-protocol.d.ts";

    /** An error frame carries only the codes the WebSocket can answer. */
    private final JsonSchemas schemas = new JsonSchemas(ClientFrame.class::isAssignableFrom, true, ErrorCode.ofWebSocket(), null);

    private ProtocolSchema() {
    }

    /** Writes both documents under the repository root given as the first argument (default: the current directory). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Files.writeString(root.resolve(ASYNCAPI_PATH), asyncApiText(), StandardCharsets.UTF_8);
        Files.writeString(root.resolve(TYPESCRIPT_PATH), typeScript(), StandardCharsets.UTF_8);
    }

    /** The AsyncAPI document as committed: two-space indents, a newline at the end. */
    public static String asyncApiText() {
        return documentText(asyncApi());
    }

    /** A document as the committed ones are written: two-space indents, a newline at the end. */
    public static String documentText(JsonNode document) {
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentArraysWith(indent);
        printer.indentObjectsWith(indent);
        try {
            return Messages.JSON.writer(printer).writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode asyncApi() {
        return new ProtocolSchema().document();
    }

    private ObjectNode document() {
        ObjectNode doc = Messages.JSON.createObjectNode();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Salotto room protocol");
        info.put("version", "1");
        info.put("description", "The WebSocket of one person in one room (docs/protocol.md). Every frame is one JSON "
                + "object with a `type`. A client request may carry an `id` (string or integer); the reply and any error "
                + "about it carry it as `ref`. Generated from the records of org.salotto.signaling.protocol: do not edit.");
        doc.put("defaultContentType", "application/json");

        ObjectNode channel = doc.putObject("channels").putObject("room");
        channel.put("address", "/ws/rooms/{roomId}");
        channel.put("description", "One socket per person in a room; the first frame is join or resume.");
        channel.putObject("parameters").putObject("roomId")
                .put("description", "The room's id, the last part of its link /r/{roomId}.");
        ObjectNode channelMessages = channel.putObject("messages");
        ObjectNode messages = Messages.JSON.createObjectNode();
        List<String> fromClient = new ArrayList<>();
        List<String> fromServer = new ArrayList<>();

        schemas.ref(ClientFrame.class);
        schemas.ref(ServerFrame.class);
        schemas.ref(RoomEventFrame.class);
        for (Class<?> c : Shape.records(ClientFrame.class)) {
            ((ObjectNode) schemas.schema(c).get("properties")).putObject("id")
                    .put("description", "echoed as ref in the reply and in any error about this request")
                    .putArray("type").add("string").add("integer");
        }
        for (Class<?> c : Shape.records(ClientFrame.class)) fromClient.add(message(messages, c, Shape.of(c).type()));
        for (Class<?> c : Shape.records(ServerFrame.class)) {
            if (c == ServerFrame.Snapshot.class) {
                for (ServerFrame.SnapshotType t : ServerFrame.SnapshotType.values()) fromServer.add(message(messages, c, Wire.name(t)));
            } else {
                fromServer.add(message(messages, c, Shape.of(c).type()));
            }
        }
        for (Map.Entry<String, JsonNode> m : messages.properties()) {
            channelMessages.putObject(m.getKey()).put("$ref", "#/components/messages/" + m.getKey());
        }

        ObjectNode operations = doc.putObject("operations");
        operation(operations, "receiveClientFrames", "receive", "What a client sends.", fromClient);
        operation(operations, "sendServerFrames", "send", "What the server sends.", fromServer);

        ObjectNode components = doc.putObject("components");
        components.set("messages", messages);
        ObjectNode out = components.putObject("schemas");
        schemas.schemas().forEach(out::set);
        return doc;
    }

    private String message(ObjectNode messages, Class<?> c, String name) {
        ObjectNode m = messages.putObject(name);
        m.put("name", name);
        Wire.Doc doc = c.getAnnotation(Wire.Doc.class);
        if (doc != null) m.put("summary", doc.value());
        m.putObject("payload").put("$ref", schemas.ref(c));
        return name;
    }

    private static void operation(ObjectNode operations, String id, String action, String description, List<String> names) {
        ObjectNode op = operations.putObject(id);
        op.put("action", action);
        op.put("description", description);
        op.putObject("channel").put("$ref", "#/channels/room");
        ArrayNode list = op.putArray("messages");
        for (String n : names) list.addObject().put("$ref", "#/channels/room/messages/" + n);
    }

    // ---- TypeScript, from the document's schemas ----

    /** TypeScript declarations of every frame and value: discriminated unions on {@code type}. */
    public static String typeScript() {
        return TypeScriptDeclarations.of(asyncApi(), "The room WebSocket's frames (docs/protocol.md), generated from "
                + ASYNCAPI_PATH + "\nby org.salotto.signaling.protocol.ProtocolSchema: do not edit. server's ProtocolDocumentsTest"
                + " says how to regenerate.");
    }

    static String tsName(JsonNode ref) {
        String r = ref.asText();
        return r.substring(r.lastIndexOf('/') + 1);
    }
}
