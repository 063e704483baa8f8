/**
 * DTLS-SRTP key agreement for WebRTC (RFC 5763, RFC 5764): the server's certificate ({@link
 * org.salotto.media.dtls.DtlsIdentity}) and one DTLS 1.2 server handshake per transport ({@link
 * org.salotto.media.dtls.DtlsServerSession}), whose result is an SRTP protection profile and keying material.
 *
 * <h2>Why BouncyCastle</h2>
 * The JDK's {@code SSLEngine} speaks DTLS but has no {@code use_srtp} extension and no RFC 5705 exporter, which are
 * the whole point here. BouncyCastle's low-level TLS API ({@code org.bouncycastle.tls}) has both, lets us choose
 * suites, demand and check a self-signed client certificate by fingerprint, and does DTLS retransmission and
 * fragmentation itself. Writing our own DTLS would be a security liability; the handshake is not on the per-packet path,
 * so its allocations and blocking style cost nothing that matters. The SRTP packet protection itself is elsewhere.
 *
 * <h2>Threading</h2>
 * <ul>
 *   <li>The media loop thread, which reads the shared UDP socket, demultiplexes DTLS by its first byte (RFC 7983:
 *       20-63) and calls {@link org.salotto.media.dtls.DtlsServerSession#offer}, which only copies the datagram into
 *       a bounded queue (64 entries) and returns false, for the caller to count, when it is full. It never waits.
 *   <li>Each session runs BouncyCastle's blocking handshake on its own virtual thread, reading from that queue and
 *       sending through a {@link org.salotto.media.dtls.DtlsServerSession.DatagramSender} on the shared socket. The
 *       listener is called on that thread. After the handshake the thread stays, parked on the queue, to answer a
 *       close_notify or a retransmitted final flight.
 *   <li>{@link org.salotto.media.dtls.DtlsServerSession#close} may be called from any thread. It never interrupts the
 *       session's thread (an interrupt during a {@code DatagramChannel} send would close the shared socket); it queues
 *       a wake-up instead.
 * </ul>
 *
 * <h2>Not supported yet</h2>
 * Application data (WebRTC data channels, SCTP over DTLS) is read and discarded. The server never acts as DTLS client
 * (we always answer {@code a=setup:passive}), and there is no HelloVerifyRequest cookie: ICE has already checked
 * that the peer owns its address.
 */
package org.salotto.media.dtls;
