/**
 * The one UDP port every peer shares, and the WebRTC transports behind it.
 *
 * <p>{@link org.salotto.media.transport.MediaLoop} owns the socket and a single thread that reads it, demultiplexes
 * each datagram by its first byte (RFC 7983) and runs all per-packet work to the end: unprotect, forward, protect,
 * send. Everything a transport holds for media is touched only by that thread, so the per-packet path takes no lock.
 * Control calls (new transport, new consumer, close) are posted to the loop as tasks.
 *
 * <p>For peers whose UDP is blocked, {@link org.salotto.media.transport.TcpPort} (ICE-TCP, RFC 6544 and RFC 4571)
 * hands the packets of its TCP connections to the same loop, and so to the same demultiplexer and transports.
 */
package org.salotto.media.transport;
