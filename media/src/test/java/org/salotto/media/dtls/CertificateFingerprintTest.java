package org.salotto.media.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CertificateFingerprintTest {
    /** "abc" is the FIPS 180 test message; its SHA-1 and SHA-256 digests are published there. */
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void formatsFips180VectorsInSdpForm() {
        assertEquals("A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
                CertificateFingerprint.format("sha-1", ABC));
        assertEquals("BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD",
                CertificateFingerprint.format("sha-256", ABC));
    }

    @Test
    void parsesAnyCaseAndMatchesOnlyTheRightBytes() {
        CertificateFingerprint fingerprint = CertificateFingerprint.parse(" SHA-1 ",
                "a9:99:3e:36:47:06:81:6a:ba:3e:25:71:78:50:c2:6c:9c:d0:d8:9d");
        assertTrue(fingerprint.matches(ABC));
        assertFalse(fingerprint.matches("abd".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("sha-1", fingerprint.algorithm());
    }

    @Test
    void rejectsUnsupportedHashesMalformedHexAndWrongLengths() {
        assertThrows(IllegalArgumentException.class, () -> CertificateFingerprint.parse("md5", "00"));
        assertThrows(IllegalArgumentException.class, () -> CertificateFingerprint.parse("sha-256", "GG:00"));
        assertThrows(IllegalArgumentException.class, () -> CertificateFingerprint.parse("sha-256", "AB-CD"));
        assertThrows(IllegalArgumentException.class,
                () -> CertificateFingerprint.parse("sha-256", "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D"));
    }
}
