package org.salotto.rooms;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Checks of the texts people type: display names, titles, usernames, comments. Every text is normalized the same way, so that
 * what one person sees is what everyone sees (docs/security.md, "Names"):
 * <ol>
 * <li>NFC (Unicode normalization form C): "é" typed as e + U+0301 and as U+00E9 is one name;</li>
 * <li>every run of white space (any Unicode space, tab, line separator) becomes one plain space, and the ends are
 *     stripped;</li>
 * <li>refused: control characters, and format characters (Unicode category Cf: the bidi overrides and isolates
 *     U+202A-U+202E and U+2066-U+2069, zero-width spaces and joiners, the BOM...), which change how the text around
 *     them is shown without showing themselves; and a text with nothing visible in it (only marks, fillers such as
 *     U+3164 HANGUL FILLER, or variation selectors);</li>
 * <li>display names only: letters from one script, or one of the mixes that writing systems use (Latin with Han,
 *     Hiragana and Katakana; Latin with Han and Bopomofo; Latin with Han and Hangul). This is UTS #39's "highly
 *     restrictive" level in short: "Раul" with a Cyrillic "Р" is refused, "Zoë", "Ζωή", "山田 Taro" and "José 🎉"
 *     are fine. It limits look-alike names, it does not make them impossible (a whole name in Cyrillic can still
 *     look like a Latin one).</li>
 * </ol>
 */
public final class Names {
    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MAX_TITLE = 120;
    public static final int MAX_COMMENT = 300;
    public static final int MAX_REPORT_REASON = 200;

    /** Scripts that do not count: digits, punctuation, emoji, combining marks. */
    private static final Set<UnicodeScript> NEUTRAL = EnumSet.of(UnicodeScript.COMMON, UnicodeScript.INHERITED,
            UnicodeScript.UNKNOWN);
    /** The mixes of UTS #39 §5.2 "highly restrictive": each is allowed as a whole, with any subset of it. */
    private static final List<Set<UnicodeScript>> MIXES = List.of(
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.BOPOMOFO),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HANGUL));

    private Names() {
    }

    /** A display name, normalized (see the class comment): 1 to 64 characters, one script (or an allowed mix). */
    public static String displayName(String name) throws RoomException {
        String s = text("displayName", name, MAX_DISPLAY_NAME);
        Set<UnicodeScript> used = EnumSet.noneOf(UnicodeScript.class);
        s.codePoints().forEach(c -> {
            UnicodeScript script = UnicodeScript.of(c);
            if (!NEUTRAL.contains(script)) used.add(script);
        });
        if (used.size() > 1 && MIXES.stream().noneMatch(mix -> mix.containsAll(used))) {
            throw RoomException.badRequest("'displayName' mixes letters of different scripts (" + used.stream()
                    .map(u -> u.name().toLowerCase()).sorted().reduce((x, y) -> x + ", " + y).orElse("")
                    + "), which lets a name look like another: write it in one");
        }
        return s;
    }

    public static String title(String title) throws RoomException {
        return text("title", title, MAX_TITLE);
    }

    /** A live comment, normalized as every text is: 1 to 300 characters (code points). */
    public static String comment(String text) throws RoomException {
        return text("text", text, MAX_COMMENT);
    }

    /** Why someone reports a comment: absent, or 1 to 200 characters. */
    public static String reportReason(String reason) throws RoomException {
        return reason == null || reason.isBlank() ? null : text("reason", reason, MAX_REPORT_REASON);
    }

    /**
     * A text of at most {@code max} characters, normalized and checked like every other (no control or format
     * characters, something visible); {@code field} names it in the refusal.
     */
    public static String text(String field, String value, int max) throws RoomException {
        if (value == null) throw RoomException.badRequest("'" + field + "' is missing");
        String s = collapseSpaces(Normalizer.normalize(value, Normalizer.Form.NFC));
        if (s.isEmpty()) throw RoomException.badRequest("'" + field + "' must not be blank");
        if (s.codePointCount(0, s.length()) > max) {
            throw RoomException.badRequest("'" + field + "' must be at most " + max + " characters");
        }
        if (s.codePoints().anyMatch(Character::isISOControl)) {
            throw RoomException.badRequest("'" + field + "' must not contain control characters");
        }
        if (hasFormatCharacter(s)) {
            throw RoomException.badRequest("'" + field + "' must not contain invisible formatting characters "
                    + "(such as right-to-left overrides or zero-width spaces)");
        }
        if (s.codePoints().noneMatch(Names::visible)) {
            throw RoomException.badRequest("'" + field + "' must have at least one visible character");
        }
        return s;
    }

    /**
     * A format character (category Cf) other than a zero-width joiner inside an emoji sequence (👩‍💻 is
     * woman, ZWJ, laptop): that one only joins two pictures into one.
     */
    private static boolean hasFormatCharacter(String s) {
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            if (Character.getType(cps[i]) != Character.FORMAT) continue;
            boolean emojiJoiner = cps[i] == 0x200D && i > 0 && i + 1 < cps.length && emojiPart(cps[i - 1])
                    && Character.getType(cps[i + 1]) == Character.OTHER_SYMBOL;
            if (!emojiJoiner) return true;
        }
        return false;
    }

    /** A picture, or what may end one: the emoji variation selector or a skin tone. */
    private static boolean emojiPart(int c) {
        return Character.getType(c) == Character.OTHER_SYMBOL || c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF);
    }

    /** Every run of white space becomes one space (U+0020); no space at either end. */
    private static String collapseSpaces(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean pendingSpace = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (isSpace(c)) {
                pendingSpace = b.length() > 0;
                continue;
            }
            if (pendingSpace) b.append(' ');
            pendingSpace = false;
            b.appendCodePoint(c);
        }
        return b.toString();
    }

    private static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x0085 || c == 0x180E;
    }

    /**
     * A character that puts ink on the screen by itself: not a mark (which sits on another), not a variation
     * selector, not one of the fillers that render as blank though Unicode calls them letters.
     */
    private static boolean visible(int c) {
        int type = Character.getType(c);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.FORMAT || type == Character.CONTROL || type == Character.UNASSIGNED
                || type == Character.SPACE_SEPARATOR || type == Character.PRIVATE_USE) {
            return false;
        }
        // Hangul fillers, the Braille blank, the halfwidth filler and Khmer vowel inherents draw nothing.
        return c != 0x115F && c != 0x1160 && c != 0x3164 && c != 0xFFA0 && c != 0x2800 && c != 0x17B4 && c != 0x17B5
                && !(c >= 0xFE00 && c <= 0xFE0F) && !(c >= 0xE0100 && c <= 0xE01EF);
    }
}
