/**
 * RTCP packets (RFC 3550 §6, RFC 4585, RFC 5104, REMB, transport-wide congestion control) as zero-allocation views.
 *
 * <p>Each packet type is a final class of static functions over {@code (byte[] buf, int off, int len)}, named for its
 * spec and citing the section. {@code validate} checks bounds and structure and never throws; other accessors assume
 * a validated packet. Writers return the number of bytes written and assume the buffer is large enough.
 * {@link org.salotto.media.rtcp.TransportCcFeedbackBuilder} is the one stateful class: one reusable builder per
 * transport.
 *
 * <p>Iterating a compound datagram without allocation:
 * <pre>{@code
 * if (RtcpPacket.validateCompound(b, off, len)) {
 *     for (int p = RtcpPacket.first(b, off, off + len); p >= 0; p = RtcpPacket.next(b, p, off + len)) {
 *         switch (RtcpPacket.packetType(b, p)) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>Conventions: SSRCs are {@code int}; sequence numbers {@code int} 0..65535; unsigned 32-bit fields (RTP timestamps,
 * counters, LSR/DLSR, jitter) are {@code long}; the 64-bit NTP timestamp is a {@code long} bit pattern.
 */
package org.salotto.media.rtcp;
