package org.salotto.media.params;

/**
 * The peer's certificate fingerprint from its SDP (RFC 8122), which its DTLS certificate must match.
 *
 * @param algorithm   hash function name as in SDP, e.g. "sha-256"
 * @param fingerprint upper-case hex bytes separated by colons
 */
public record DtlsParameters(String algorithm, String fingerprint) {
    public DtlsParameters {
        algorithm = algorithm.toLowerCase(java.util.Locale.ROOT);
        fingerprint = fingerprint.toUpperCase(java.util.Locale.ROOT);
    }
}
