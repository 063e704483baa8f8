package org.salotto.rooms.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = PasswordHasher.forTests();

    @Test
    void theRightPasswordVerifiesAndAWrongOneDoesNot() {
        String encoded = hasher.hash("correct horse".toCharArray());
        assertTrue(hasher.verify("correct horse".toCharArray(), encoded));
        assertFalse(hasher.verify("correct horsE".toCharArray(), encoded));
        assertFalse(hasher.verify("".toCharArray(), encoded));
        assertFalse(hasher.verify("correct horse ".toCharArray(), encoded));
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8() {
        String encoded = hasher.hash("pässwörd 🔑".toCharArray());
        assertTrue(hasher.verify("pässwörd 🔑".toCharArray(), encoded));
        assertFalse(hasher.verify("passwörd 🔑".toCharArray(), encoded));
    }

    @Test
    void theEncodingIsAPhcStringWithTheParameters() {
        String encoded = new PasswordHasher(256, 3, 2).hash("pw".toCharArray());
        // 16-byte salt: 22 base64 characters; 32-byte hash: 43; no padding.
        assertTrue(encoded.matches("\\$argon2id\\$v=19\\$m=256,t=3,p=2\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), encoded);
        assertTrue(PasswordHasher.forTests().hash("pw".toCharArray()).startsWith("$argon2id$v=19$m=64,t=1,p=1$"));
    }

    @Test
    void twoHashesOfOnePasswordDifferByTheirSalt() {
        String a = hasher.hash("same".toCharArray());
        String b = hasher.hash("same".toCharArray());
        assertNotEquals(a, b);
        assertNotEquals(a.split("\\$")[4], b.split("\\$")[4], "different salts");
        assertTrue(hasher.verify("same".toCharArray(), a));
        assertTrue(hasher.verify("same".toCharArray(), b));
    }

    @Test
    void aHashMadeWithOtherSettingsStillVerifiesButNeedsRehash() {
        PasswordHasher old = new PasswordHasher(128, 2, 1);
        String encoded = old.hash("pw".toCharArray());
        assertTrue(hasher.verify("pw".toCharArray(), encoded), "parameters come from the string");
        assertTrue(hasher.needsRehash(encoded));
        assertFalse(old.needsRehash(encoded));
        assertFalse(hasher.needsRehash(hasher.hash("pw".toCharArray())));

        assertTrue(new PasswordHasher(64, 2, 1).needsRehash(hasher.hash("pw".toCharArray())), "iterations differ");
        assertTrue(new PasswordHasher(64, 1, 2).needsRehash(hasher.hash("pw".toCharArray())), "parallelism differs");
        assertTrue(new PasswordHasher(72, 1, 1).needsRehash(hasher.hash("pw".toCharArray())), "memory differs");
        assertTrue(hasher.needsRehash("not a hash"));
        assertTrue(hasher.needsRehash(null));
    }

    @Test
    void malformedEncodingsAreFalseNotExceptions() {
        String good = hasher.hash("pw".toCharArray());
        String[] parts = good.split("\\$");
        String salt = parts[4];
        String hash = parts[5];
        String[] bad = {
            null,
            "",
            "pw",
            "$argon2id$",
            "$argon2id$v=19$m=64,t=1,p=1$" + salt,
            "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash + "$extra",
            "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + hash,         // another variant
            "$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + hash,
            "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + hash,        // another version
            "$argon2id$m=64,t=1,p=1$" + salt + "$" + hash,             // no version
            "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + hash,        // parameters out of order
            "$argon2id$v=19$m=64,t=1$" + salt + "$" + hash,
            "$argon2id$v=19$m=,t=1,p=1$" + salt + "$" + hash,
            "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + hash,
            "$argon2id$v=19$m=0x40,t=1,p=1$" + salt + "$" + hash,
            "$argon2id$v=19$m=99999999999999,t=1,p=1$" + salt + "$" + hash,   // would overflow an int
            "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + hash,    // 4 GiB: over the limit
            "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + hash,
            "$argon2id$v=19$m=64,t=1000000,p=1$" + salt + "$" + hash,
            "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + hash,
            "$argon2id$v=19$m=7,t=1,p=1$" + salt + "$" + hash,          // under 8 KiB per lane
            "$argon2id$v=19$m=64,t=1,p=1$$" + hash,
            "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$",
            "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash + "==",
            "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash.substring(0, 10),   // hash too short
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + hash,               // 4-byte salt
            "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash.replace(hash.charAt(0), '!'),
            "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash.replace(hash.charAt(0), '-'),  // URL alphabet
            " " + good,
        };
        for (String s : bad) {
            assertFalse(hasher.verify("pw".toCharArray(), s), () -> "verify(" + s + ")");
            assertTrue(hasher.needsRehash(s), () -> "needsRehash(" + s + ")");
        }
        assertTrue(hasher.verify("pw".toCharArray(), good), "the unchanged string still verifies");
    }

    @Test
    void parametersOutsideTheLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(7, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(64, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(64, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(15, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(1 << 21, 1, 1));
    }

    /**
     * RFC 9106 §5.3: Argon2id, version 0x13, 32 KiB, 3 passes, 4 lanes, 32-byte tag, password 32 x 0x01, salt 16 x 0x02,
     * secret 8 x 0x03, associated data 12 x 0x04.
     */
    @Test
    void rfc9106Argon2idTestVector() {
        byte[] tag = PasswordHasher.argon2id(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03), filled(12, 0x04),
                32, 3, 4, 32);
        assertArrayEquals(HexFormat.of().parseHex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"), tag);
    }

    /** Encoded strings made by the reference implementation's own tests (phc-winner-argon2, src/test.c). */
    @Test
    void verifiesStringsMadeByTheReferenceImplementation() {
        String m256 = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
        String m65536 = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertTrue(hasher.verify("password".toCharArray(), m256));
        assertFalse(hasher.verify("passwore".toCharArray(), m256));
        assertTrue(hasher.verify("password".toCharArray(), m65536));
        assertFalse(new PasswordHasher(65536, 2, 1).needsRehash(m65536.replace("c29tZXNhbHQ", "c29tZXNhbHRzb21lc2FsdA")),
                "same settings, 16-byte salt: no rehash");
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
