package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * Transport-wide congestion control feedback, draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1:
 * PT 205 (RTPFB), FMT 15. Reports, for a range of transport-wide sequence numbers, which packets arrived and when.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * |                     SSRC of packet sender                     |
 * |                      SSRC of media source                     |
 * |      base sequence number     |      packet status count      |
 * |                 reference time                | fb pkt. count |
 * |          packet chunk         |         packet chunk          |
 * .                              ...                              .
 * |         packet chunk          |  recv delta   |  recv delta   |
 * .                              ...                              .
 * |           recv delta          |  recv delta   | zero padding  |
 *
 * Run length chunk (§3.1.3):     |0| S |       run length (13)   |
 * Status vector chunk (§3.1.4):  |1|0|   14 one-bit symbols      |   0 not received, 1 small delta
 *                                |1|1| 7 two-bit symbols         |   00 not received, 01 small, 10 large/negative
 * </pre>
 *
 * <p>Reference time is 24 bits in units of 64 ms, read here as unsigned (it wraps every 2^24 · 64 ms ≈ 12.4 days).
 * Receive deltas are in 250 µs units: an unsigned byte for "small", a signed 16-bit word for "large"; the first is
 * relative to the reference time, each next one to the previous received packet.
 *
 * <p>{@link #forEachPacket} decodes without allocating: pass a long-lived {@link PacketVisitor}.
 * To build feedback see {@link TransportCcFeedbackBuilder}.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-3.1">
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1</a>
 */
public final class TransportCcFeedback {
    public static final int FMT = 15;
    public static final int HEADER_LENGTH = 20;
    public static final int NOT_RECEIVED = 0;
    public static final int SMALL_DELTA = 1;
    public static final int LARGE_DELTA = 2;
    public static final long REFERENCE_TIME_UNIT_MICROS = 64_000;
    public static final long DELTA_UNIT_MICROS = 250;
    public static final int MAX_RUN_LENGTH = 0x1FFF;

    /** Receives each reported packet in sequence order. */
    @FunctionalInterface
    public interface PacketVisitor {
        /**
         * @param sequenceNumber transport-wide sequence number, 0..65535
         * @param received       whether the packet arrived
         * @param arrivalMicros  arrival time: reference time · 64 ms plus the deltas so far; 0 when not received
         */
        void packet(int sequenceNumber, boolean received, long arrivalMicros);
    }

    private TransportCcFeedback() {
    }

    /**
     * PT 205 FMT 15 whose chunks cover the packet status count with no reserved symbol, and whose receive deltas fit
     * in the packet (before any padding).
     */
    public static boolean validate(byte[] b, int off, int len) {
        return RtcpFeedback.validate(b, off, len, RtcpPacket.RTPFB, FMT)
                && RtcpPacket.contentLength(b, off) >= HEADER_LENGTH
                && deltasOffset(b, off) >= 0;
    }

    public static int senderSsrc(byte[] b, int off) {
        return RtcpFeedback.senderSsrc(b, off);
    }

    public static int mediaSsrc(byte[] b, int off) {
        return RtcpFeedback.mediaSsrc(b, off);
    }

    public static void setSenderSsrc(byte[] b, int off, int ssrc) {
        RtcpFeedback.setSenderSsrc(b, off, ssrc);
    }

    public static void setMediaSsrc(byte[] b, int off, int ssrc) {
        RtcpFeedback.setMediaSsrc(b, off, ssrc);
    }

    public static int baseSequence(byte[] b, int off) {
        return Bytes.u16(b, off + 12);
    }

    public static int packetStatusCount(byte[] b, int off) {
        return Bytes.u16(b, off + 14);
    }

    /** The 24-bit reference time in 64 ms units, unsigned. */
    public static int referenceTime(byte[] b, int off) {
        return Bytes.u24(b, off + 16);
    }

    public static long referenceTimeMicros(byte[] b, int off) {
        return referenceTime(b, off) * REFERENCE_TIME_UNIT_MICROS;
    }

    /** The 8-bit feedback packet count the sender increments per feedback. */
    public static int feedbackPacketCount(byte[] b, int off) {
        return b[off + 19] & 0xFF;
    }

    /**
     * Validates, then calls {@code visitor} once per reported packet, in sequence order.
     *
     * @return the number of packets visited (the packet status count), or -1 when malformed (nothing visited)
     */
    public static int forEachPacket(byte[] b, int off, int len, PacketVisitor visitor) {
        if (!validate(b, off, len)) {
            return -1;
        }
        int count = packetStatusCount(b, off);
        int seq = baseSequence(b, off);
        long time = referenceTimeMicros(b, off);
        int p = off + HEADER_LENGTH;
        int d = deltasOffset(b, off);
        int done = 0;
        while (done < count) {
            int c = Bytes.u16(b, p);
            p += 2;
            int n;
            if ((c & 0x8000) == 0) {
                n = Math.min(c & MAX_RUN_LENGTH, count - done);
                int s = c >>> 13 & 3;
                for (int k = 0; k < n; k++) {
                    time = visit(b, d, s, seq, time, visitor);
                    d += s;
                    seq = (seq + 1) & 0xFFFF;
                }
            } else if ((c & 0x4000) == 0) {
                n = Math.min(14, count - done);
                for (int k = 0; k < n; k++) {
                    int s = c >>> (13 - k) & 1;
                    time = visit(b, d, s, seq, time, visitor);
                    d += s;
                    seq = (seq + 1) & 0xFFFF;
                }
            } else {
                n = Math.min(7, count - done);
                for (int k = 0; k < n; k++) {
                    int s = c >>> (12 - 2 * k) & 3;
                    time = visit(b, d, s, seq, time, visitor);
                    d += s;
                    seq = (seq + 1) & 0xFFFF;
                }
            }
            done += n;
        }
        return count;
    }

    private static long visit(byte[] b, int d, int symbol, int seq, long time, PacketVisitor visitor) {
        if (symbol == NOT_RECEIVED) {
            visitor.packet(seq, false, 0);
            return time;
        }
        long delta = symbol == SMALL_DELTA ? b[d] & 0xFF : (short) Bytes.u16(b, d);
        time += delta * DELTA_UNIT_MICROS;
        visitor.packet(seq, true, time);
        return time;
    }

    /**
     * Walks the chunks of a packet whose feedback header is known to fit.
     *
     * @return the offset of the first receive delta, or -1 when the chunks or deltas overrun the content or a
     * counted symbol is the reserved value 3
     */
    private static int deltasOffset(byte[] b, int off) {
        int end = off + RtcpPacket.contentLength(b, off);
        int count = packetStatusCount(b, off);
        int p = off + HEADER_LENGTH;
        int deltaBytes = 0;
        int done = 0;
        while (done < count) {
            if (p + 2 > end) {
                return -1;
            }
            int c = Bytes.u16(b, p);
            p += 2;
            if ((c & 0x8000) == 0) {
                int s = c >>> 13 & 3;
                if (s == 3) {
                    return -1;
                }
                int n = Math.min(c & MAX_RUN_LENGTH, count - done);
                deltaBytes += s * n;
                done += n;
            } else if ((c & 0x4000) == 0) {
                int n = Math.min(14, count - done);
                deltaBytes += Integer.bitCount((c & 0x3FFF) >>> (14 - n));
                done += n;
            } else {
                int n = Math.min(7, count - done);
                for (int k = 0; k < n; k++) {
                    int s = c >>> (12 - 2 * k) & 3;
                    if (s == 3) {
                        return -1;
                    }
                    deltaBytes += s;
                }
                done += n;
            }
        }
        return p + deltaBytes <= end ? p : -1;
    }
}
