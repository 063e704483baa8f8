package org.salotto.rooms;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a join token lets its bearer do in the room (docs/api.md, "Join tokens"): which sources they may publish, whether
 * they receive the others' media, whether they manage the room like a co-host ({@code admin}), whether they are
 * {@code hidden} (present and receiving, not listed to the others, never publishing), and the role they take
 * ({@code role}, an API role name of the room's kind, or null for the kind's default). A join token of the server's own
 * (the web app's) carries {@link #FULL}: the room's kind and role alone decide.
 *
 * <p>Grants only ever narrow what the role allows: a listener granted {@code camera} still publishes nothing.
 */
public record Grants(Set<Source> publish, boolean subscribe, boolean admin, boolean hidden, String role) {

    /** A source of media, as grants name them. */
    public enum Source {
        CAMERA("camera"), MICROPHONE("microphone"), SCREEN("screen");

        private final String grantName;

        Source(String grantName) {
            this.grantName = grantName;
        }

        public String grantName() {
            return grantName;
        }

        /** The source a grant names ({@code camera}, {@code microphone}, {@code screen}), or null. */
        public static Source ofGrant(String name) {
            for (Source s : values()) if (s.grantName.equals(name)) return s;
            return null;
        }

        /** The source the signaling layer names ({@code mic}, {@code camera}, {@code screen}), or null. */
        public static Source ofSignaling(String name) {
            return switch (name) {
                case "mic" -> MICROPHONE;
                case "camera" -> CAMERA;
                case "screen" -> SCREEN;
                default -> null;
            };
        }
    }

    /** Everything the role allows: the server's own join tokens. */
    public static final Grants FULL = new Grants(EnumSet.allOf(Source.class), true, false, false, null);

    public Grants {
        publish = publish.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(publish));
    }

    /** Why {@code source} (the signaling layer's name) may not be published under these grants, or null if it may. */
    public String publishRefusal(String source) {
        if (hidden) return "a hidden participant cannot publish";
        Source s = Source.ofSignaling(source);
        if (s == null || !publish.contains(s)) {
            return "your join token does not grant publishing the " + (s == null ? source : s.grantName());
        }
        return null;
    }

    public Grants withPublish(Set<Source> sources) {
        return new Grants(sources, subscribe, admin, hidden, role);
    }

    public Grants withSubscribe(boolean on) {
        return new Grants(publish, on, admin, hidden, role);
    }

    public Grants withAdmin(boolean on) {
        return new Grants(publish, subscribe, on, hidden, role);
    }

    public Grants withHidden(boolean on) {
        return new Grants(publish, subscribe, admin, on, role);
    }
}
