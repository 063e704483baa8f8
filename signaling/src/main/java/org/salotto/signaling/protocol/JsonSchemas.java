package org.salotto.signaling.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.salotto.signaling.Messages;

/**
 * JSON Schemas of protocol records, read from the records and their {@link Wire} annotations as {@link FrameCodec}
 * and {@link BodyCodec} read them, for the documents: asyncapi.json ({@link ProtocolSchema}) and the schemas of the
 * HTTP API's openapi.json (the server's ApiSchema). One schema per record, enum and sealed union, named by its simple
 * name (or {@link Wire.SchemaName}) and referred to as {@code #/components/schemas/<name>}.
 */
public final class JsonSchemas {
    private final Map<String, ObjectNode> schemas = new LinkedHashMap<>();
    private final Map<String, Class<?>> named = new LinkedHashMap<>();
    private final Predicate<Class<?>> incoming;
    private final boolean incomingStringsNonEmpty;
    private final List<ErrorCode> errorCodes;
    private final String errorCodeDescription;

    /**
     * @param incoming                which records a client sends (their strings get the limits the codec checks)
     * @param incomingStringsNonEmpty whether the codec refuses an empty string a client sends (the WebSocket's does)
     * @param errorCodes              the codes the document's {@code ErrorCode} lists
     * @param errorCodeDescription    its description, or null
     */
    public JsonSchemas(Predicate<Class<?>> incoming, boolean incomingStringsNonEmpty, List<ErrorCode> errorCodes,
                       String errorCodeDescription) {
        this.incoming = incoming;
        this.incomingStringsNonEmpty = incomingStringsNonEmpty;
        this.errorCodes = errorCodes;
        this.errorCodeDescription = errorCodeDescription;
    }

    /** Every schema defined so far, in the order they were first referred to. */
    public Map<String, ObjectNode> schemas() {
        return schemas;
    }

    /** The schema of {@code c}, defined (with everything it refers to) on first use. */
    public ObjectNode schema(Class<?> c) {
        ref(c);
        return schemas.get(name(c));
    }

    /** The {@code $ref} of a record, enum or sealed union, defining its schema on first use. */
    public String ref(Class<?> c) {
        if (c.isRecord()) record(c);
        else if (c.isEnum()) enumeration(c);
        else if (c.isSealed()) union(c);
        else throw new IllegalArgumentException("no named schema for " + c);
        return "#/components/schemas/" + name(c);
    }

    private static String name(Class<?> c) {
        Wire.SchemaName n = c.getAnnotation(Wire.SchemaName.class);
        return n == null ? c.getSimpleName() : n.value();
    }

    private void union(Class<?> sealed) {
        ObjectNode s = define(sealed);
        if (s == null) return;
        ArrayNode oneOf = s.putArray("oneOf");
        for (Class<?> c : Shape.records(sealed)) oneOf.addObject().put("$ref", ref(c));
    }

    /** A new, empty schema for {@code c}, or null if it has one already; names must be unique. */
    private ObjectNode define(Class<?> c) {
        String name = name(c);
        Class<?> before = named.putIfAbsent(name, c);
        if (before != null) {
            if (before != c) throw new IllegalStateException("two protocol types named " + name + ": " + before + ", " + c);
            return null;
        }
        ObjectNode s = Messages.JSON.createObjectNode();
        schemas.put(name, s);
        describe(s, c);
        return s;
    }

    private static void describe(ObjectNode s, Class<?> c) {
        Wire.Doc doc = c.getAnnotation(Wire.Doc.class);
        if (doc != null) s.put("description", doc.value());
    }

    private void enumeration(Class<?> c) {
        ObjectNode s = define(c);
        if (s == null) return;
        s.put("type", "string");
        ArrayNode values = s.putArray("enum");
        Object[] constants = c == ErrorCode.class ? errorCodes.toArray() : c.getEnumConstants();
        for (Object e : constants) values.add(Wire.name((Enum<?>) e));
        if (c == ErrorCode.class && errorCodeDescription != null) s.put("description", errorCodeDescription);
    }

    private void record(Class<?> c) {
        ObjectNode s = define(c);
        if (s != null) fill(s, c);
    }

    private void fill(ObjectNode s, Class<?> c) {
        Shape shape = Shape.of(c);
        boolean fromClient = incoming.test(c);
        s.put("type", "object");
        ObjectNode properties = s.putObject("properties");
        ArrayNode required = s.putArray("required");
        if (shape.type() != null) {
            properties.putObject("type").put("const", shape.type());
            required.add("type");
        }
        for (Shape.Field f : shape.fields()) {
            ObjectNode p = schema(f.genericType(), f, fromClient);
            if (f.nullable()) p = nullable(p);
            if (f.doc() != null) p.put("description", f.doc());
            properties.set(f.name(), p);
            if (!f.omitted()) required.add(f.name());
        }
        s.put("additionalProperties", false);
    }

    private ObjectNode schema(Type type, Shape.Field f, boolean fromClient) {
        ObjectNode s = Messages.JSON.createObjectNode();
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            s.put("type", "string");
            if (fromClient && f != null) {
                if (incomingStringsNonEmpty) s.put("minLength", 1);
                if (f.maxLength() != Integer.MAX_VALUE) s.put("maxLength", f.maxLength());
            }
        } else if (raw == boolean.class || raw == Boolean.class) {
            s.put("type", "boolean");
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            s.put("type", "integer");
            if (fromClient && f != null && f.min() != Long.MIN_VALUE) s.put("minimum", f.min());
            if (fromClient && f != null && f.max() != Long.MAX_VALUE) s.put("maximum", f.max());
        } else if (raw == Instant.class) {
            s.put("type", "string").put("format", "date-time");
        } else if (raw == RequestId.class) {
            s.put("description", "the id of the request this answers").putArray("type").add("string").add("integer");
        } else if (raw == List.class) {
            s.put("type", "array");
            s.set("items", schema(((ParameterizedType) type).getActualTypeArguments()[0], null, fromClient));
        } else if (raw == Map.class) {
            s.put("type", "object");
            if (f != null) s.putObject("propertyNames").put("description", f.keys());
            s.set("additionalProperties", schema(((ParameterizedType) type).getActualTypeArguments()[1], null, fromClient));
        } else if (raw.isRecord() && f != null && f.inline()) {
            // Written in place: openapi.json's Error has its detail inside.
            describe(s, raw);
            fill(s, raw);
        } else if (raw.isRecord() || raw.isEnum() || raw.isSealed()) {
            s.put("$ref", ref(raw));
        } else {
            throw new IllegalStateException("no schema for " + type);
        }
        return s;
    }

    private static ObjectNode nullable(ObjectNode s) {
        ObjectNode n = Messages.JSON.createObjectNode();
        if (s.has("type") && s.get("type").isTextual()) {
            n.setAll(s);
            n.putArray("type").add(s.get("type").asText()).add("null");
        } else {
            n.putArray("oneOf").add(s).addObject().put("type", "null");
        }
        return n;
    }
}
