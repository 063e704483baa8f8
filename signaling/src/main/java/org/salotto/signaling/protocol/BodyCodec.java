package org.salotto.signaling.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import org.salotto.signaling.Messages;

/**
 * The bodies of the HTTP API as records: an answer is written by {@link FrameCodec#json} like any protocol record; a
 * request is read here, strictly, into its record. The request must be one JSON object (an empty body is {@code {}})
 * with no field its record lacks; each field is checked against its component: a string of at most
 * {@link Wire.MaxLength} characters, true or false, an RFC 3339 time, the wire name of an enum constant, a list of
 * distinct wire names of an enum's constants, or an array of strings (each at most {@link Wire.MaxLength}). A component
 * marked {@link Wire.Omitted} is optional (absent or null gives null); any other is required. Every refusal is a
 * {@code bad_request} whose message names the field (docs/api.md).
 */
public final class BodyCodec {
    /** The protocol mapper's limits and strictness, and nothing may follow the one JSON value. */
    private static final ObjectReader READER = Messages.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Items of a list field at most (the body is at most 16 KiB anyway). */
    public static final int MAX_LIST = 1000;

    private BodyCodec() {
    }

    /** The JSON text of an answer's body. */
    public static String write(Record body) {
        return FrameCodec.json(body);
    }

    /** Reads a request body into {@code type}, a record whose components are the fields it takes. */
    public static <R extends Record> R read(String text, Class<R> type) throws ControlException {
        JsonNode body;
        if (text == null || text.isBlank()) {
            body = Messages.JSON.createObjectNode();
        } else {
            try {
                body = READER.readTree(text);
            } catch (JsonProcessingException e) {
                throw bad("the body is not valid JSON: " + e.getOriginalMessage());
            }
            if (body == null || !body.isObject()) throw bad("the body must be a JSON object");
        }
        Shape shape = Shape.of(type);
        // Unknown fields are refused, so that a typo (or a field one may not set) is an error and not a silent no-op.
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (shape.field(name) == null) throw bad("unknown field '" + name + "'");
        }
        Object[] values = new Object[shape.fields().size()];
        for (int i = 0; i < values.length; i++) values[i] = read(body, shape.fields().get(i));
        return type.cast(shape.construct(values));
    }

    private static Object read(JsonNode body, Shape.Field f) throws ControlException {
        JsonNode v = body.get(f.name());
        if (v == null || v.isNull()) {
            if (f.omitted()) return null;
            if (f.type() == String.class || f.type() == Boolean.class || f.type().isEnum() || f.type() == int.class) {
                throw bad("'" + f.name() + "' is missing");
            }
            throw new IllegalStateException("a required request field must be a string, a Boolean, an int or an enum: " + f);
        }
        Class<?> type = f.type();
        if (type == Boolean.class) {
            if (!v.isBoolean()) throw bad("'" + f.name() + "' must be true or false");
            return v.asBoolean();
        }
        if (type == int.class || type == Integer.class) {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) throw bad("'" + f.name() + "' must be a whole number");
            return v.intValue();
        }
        if (type == java.util.List.class && f.genericType() instanceof java.lang.reflect.ParameterizedType pt
                && pt.getActualTypeArguments()[0] instanceof Class<?> element && element.isEnum()) {
            // A list of enum constants' wire names (grants' sources): each once, at most as many as the enum has.
            if (!v.isArray()) throw bad("'" + f.name() + "' must be a list of " + FrameCodec.oneOf(element));
            if (v.size() > element.getEnumConstants().length) throw bad("'" + f.name() + "' has too many items");
            java.util.List<Object> out = new java.util.ArrayList<>();
            for (JsonNode item : v) {
                Enum<?> e = item.isTextual() ? FrameCodec.enumOf(element, item.asText()) : null;
                if (e == null) throw bad("'" + f.name() + "' items must be " + FrameCodec.oneOf(element));
                if (out.contains(e)) throw bad("'" + f.name() + "' names " + item.asText() + " twice");
                out.add(e);
            }
            return java.util.List.copyOf(out);
        }
        if (type == java.util.List.class && f.genericType() instanceof java.lang.reflect.ParameterizedType pt
                && pt.getActualTypeArguments()[0] == String.class) {
            // A list of strings (usernames): each at most the field's length; how many is the caller's rule.
            if (!v.isArray()) throw bad("'" + f.name() + "' must be an array of strings");
            if (v.size() > MAX_LIST) throw bad("'" + f.name() + "' must have at most " + MAX_LIST + " items");
            java.util.List<String> out = new java.util.ArrayList<>(v.size());
            for (JsonNode item : v) {
                if (!item.isTextual()) throw bad("'" + f.name() + "' must be an array of strings");
                if (item.asText().length() > f.maxLength()) {
                    throw bad("each of '" + f.name() + "' must be at most " + f.maxLength() + " characters");
                }
                out.add(item.asText());
            }
            return java.util.List.copyOf(out);
        }
        if (type != String.class && type != Instant.class && !type.isEnum()) {
            throw new IllegalStateException("a request field of an unsupported type: " + f);
        }
        if (!v.isTextual()) throw bad("'" + f.name() + "' must be a string");
        String s = v.asText();
        if (s.length() > f.maxLength()) throw bad("'" + f.name() + "' must be at most " + f.maxLength() + " characters");
        if (type == Instant.class) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw bad("'" + f.name() + "' must be a time like 2026-11-21T18:00:00Z");
            }
        }
        if (type.isEnum()) {
            Enum<?> e = FrameCodec.enumOf(type, s);
            if (e == null) throw bad("'" + f.name() + "' must be " + FrameCodec.oneOf(type));
            return e;
        }
        return s;
    }

    private static ControlException bad(String message) {
        return new ControlException(ErrorCode.BAD_REQUEST, message);
    }
}
