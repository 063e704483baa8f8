package org.salotto.media.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate fingerprint as carried in SDP ({@code a=fingerprint}, RFC 8122 section 5): a hash function name and the
 * hash of the DER-encoded certificate, written as upper-case hex bytes separated by colons.
 *
 * <p>Only the hash functions WebRTC endpoints actually use are accepted (RFC 8122 also lists md2/md5/sha-224, which no
 * browser emits and which we do not want to trust).
 */
final class CertificateFingerprint {
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private final String algorithm;
    private final byte[] digest;

    private CertificateFingerprint(String algorithm, byte[] digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /**
     * Parses an SDP fingerprint.
     *
     * @throws IllegalArgumentException for an unsupported hash function or malformed hex, or a length that does not
     *                                  match the hash function
     */
    static CertificateFingerprint parse(String algorithm, String fingerprint) {
        String name = algorithm.trim().toLowerCase(Locale.ROOT);
        MessageDigest md = newDigest(name);
        byte[] digest;
        try {
            digest = COLON_HEX.parseHex(fingerprint.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed " + name + " fingerprint: " + fingerprint, e);
        }
        if (digest.length != md.getDigestLength()) {
            throw new IllegalArgumentException(
                    name + " fingerprint has " + digest.length + " bytes, expected " + md.getDigestLength());
        }
        return new CertificateFingerprint(name, digest);
    }

    /** The SDP form of {@code algorithm}'s hash of {@code derCertificate}, e.g. {@code "AB:CD:..."}. */
    static String format(String algorithm, byte[] derCertificate) {
        return COLON_HEX.formatHex(newDigest(algorithm).digest(derCertificate));
    }

    /** Whether {@code derCertificate} hashes to this fingerprint; constant-time in the digest comparison. */
    boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(digest, newDigest(algorithm).digest(derCertificate));
    }

    String algorithm() {
        return algorithm;
    }

    @Override
    public String toString() {
        return algorithm + " " + COLON_HEX.formatHex(digest);
    }

    private static MessageDigest newDigest(String sdpName) {
        String jcaName = switch (sdpName) {
            case "sha-1" -> "SHA-1";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported fingerprint hash function: " + sdpName);
        };
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e); // every JDK has all four
        }
    }
}
