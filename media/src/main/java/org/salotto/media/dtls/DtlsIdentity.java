package org.salotto.media.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

/**
 * The server's DTLS certificate and key: ECDSA P-256, self-signed, as WebRTC expects (RFC 8827 section 6.5; the peer
 * authenticates it by the fingerprint in our SDP, not by a CA).
 *
 * <p>Generated once per server process and shared by every {@link DtlsServerSession}. Immutable and thread-safe: the
 * certificate is kept as DER bytes (copied on the way out) and the private key parameters are never mutated by
 * BouncyCastle.
 */
public final class DtlsIdentity {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final X500Name SUBJECT = new X500Name("CN=salotto");
    private static final Duration BACKDATE = Duration.ofDays(1); // tolerate peers whose clocks run behind
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final byte[] certificateDer;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprintSha256;

    private DtlsIdentity(byte[] certificateDer, AsymmetricKeyParameter privateKey) {
        this.certificateDer = certificateDer;
        this.privateKey = privateKey;
        this.fingerprintSha256 = CertificateFingerprint.format("sha-256", certificateDer);
    }

    /** A fresh key pair and self-signed certificate (CN=salotto, random serial, valid from a day ago for 30 days). */
    public static DtlsIdentity generate() {
        X9ECParameters p256 = CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1);
        // Named (not explicit) domain parameters, so the certificate names the curve by OID as browsers require.
        ECNamedDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, p256);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, RANDOM));
        AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

        Instant now = Instant.now();
        BigInteger serial = new BigInteger(64, RANDOM).setBit(63); // positive, 8 bytes, never zero
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    SUBJECT, serial, Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), SUBJECT,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()));
            AlgorithmIdentifier signatureAlgorithm =
                    new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digestAlgorithm =
                    new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
            byte[] der = builder
                    .build(new BcECContentSignerBuilder(signatureAlgorithm, digestAlgorithm)
                            .build(keyPair.getPrivate()))
                    .getEncoded();
            return new DtlsIdentity(der, keyPair.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the DTLS certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the DTLS certificate", e);
        }
    }

    /** The SHA-256 fingerprint of the certificate in SDP form: upper-case hex bytes separated by colons. */
    public String fingerprintSha256() {
        return fingerprintSha256;
    }

    /** The DER-encoded X.509 certificate (a copy). */
    byte[] certificateDer() {
        return certificateDer.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "DtlsIdentity[sha-256 " + fingerprintSha256 + "]";
    }
}
