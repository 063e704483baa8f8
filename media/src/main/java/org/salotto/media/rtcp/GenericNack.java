package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * Generic NACK, RFC 4585 §6.2.1: PT 205 (RTPFB), FMT 1. Each FCI entry names a lost packet (PID) and a bitmask of the
 * 16 following ones (BLP, bit i set means PID+i+1 is lost too).
 *
 * <pre>
 * |V=2|P|  FMT=1  |    PT=205     |          length               |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            PID                |             BLP               |  repeated
 * </pre>
 *
 * <p>Reading without allocation:
 * <pre>{@code
 * for (int i = 0, n = GenericNack.fciCount(b, off); i < n; i++) {
 *     int pid = GenericNack.pid(b, off, i), blp = GenericNack.blp(b, off, i);
 *     lost(pid);
 *     for (int k = 0; k < 16; k++) if ((blp & 1 << k) != 0) lost((pid + k + 1) & 0xFFFF);
 * }
 * }</pre>
 * or {@link #lostSequences} into a reusable {@code int[]}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1">RFC 4585 §6.2.1</a>
 */
public final class GenericNack {
    public static final int FMT = 1;
    public static final int ENTRY_LENGTH = 4;

    private GenericNack() {
    }

    /** PT 205 FMT 1 with at least one FCI entry. */
    public static boolean validate(byte[] b, int off, int len) {
        return RtcpFeedback.validate(b, off, len, RtcpPacket.RTPFB, FMT)
                && RtcpFeedback.fciLength(b, off) >= ENTRY_LENGTH;
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

    /** The number of whole PID/BLP entries. */
    public static int fciCount(byte[] b, int off) {
        return RtcpFeedback.fciLength(b, off) / ENTRY_LENGTH;
    }

    public static int pid(byte[] b, int off, int i) {
        return Bytes.u16(b, off + RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * i);
    }

    public static int blp(byte[] b, int off, int i) {
        return Bytes.u16(b, off + RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * i + 2);
    }

    public static void setPid(byte[] b, int off, int i, int pid) {
        Bytes.put16(b, off + RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * i, pid);
    }

    public static void setBlp(byte[] b, int off, int i, int blp) {
        Bytes.put16(b, off + RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * i + 2, blp);
    }

    /** The total number of lost sequence numbers the packet reports (PIDs plus BLP bits). Validate first. */
    public static int lostCount(byte[] b, int off) {
        int n = 0;
        for (int i = 0, c = fciCount(b, off); i < c; i++) {
            n += 1 + Integer.bitCount(blp(b, off, i));
        }
        return n;
    }

    /**
     * Writes every lost sequence number into {@code out}, in packet order, stopping when {@code out} is full.
     *
     * @return the number written
     */
    public static int lostSequences(byte[] b, int off, int[] out) {
        int n = 0;
        for (int i = 0, c = fciCount(b, off); i < c && n < out.length; i++) {
            int pid = pid(b, off, i);
            int blp = blp(b, off, i);
            out[n++] = pid;
            for (int k = 0; k < 16 && n < out.length; k++) {
                if ((blp & 1 << k) != 0) {
                    out[n++] = (pid + k + 1) & 0xFFFF;
                }
            }
        }
        return n;
    }

    /** The largest packet {@link #write} can produce for {@code count} sequence numbers. */
    public static int maxLength(int count) {
        return RtcpFeedback.HEADER_LENGTH + ENTRY_LENGTH * count;
    }

    /**
     * Writes a NACK for {@code lost[0..count)}, packing each sequence number into the BLP of the current entry when it
     * lies 1..16 after its PID, else opening a new entry. Give them in increasing order (modulo 2^16) for the tightest
     * packing; repeats of the current PID are skipped.
     *
     * @return the packet length, at most {@link #maxLength}; -1 when count is not positive
     */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc, int[] lost, int count) {
        if (count <= 0) {
            return -1;
        }
        int p = off + RtcpFeedback.HEADER_LENGTH;
        int pid = lost[0] & 0xFFFF;
        int blp = 0;
        for (int i = 1; i < count; i++) {
            int seq = lost[i] & 0xFFFF;
            int d = (seq - pid) & 0xFFFF;
            if (d == 0) {
                continue;
            }
            if (d <= 16) {
                blp |= 1 << (d - 1);
            } else {
                Bytes.put16(buf, p, pid);
                Bytes.put16(buf, p + 2, blp);
                p += ENTRY_LENGTH;
                pid = seq;
                blp = 0;
            }
        }
        Bytes.put16(buf, p, pid);
        Bytes.put16(buf, p + 2, blp);
        p += ENTRY_LENGTH;
        int length = p - off;
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.RTPFB, FMT, length, senderSsrc, mediaSsrc);
        return length;
    }
}
