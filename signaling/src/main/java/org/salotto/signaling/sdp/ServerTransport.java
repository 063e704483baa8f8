package org.salotto.signaling.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.salotto.media.params.IceParameters;

/**
 * What Salotto says about its own end of a peer connection: ICE-lite credentials, the SHA-256 fingerprint of its DTLS
 * certificate, and its one host candidate (the single UDP port).
 *
 * @param ice               Salotto's ICE credentials for this peer connection
 * @param fingerprintSha256 32 hex bytes separated by colons (case does not matter; written upper-case)
 * @param candidateIp       the address browsers reach Salotto on, IPv4 or IPv6
 * @param candidatePort     the UDP port, 1-65535
 */
public record ServerTransport(IceParameters ice, String fingerprintSha256, String candidateIp, int candidatePort) {

    /** RFC 8445 section 5.1.2.1 with type preference 126 (host), local preference 65535, component 1. */
    static final long HOST_PRIORITY = 2130706431L;

    public ServerTransport {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(fingerprintSha256, "fingerprintSha256");
        fingerprintSha256 = fingerprintSha256.toUpperCase(Locale.ROOT);
        if (!fingerprintSha256.matches("[0-9A-F]{2}(:[0-9A-F]{2}){31}")) {
            throw new IllegalArgumentException("fingerprintSha256 must be 32 hex bytes separated by colons");
        }
        if (candidateIp == null || !candidateIp.matches("[0-9A-Fa-f.:]{2,45}")) {
            throw new IllegalArgumentException("candidateIp must be an IPv4 or IPv6 address: " + candidateIp);
        }
        if (candidatePort < 1 || candidatePort > 65535) throw new IllegalArgumentException("candidatePort " + candidatePort);
    }

    Connection connection() {
        return Connection.of(candidateIp);
    }

    /** ice-ufrag, ice-pwd, fingerprint and setup, as every m-section Salotto writes carries them. */
    List<Attribute> credentials(String setup) {
        return List.of(
                Attribute.of("ice-ufrag", ice.ufrag()),
                Attribute.of("ice-pwd", ice.pwd()),
                Attribute.of("fingerprint", "sha-256 " + fingerprintSha256),
                Attribute.of("setup", setup));
    }

    /** The one host candidate (RFC 8839 section 5.1) and the end of candidates: Salotto is ICE-lite, no trickling. */
    List<Attribute> candidates() {
        return List.of(
                Attribute.of("candidate", "1 1 udp " + HOST_PRIORITY + " " + candidateIp + " " + candidatePort + " typ host"),
                Attribute.flag("end-of-candidates"));
    }
}
