package org.salotto.rooms;

/** Checks of the texts people type: display names, titles, usernames. */
public final class Names {
    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MAX_TITLE = 120;

    private Names() {
    }

    /** A display name, stripped: 1 to 64 characters, no control characters. */
    public static String displayName(String name) throws RoomException {
        return text("displayName", name, MAX_DISPLAY_NAME);
    }

    public static String title(String title) throws RoomException {
        return text("title", title, MAX_TITLE);
    }

    static String text(String field, String value, int max) throws RoomException {
        if (value == null) throw RoomException.badRequest("'" + field + "' is missing");
        String s = value.strip();
        if (s.isEmpty()) throw RoomException.badRequest("'" + field + "' must not be blank");
        if (s.codePointCount(0, s.length()) > max) {
            throw RoomException.badRequest("'" + field + "' must be at most " + max + " characters");
        }
        if (s.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            throw RoomException.badRequest("'" + field + "' must not contain control characters");
        }
        return s;
    }
}
