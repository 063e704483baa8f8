package org.salotto.signaling.protocol;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link FrameCodec} and {@link ProtocolSchema} know of one protocol record: its {@code type} on the wire (for
 * frames) and its fields in order, read once per class from the record's components and their {@link Wire}
 * annotations.
 */
record Shape(Class<?> javaType, String type, boolean typeIsComponent, List<Field> fields, Constructor<?> constructor) {

    /** One record component as the wire sees it. */
    record Field(String name, Class<?> type, Type genericType, Method accessor, MethodHandle getter, boolean omitted,
                 boolean nullable, int maxLength, String doc, String keys, boolean inline, long min, long max) {
        Object get(Object record) {
            try {
                return (Object) getter.invokeExact(record);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        String doc(String otherwise) {
            return doc == null ? otherwise : doc;
        }
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> c) {
            return read(c);
        }
    };

    static Shape of(Class<?> c) {
        return SHAPES.get(c);
    }

    /**
     * Reads the shapes of {@code root}'s records and of every record their fields hold, ahead of the first frame of
     * each kind: a fresh server's first comment is otherwise encoded while the reflection behind it is made, hundreds
     * of milliseconds on a loaded machine.
     */
    static void prepare(Class<?> root, java.util.Set<Class<?>> seen) {
        if (!seen.add(root)) return;
        if (root.isSealed()) {
            for (Class<?> c : root.getPermittedSubclasses()) prepare(c, seen);
        }
        if (!root.isRecord()) return;
        for (Field f : of(root).fields()) {
            prepare(f.type(), seen);
            if (f.genericType() instanceof ParameterizedType p) {
                for (Type t : p.getActualTypeArguments()) if (t instanceof Class<?> c) prepare(c, seen);
            }
        }
    }

    Field field(String name) {
        for (Field f : fields) if (f.name().equals(name)) return f;
        return null;
    }

    Object construct(Object[] values) {
        try {
            return constructor.newInstance(values);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The records of a sealed hierarchy, depth first, in the order they are declared. */
    static List<Class<?>> records(Class<?> sealed) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isRecord()) out.add(c);
            else out.addAll(records(c));
        }
        return out;
    }

    /** The accessor as a handle taking and giving {@code Object}: one shared invoker for every field, made here once. */
    private static MethodHandle getter(Method accessor) {
        try {
            return MethodHandles.publicLookup().unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("a protocol record's accessor is not public: " + accessor, e);
        }
    }

    static String decapitalize(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static boolean isFrame(Class<?> c) {
        return ServerFrame.class.isAssignableFrom(c) || ClientFrame.class.isAssignableFrom(c)
                || RoomEventFrame.class.isAssignableFrom(c);
    }

    private static Shape read(Class<?> c) {
        if (!c.isRecord()) throw new IllegalArgumentException(c + " is not a record");
        RecordComponent[] components = c.getRecordComponents();
        List<Field> fields = new ArrayList<>();
        Class<?>[] types = new Class<?>[components.length];
        boolean typeIsComponent = false;
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            if (rc.getName().equals("type")) typeIsComponent = true;
            Wire.MaxLength max = rc.getAnnotation(Wire.MaxLength.class);
            Wire.Doc doc = rc.getAnnotation(Wire.Doc.class);
            Wire.Keys keys = rc.getAnnotation(Wire.Keys.class);
            Wire.Range range = rc.getAnnotation(Wire.Range.class);
            fields.add(new Field(rc.getName(), rc.getType(), rc.getGenericType(), rc.getAccessor(), getter(rc.getAccessor()),
                    rc.isAnnotationPresent(Wire.Omitted.class), rc.isAnnotationPresent(Wire.Nullable.class),
                    max == null ? Integer.MAX_VALUE : max.value(), doc == null ? null : doc.value(),
                    keys == null ? "key" : keys.value(), rc.isAnnotationPresent(Wire.Inline.class),
                    range == null ? Long.MIN_VALUE : range.min(), range == null ? Long.MAX_VALUE : range.max()));
        }
        String type = isFrame(c) && !typeIsComponent ? decapitalize(c.getSimpleName()) : null;
        try {
            return new Shape(c, type, typeIsComponent, List.copyOf(fields), c.getDeclaredConstructor(types));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a record without its canonical constructor: " + c, e);
        }
    }
}
