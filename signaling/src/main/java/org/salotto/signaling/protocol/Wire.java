package org.salotto.signaling.protocol;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a record component of a frame or an HTTP body goes on the wire, read by {@link FrameCodec}, {@link BodyCodec}
 * and {@link JsonSchemas}, so that what is sent, what is checked and what is documented cannot drift apart. Without
 * annotations a component is required and never null; in an HTTP request, {@link Omitted} means optional (absent or
 * null). Enum constants go on the wire in lower case ({@code CO_HOST} is {@code co_host}).
 */
public final class Wire {
    private Wire() {
    }

    /** Left out of the object when null (rather than written as {@code null}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Omitted {
    }

    /** Written as {@code null} when null. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Nullable {
    }

    /** A string a client sends: 1 to {@code value} characters. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface MaxLength {
        int value();
    }

    /** An integer a client sends: from {@code min} to {@code max}, both included. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Range {
        long min();

        long max();
    }

    /**
     * What a value is, for the documents; for a field a client sends, also the end of the sentence of the
     * {@code bad_message} refusing it ("'version' must be " + this).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
    public @interface Doc {
        String value();
    }

    /** What the keys of a map component are, for messages and documents ("mid"). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Keys {
        String value();
    }

    /** The name of a type's schema in the documents, when it is not the type's simple name. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface SchemaName {
        String value();
    }

    /** A record component whose record's schema is written in place in the documents rather than named. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Inline {
    }

    /** The wire name of an enum constant. */
    public static String name(Enum<?> e) {
        return e instanceof ErrorCode c ? c.wireName() : e.name().toLowerCase();
    }
}
