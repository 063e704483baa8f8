package org.salotto.signaling.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.salotto.signaling.Messages;
import org.salotto.signaling.SignalingException;

/**
 * The one mapping between the protocol's records and JSON: server frames (and the HTTP API's bodies) out, client
 * frames in ({@link BodyCodec} reads the HTTP API's requests with the same records' shapes). Jackson is used in these
 * two only; everything else builds records.
 *
 * <p>Writing follows the records ({@link Shape}): a frame's {@code type} first, then each component in order, an
 * {@link Wire.Omitted} one left out when null. Reading is strict, with the messages docs/protocol.md promises: a JSON
 * object, a string {@code type}, an {@code id} that is a string or an integer, no unknown field, each field present and
 * of its type and length. Control plane only: a frame is written once however many clients it goes to
 * ({@link Encoded}).
 */
public final class FrameCodec {
    private FrameCodec() {
    }

    /** A server frame already written: the form in which one frame goes to many outboxes. */
    public record Encoded(String json) {
    }

    /** A client frame as read, with the request's {@code id} (null when it had none). */
    public record Request(ClientFrame frame, RequestId id) {
    }

    private static final Map<String, Shape> CLIENT_TYPES = new LinkedHashMap<>();

    static {
        for (Class<?> c : Shape.records(ClientFrame.class)) {
            Shape s = Shape.of(c);
            CLIENT_TYPES.put(s.type(), s);
        }
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        Shape.prepare(ServerFrame.class, seen);
        Shape.prepare(ClientFrame.class, seen);
    }

    // ---- writing ----

    public static Encoded encode(ServerFrame frame) {
        return new Encoded(json((Record) frame));
    }

