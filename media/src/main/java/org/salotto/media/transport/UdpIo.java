package org.salotto.media.transport;

/**
 * How the media loop talks to its UDP socket, chosen once when the loop starts.
 *
 * <p>{@link #AUTO} (the default) takes {@link #NATIVE} where it is available (Linux, an IPv4 address, native access
 * enabled) and {@link #NIO} otherwise; the system property {@code salotto.media.udp} ({@code auto}, {@code native},
 * {@code nio}) overrides it for a whole process.
 */
public enum UdpIo {
    AUTO,
    /** {@code recvmmsg}/{@code sendmmsg} through the FFM API: up to 64 datagrams read and 256 sent per system call. */
    NATIVE,
    /** {@link java.nio.channels.DatagramChannel}: one system call per datagram, works everywhere. */
    NIO;

    static final String PROPERTY = "salotto.media.udp";

    /** AUTO resolved by the system property, if set. */
    static UdpIo fromProperty(UdpIo requested) {
        if (requested != AUTO) return requested;
        String p = System.getProperty(PROPERTY, "auto").trim().toUpperCase(java.util.Locale.ROOT);
        return switch (p) {
            case "NATIVE" -> NATIVE;
            case "NIO" -> NIO;
            case "AUTO", "" -> AUTO;
            default -> throw new IllegalArgumentException(PROPERTY + " must be auto, native or nio, not " + p);
        };
    }
}
