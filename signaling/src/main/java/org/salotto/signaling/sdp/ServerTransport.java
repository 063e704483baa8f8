package org.salotto.signaling.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.salotto.media.params.IceParameters;

/**
 * What Salotto says about its own end of a peer connection: ICE-lite credentials, the SHA-256 fingerprint of its DTLS
 * certificate, and its host candidates: the single UDP port, and the ICE-TCP port (RFC 6544, passive) when it is open,
 * at a lower priority so that a browser whose UDP gets through prefers UDP.
 *
 * @param ice               Salotto's ICE credentials for this peer connection
 * @param fingerprintSha256 32 hex bytes separated by colons (case does not matter; written upper-case)
 * @param candidateIp       the address browsers reach Salotto on, IPv4 or IPv6
 * @param candidatePort     the UDP port, 1-65535
 * @param tcpPort           the ICE-TCP port, 1-65535, or 0 when there is none
 */
public record ServerTransport(IceParameters ice, String fingerprintSha256, String candidateIp, int candidatePort,
                              int tcpPort) {

    /** RFC 8445 section 5.1.2.1 with type preference 126 (host), local preference 65535, component 1. */
    static final long HOST_PRIORITY = 2130706431L;
    /**
     * The TCP host candidate's: type preference 126, local preference 2^13 * 4 (RFC 6544 section 4.2: direction
     * preference 4 for a passive host candidate) + 8191, component 1. Below the UDP one's.
     */
    static final long TCP_PASSIVE_HOST_PRIORITY = (126L << 24) + ((4L * 8192 + 8191) << 8) + 255;

    /** Without an ICE-TCP candidate. */
    public ServerTransport(IceParameters ice, String fingerprintSha256, String candidateIp, int candidatePort) {
        this(ice, fingerprintSha256, candidateIp, candidatePort, 0);
    }

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
        if (tcpPort < 0 || tcpPort > 65535) throw new IllegalArgumentException("tcpPort " + tcpPort);
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

    /** A copy with other ICE credentials (an ICE restart), the same candidates. */
    public ServerTransport withIce(IceParameters fresh) {
        return new ServerTransport(fresh, fingerprintSha256, candidateIp, candidatePort, tcpPort);
    }

    /**
     * The host candidates (RFC 8839 section 5.1): UDP, then the passive TCP one when there is an ICE-TCP port (RFC 6544
     * section 4.5, {@code tcptype passive}: the browser connects to it), and the end of candidates: Salotto is ICE-lite,
     * no trickling.
     */
    List<Attribute> candidates() {
        Attribute udp = Attribute.of("candidate",
                "1 1 udp " + HOST_PRIORITY + " " + candidateIp + " " + candidatePort + " typ host");
        if (tcpPort == 0) return List.of(udp, Attribute.flag("end-of-candidates"));
        return List.of(udp,
                Attribute.of("candidate", "2 1 tcp " + TCP_PASSIVE_HOST_PRIORITY + " " + candidateIp + " " + tcpPort
                        + " typ host tcptype passive"),
                Attribute.flag("end-of-candidates"));
    }
}
