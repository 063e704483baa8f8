package org.salotto.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.salotto.signaling.Messages;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.HttpError;
import org.salotto.signaling.protocol.JsonSchemas;
import org.salotto.signaling.protocol.ProtocolSchema;
import org.salotto.signaling.protocol.TypeScriptDeclarations;

/**
 * The HTTP API's bodies as documents, made from the records: the {@code components/schemas} of openapi.json (the
 * rest of that file, its paths and their words, is written by hand) and the TypeScript declarations the web app
 * imports. Both are committed ({@value #OPENAPI_PATH}, {@value #TYPESCRIPT_PATH}); the server's ProtocolDocumentsTest
 * fails when they differ from what the records give, and rewrites them with {@code -Dsalotto.regenerate=true}.
 */
public final class ApiSchema {
    public static final String OPENAPI_PATH = "server/src/main/resources/openapi.json";
    public static final String TYPESCRIPT_PATH = "protocol/salotto-api.d.ts";

    private ApiSchema() {
    }

    /** Every body record, in the order their schemas are written: the error first, then requests, then answers. */
    public static List<Class<?>> bodies() {
        List<Class<?>> out = new ArrayList<>();
        out.add(HttpError.class);
        for (Class<?> c : ApiRequest.class.getPermittedSubclasses()) out.add(c);
        for (Class<?> c : ApiAnswer.class.getPermittedSubclasses()) out.add(c);
        return out;
    }

    /** The JSON Schemas of every body and of the values in them. */
    public static ObjectNode schemas() {
        JsonSchemas s = new JsonSchemas(ApiRequest.class::isAssignableFrom, false, ErrorCode.ofHttp(), errorCodes());
        for (Class<?> c : bodies()) s.ref(c);
        ObjectNode out = Messages.JSON.createObjectNode();
        s.schemas().forEach(out::set);
        return out;
    }

    /** openapi.json as it must be: {@code document} (the committed one) with its schemas replaced by the records'. */
    public static String openApiText(JsonNode document) {
        ObjectNode doc = document.deepCopy();
        ObjectNode components = (ObjectNode) doc.get("components");
        if (components == null) components = doc.putObject("components");
        components.set("schemas", schemas());
        return ProtocolSchema.documentText(doc);
    }

    /** TypeScript declarations of every body (a web app's import: protocol/salotto-api). */
    public static String typeScript() {
        ObjectNode doc = Messages.JSON.createObjectNode();
        doc.putObject("components").set("schemas", schemas());
        return TypeScriptDeclarations.of(doc, "The HTTP API's bodies (docs/api.md), the schemas of " + OPENAPI_PATH
                + ",\ngenerated from org.salotto.server.api's records by ApiSchema: do not edit. server's ProtocolDocumentsTest"
                + " says how to regenerate.");
    }

    /** "bad_request 400, unauthenticated 401, ...": the catalogue's HTTP codes with their statuses. */
    private static String errorCodes() {
        StringBuilder b = new StringBuilder("Stable codes of the one catalogue (org.salotto.signaling.protocol.ErrorCode; "
                + "the WebSocket's are in /api/asyncapi.json), each with its HTTP status: ");
        List<ErrorCode> codes = ErrorCode.ofHttp();
        for (int i = 0; i < codes.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(codes.get(i).wireName()).append(' ').append(codes.get(i).httpStatus());
        }
        return b.append('.').toString();
    }
}