    /** The JSON text of a protocol record (a frame, a value, an API body). */
    public static String json(Record value) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = Messages.JSON.getFactory().createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    /** A protocol value (a record, or a list of them) as a tree, for an adapter that puts it inside a larger one. */
    public static JsonNode tree(Object value) {
        try (TokenBuffer buffer = new TokenBuffer(Messages.JSON, false)) {
            write(buffer, value);
            return Messages.JSON.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("a token buffer cannot fail", e);
        }
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Instant t -> g.writeString(t.toString());
            case Enum<?> e -> g.writeString(Wire.name(e));
            case RequestId id -> {
                if (id.isText()) g.writeString(id.text());
                else g.writeNumber(id.number());
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object o : list) write(g, o);
                g.writeEndArray();
            }
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    g.writeFieldName((String) e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Record r -> writeRecord(g, r);
            default -> throw new IllegalArgumentException("not a protocol value: " + v.getClass());
        }
    }

    private static void writeRecord(JsonGenerator g, Record r) throws IOException {
        Shape shape = Shape.of(r.getClass());
        g.writeStartObject();
        if (shape.type() != null && !shape.typeIsComponent()) g.writeStringField("type", shape.type());
        for (Shape.Field f : shape.fields()) {
            Object value = f.get(r);
            if (value == null && f.omitted()) continue;
            g.writeFieldName(f.name());
            write(g, value);
        }
        g.writeEndObject();
    }

    // ---- reading ----

    /** Reads one client frame; anything but a valid one is a {@link SignalingException} with the code and reason. */
    public static Request decode(String text) throws SignalingException {
        JsonNode frame;
        try {
            frame = Messages.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SignalingException(ErrorCode.BAD_JSON, "the frame is not valid JSON: " + e.getOriginalMessage());
        }
        return decode(frame);
    }

    /** Reads one client frame from a parsed tree. */
    public static Request decode(JsonNode frame) throws SignalingException {
        if (frame == null || !frame.isObject()) throw new SignalingException(ErrorCode.BAD_JSON, "a frame must be a JSON object");
        JsonNode typeNode = frame.get("type");
        if (typeNode == null || !typeNode.isTextual()) throw bad("'type' must be a string");
        RequestId id = requestId(frame.get("id"));
        String type = typeNode.asText();
        Shape shape = CLIENT_TYPES.get(type);
        if (shape == null) throw new SignalingException(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + type + "'");
        // Unknown fields are refused, so that a typo is an error and not a silent no-op.
        for (Iterator<String> names = frame.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("type") && !name.equals("id") && shape.field(name) == null) {
                throw bad("unknown field '" + name + "' in '" + type + "'");
            }
        }
        Object[] values = new Object[shape.fields().size()];
        for (int i = 0; i < values.length; i++) values[i] = read(frame, shape.fields().get(i));
        return new Request((ClientFrame) shape.construct(values), id);
    }

    /** The request id a reply refers to: a string or an integer, or null. */
    private static RequestId requestId(JsonNode ref) throws SignalingException {
        if (ref == null) return null;
        if (ref.isTextual()) return RequestId.of(ref.asText());
        if (ref.isIntegralNumber() && ref.canConvertToLong()) return RequestId.of(ref.asLong());
        throw bad("'id' must be a string or an integer");
    }

    private static Object read(JsonNode frame, Shape.Field f) throws SignalingException {
        JsonNode v = frame.get(f.name());
        Class<?> type = f.type();
        if (v == null) {
            if (f.omitted()) return Map.class.isAssignableFrom(type) ? Map.of() : null;
            if (type == String.class) throw bad("'" + f.name() + "' is missing");
        }
        if (type == String.class) {
            if (!v.isTextual()) throw bad("'" + f.name() + "' must be a string");
            String s = v.asText();
            if (s.isEmpty() || s.length() > f.maxLength()) {
                throw bad("'" + f.name() + "' must be 1 to " + f.maxLength() + " characters");
            }
            return s;
        }
        if (type == long.class) {
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) throw bad("'" + f.name() + "' must be " + f.doc("an integer"));
            long n = v.asLong();
            if (n < f.min() || n > f.max()) {
                throw bad("'" + f.name() + "' must be an integer from " + f.min() + " to " + f.max());
            }
            return n;
        }
        if (type == boolean.class) {
            if (v == null || !v.isBoolean()) throw bad("'" + f.name() + "' must be true or false");
            return v.asBoolean();
        }
        if (type == Map.class) {
            if (v == null) throw bad("'" + f.name() + "' is missing");
            return readEnumMap(v, f);
        }
        if (type.isEnum()) {
            Enum<?> value = v != null && v.isTextual() ? enumOf(type, v.asText()) : null;
            if (value == null) throw bad("'" + f.name() + "' must be " + oneOf(type));
            return value;
        }
        throw new IllegalStateException("a client frame field of an unsupported type: " + f);
    }

    private static Map<String, Enum<?>> readEnumMap(JsonNode v, Shape.Field f) throws SignalingException {
        if (!v.isObject()) throw bad("'" + f.name() + "' must be " + f.doc("an object"));
        Class<?> valueType = (Class<?>) ((ParameterizedType) f.genericType()).getActualTypeArguments()[1];
        Map<String, Enum<?>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Enum<?> value = e.getValue().isTextual() ? enumOf(valueType, e.getValue().asText()) : null;
            if (value == null) {
                throw bad(Shape.decapitalize(valueType.getSimpleName()) + " of " + f.keys() + " '" + e.getKey()
                        + "' must be " + oneOf(valueType));
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    /** The constant of {@code type} whose wire name is {@code name}, or null. */
    public static Enum<?> enumOf(Class<?> type, String name) {
        for (Object c : type.getEnumConstants()) if (Wire.name((Enum<?>) c).equals(name)) return (Enum<?>) c;
        return null;
    }

    /** "mic, camera or screen". */
    static String oneOf(Class<?> enumType) {
        Object[] all = enumType.getEnumConstants();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < all.length; i++) {
            if (i > 0) b.append(i == all.length - 1 ? " or " : ", ");
            b.append(Wire.name((Enum<?>) all[i]));
        }
        return b.toString();
    }

    private static SignalingException bad(String message) {
        return new SignalingException(ErrorCode.BAD_MESSAGE, message);
    }
}
