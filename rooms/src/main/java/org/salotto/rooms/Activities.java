package org.salotto.rooms;

import java.util.List;

/** A room's activity: one of PRODUCT.md's presets, or a custom text that starts with an emoji. */
public final class Activities {
    public static final List<String> PRESETS = List.of(
            "happy_hour", "dance_party", "family", "study_break", "game_night", "hanging_out", "just_chatting");
    public static final int MAX_CUSTOM = 60;

    private Activities() {
    }

    /** The activity to store: a preset key as given, or the custom text stripped. */
    public static String check(String activity) throws RoomException {
        if (activity == null) return "hanging_out";
        if (PRESETS.contains(activity)) return activity;
        String s = Names.text("activity", activity, MAX_CUSTOM);
        if (!startsWithEmoji(s)) {
            throw RoomException.badRequest("'activity' is one of " + String.join(", ", PRESETS)
                    + ", or a custom text that starts with an emoji");
        }
        return s;
    }

    /** True if the text starts with a pictographic emoji (not a digit, '#' or '*', which are emoji components too). */
    public static boolean startsWithEmoji(String s) {
        if (s.isEmpty()) return false;
        int cp = s.codePointAt(0);
        return cp > 0x7F && (Character.isEmojiPresentation(cp) || Character.isExtendedPictographic(cp));
    }
}
