package org.salotto.media.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The certificate is checked with the JDK's own X.509 parser, as a browser would parse it. */
class DtlsIdentityTest {
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();

    @Test
    void isASelfSignedEcdsaP256CertificateForSalotto() throws Exception {
        X509Certificate certificate = parse(IDENTITY.certificateDer());

        assertEquals("CN=salotto", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        certificate.verify(certificate.getPublicKey()); // throws unless self-signed with this key
        ECPublicKey key = (ECPublicKey) certificate.getPublicKey();
        assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
        assertTrue(certificate.getSerialNumber().signum() > 0);
    }

    @Test
    void isValidFromADayAgoForThirtyDays() throws Exception {
        X509Certificate certificate = parse(IDENTITY.certificateDer());
        Instant now = Instant.now();
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();

        assertTrue(Duration.between(notBefore, now).compareTo(Duration.ofHours(23)) > 0, "not before " + notBefore);
        assertTrue(Duration.between(now, notAfter).compareTo(Duration.ofDays(29)) > 0, "not after " + notAfter);
        assertTrue(Duration.between(now, notAfter).compareTo(Duration.ofDays(31)) < 0, "not after " + notAfter);
    }

    @Test
    void fingerprintIsTheSdpFormOfTheSha256OfTheDerCertificate() throws Exception {
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(IDENTITY.certificateDer());
        String expected = HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256);

        assertEquals(expected, IDENTITY.fingerprintSha256());
        assertTrue(IDENTITY.fingerprintSha256().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    }

    @Test
    void eachIdentityHasItsOwnKeyAndSerial() throws Exception {
        DtlsIdentity other = DtlsIdentity.generate();
        assertNotEquals(IDENTITY.fingerprintSha256(), other.fingerprintSha256());
        assertNotEquals(parse(IDENTITY.certificateDer()).getSerialNumber(),
                parse(other.certificateDer()).getSerialNumber());
        assertNotEquals(parse(IDENTITY.certificateDer()).getPublicKey(), parse(other.certificateDer()).getPublicKey());
    }

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }
}
