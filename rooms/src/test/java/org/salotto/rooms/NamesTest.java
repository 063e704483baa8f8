package org.salotto.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.salotto.signaling.protocol.ErrorCode;

/** Display names as people will see them (issue 11: a guest whose name began with a right-to-left override showed as "the host"). */
class NamesTest {

    @Test
    void bidiControlsAndOtherInvisibleFormattingAreRefused() {
        // U+202E RIGHT-TO-LEFT OVERRIDE: "\u202Etsoh eht" is shown as "the host".
        for (String name : new String[] {"\u202Etsoh eht", "Ann\u202Dx", "a\u2066b\u2069", "Bob\u200B", "\uFEFFEve",
                "Zo\u200Ee", "x\u061Cy", "\u2060Max"}) {
            RoomException e = assertThrows(RoomException.class, () -> Names.displayName(name), name);
            assertEquals(ErrorCode.BAD_REQUEST, e.errorCode());
        }
    }

    @Test
    void aNameWithNothingVisibleIsRefused() {
        for (String name : new String[] {"\u3164", "\u3164\u3164 \u3164", "\u0301\u0301", "\uFE0F", "\u2800", "   ", "\u00A0\u2003"}) {
            assertThrows(RoomException.class, () -> Names.displayName(name), "U+" + Integer.toHexString(name.codePointAt(0)));
        }
    }

    @Test
    void namesAreNormalizedToNfcAndTheirSpacesCollapsed() throws RoomException {
        assertEquals("Zoë", Names.displayName("Zoe\u0308"));
        assertEquals(Names.displayName("Zo\u00EB"), Names.displayName("Zoe\u0308"), "one name, however it was typed");
        assertEquals("Ann Marie", Names.displayName("  Ann \u2003\t Marie\u00A0"));
        assertEquals("Ann Marie", Names.title("Ann\u3000Marie"));
    }

    @Test
    void lettersOfMixedScriptsAreRefusedButRealNamesPass() throws RoomException {
        // A Cyrillic "Р" (U+0420) and "а" (U+0430) in a Latin name: looks like "Paul", is not.
        assertThrows(RoomException.class, () -> Names.displayName("\u0420\u0430ul"));
        assertThrows(RoomException.class, () -> Names.displayName("Host \u03BF"), "Latin with a Greek omicron");
        for (String ok : new String[] {"Zoë", "Ζωή", "Наташа", "山田 Taro", "やまだ タロウ 山田", "김민수 Kim", "José 🎉",
                "Ann-Marie O'Neil 2", "👩\u200D💻 Dev", "عائشة", "Παύλος"}) {
            assertEquals(ok, Names.displayName(ok));
        }
    }

    @Test
    void theLengthIsCountedAfterNormalizing() throws RoomException {
        String sixtyFour = "e\u0301".repeat(64);
        assertEquals(64, Names.displayName(sixtyFour).length(), "64 é once composed");
        assertTrue(assertThrows(RoomException.class, () -> Names.displayName("x".repeat(65))).getMessage().contains("64"));
    }

    @Test
    void aCommentIsNormalizedAsNamesAreAndCountedInCharactersNotUnits() throws RoomException {
        assertEquals("Zoë 🎉 so good", Names.comment("  Zoe\u0308 \uD83C\uDF89\n\tso   good "));
        // 300 emoji are 600 UTF-16 units but 300 characters: fine; one more is not.
        String hearts = "\u2764\uFE0F".repeat(150);
        assertEquals(hearts, Names.comment(hearts));
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(RoomException.class, () -> Names.comment("x".repeat(301))).errorCode());
        assertEquals(300, Names.comment("\uD83D\uDE00".repeat(300)).codePointCount(0, 600));
        for (String bad : new String[] {"", "   ", "hi\u202Eereh", "\u0000", "\u3164"}) {
            assertThrows(RoomException.class, () -> Names.comment(bad), bad);
        }
        // Any mix of scripts is fine in a comment.
        assertEquals("Привет, hello", Names.comment("Привет, hello"));
        assertEquals(null, Names.reportReason("  "));
        assertEquals("spam", Names.reportReason(" spam "));
    }
}
