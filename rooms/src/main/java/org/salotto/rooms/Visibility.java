package org.salotto.rooms;

/** Public rooms show on the host's profile and the home page; private ones only to people with the link. */
public enum Visibility {
    PUBLIC,
    PRIVATE;

    public String apiName() {
        return name().toLowerCase();
    }

    public static Visibility fromApi(String name) {
        for (Visibility v : values()) if (v.apiName().equals(name)) return v;
        return null;
    }
}
