package org.salotto.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TypeScript declarations from the JSON Schemas of an AsyncAPI or OpenAPI document: an interface per object, a union of string
 * literals per enum, a union type per {@code oneOf}. Only the schema forms {@link JsonSchemas} writes are known;
 * any other is a bug here, not a silent {@code any}.
 */
public final class TypeScriptDeclarations {
    private TypeScriptDeclarations() {
    }

    /** The declarations of a document's {@code components/schemas} (AsyncAPI or OpenAPI), after a line comment. */
    public static String of(JsonNode document, String header) {
        StringBuilder b = new StringBuilder();
        for (String line : header.split("\n")) b.append("// ").append(line).append('\n');
        for (Map.Entry<String, JsonNode> e : document.at("/components/schemas").properties()) {
            String name = e.getKey();
            JsonNode s = e.getValue();
            b.append('\n');
            comment(b, "", s.path("description").asText(null));
            if (s.has("oneOf")) {
                b.append("export type ").append(name).append(" =");
                for (JsonNode r : s.get("oneOf")) b.append("\n  | ").append(ProtocolSchema.tsName(r.get("$ref")));
                b.append(";\n");
            } else if (s.has("enum")) {
                b.append("export type ").append(name).append(" = ").append(type(s)).append(";\n");
            } else {
                b.append("export interface ").append(name).append(" {\n");
                List<String> required = new ArrayList<>();
                for (JsonNode r : s.path("required")) required.add(r.asText());
                for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
                    comment(b, "  ", p.getValue().path("description").asText(null));
                    b.append("  ").append(p.getKey()).append(required.contains(p.getKey()) ? ": " : "?: ")
                            .append(type(p.getValue())).append(";\n");
                }
                b.append("}\n");
            }
        }
        return b.toString();
    }

    private static void comment(StringBuilder b, String indent, String text) {
        if (text != null) b.append(indent).append("/** ").append(text.replace("*/", "* /")).append(" */\n");
    }

    private static String type(JsonNode s) {
        if (s.has("$ref")) return ProtocolSchema.tsName(s.get("$ref"));
        if (s.has("const")) return quote(s.get("const").asText());
        if (s.has("enum")) {
            List<String> parts = new ArrayList<>();
            for (JsonNode v : s.get("enum")) parts.add(quote(v.asText()));
            return String.join(" | ", parts);
        }
        if (s.has("oneOf")) {
            List<String> parts = new ArrayList<>();
            for (JsonNode v : s.get("oneOf")) parts.add(type(v));
            return String.join(" | ", parts);
        }
        JsonNode t = s.get("type");
        if (t != null && t.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode v : t) parts.add(primitive(v.asText(), s));
            return String.join(" | ", parts);
        }
        return primitive(t == null ? "" : t.asText(), s);
    }

    private static String primitive(String type, JsonNode s) {
        return switch (type) {
            case "string" -> "string";
            case "integer", "number" -> "number";
            case "boolean" -> "boolean";
            case "null" -> "null";
            case "array" -> {
                String item = type(s.get("items"));
                yield (item.contains(" ") ? "(" + item + ")" : item) + "[]";
            }
            case "object" -> s.has("properties") ? inline(s) : "Record<string, " + type(s.get("additionalProperties")) + ">";
            default -> throw new IllegalStateException("no TypeScript for the schema " + s);
        };
    }

    /** An object schema written in place: {@code { code: ErrorCode; message: string }}. */
    private static String inline(JsonNode s) {
        List<String> required = new ArrayList<>();
        for (JsonNode r : s.path("required")) required.add(r.asText());
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> p : s.get("properties").properties()) {
            parts.add(p.getKey() + (required.contains(p.getKey()) ? ": " : "?: ") + type(p.getValue()));
        }
        return "{ " + String.join("; ", parts) + " }";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
