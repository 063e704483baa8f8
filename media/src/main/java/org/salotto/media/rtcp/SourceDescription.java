package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * Source description (SDES), RFC 3550 §6.5, PT 202: SC chunks, each an SSRC followed by items
 * (type, length, UTF-8 text) ended by one or more null octets up to the next 32-bit boundary.
 *
 * <pre>
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_1                          |
 * |    CNAME=1    |     length    | user and domain name        ...
 * |      ...      |      0        |     (null octets to a word boundary)
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_2 ...                      |
 * </pre>
 *
 * <p>Bytes after the last announced chunk are tolerated and ignored.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.5">RFC 3550 §6.5</a>
 */
public final class SourceDescription {
    public static final int END = 0;
    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;

    private SourceDescription() {
    }

    /** PT 202 with SC chunks that each end, with their null terminator, inside the packet. */
    public static boolean validate(byte[] b, int off, int len) {
        int end = RtcpPacket.contentEnd(b, off, len);
        if (end < 0 || RtcpPacket.packetType(b, off) != RtcpPacket.SDES) {
            return false;
        }
        int p = off + RtcpPacket.HEADER_LENGTH;
        for (int i = RtcpPacket.count(b, off); i > 0; i--) {
            p = chunkEnd(b, off, p, end);
            if (p < 0) {
                return false;
            }
        }
        return true;
    }

    public static int chunkCount(byte[] b, int off) {
        return RtcpPacket.count(b, off);
    }

    /** Offset of the i-th chunk ({@code 0 <= i < chunkCount}). Validate first. */
    public static int chunkOffset(byte[] b, int off, int i) {
        int p = off + RtcpPacket.HEADER_LENGTH;
        int end = off + RtcpPacket.contentLength(b, off);
        for (; i > 0; i--) {
            p = chunkEnd(b, off, p, end);
        }
        return p;
    }

    public static int chunkSsrc(byte[] b, int chunkOff) {
        return Bytes.i32(b, chunkOff);
    }

    public static void setChunkSsrc(byte[] b, int chunkOff, int ssrc) {
        Bytes.put32(b, chunkOff, ssrc);
    }

    /**
     * The offset of the first item of {@code type} in the chunk at {@code chunkOff}, pointing at its type octet;
     * the text is at {@code +2} and {@link #itemLength} long. -1 when absent. Validate first.
     */
    public static int findItem(byte[] b, int chunkOff, int type) {
        int p = chunkOff + 4;
        while (true) {
            int t = b[p] & 0xFF;
            if (t == END) {
                return -1;
            }
            if (t == type) {
                return p;
            }
            p += 2 + (b[p + 1] & 0xFF);
        }
    }

    public static int itemLength(byte[] b, int itemOff) {
        return b[itemOff + 1] & 0xFF;
    }

    /**
     * Writes an SDES packet with a single chunk holding one CNAME item.
     *
     * @param cname the CNAME's UTF-8 bytes {@code [cnameOff, cnameOff+cnameLen)}, at most 255
     * @return the packet length, or -1 when the CNAME is longer than 255 bytes
     */
    public static int writeCname(byte[] buf, int off, int ssrc, byte[] cname, int cnameOff, int cnameLen) {
        if (cnameLen < 0 || cnameLen > 255) {
            return -1;
        }
        // header + SSRC + type + length + text + at least one null octet, rounded up to a word.
        int length = (4 + 4 + 2 + cnameLen + 1 + 3) & ~3;
        RtcpPacket.writeHeader(buf, off, 1, RtcpPacket.SDES, length);
        Bytes.put32(buf, off + 4, ssrc);
        buf[off + 8] = CNAME;
        buf[off + 9] = (byte) cnameLen;
        System.arraycopy(cname, cnameOff, buf, off + 10, cnameLen);
        for (int p = off + 10 + cnameLen; p < off + length; p++) {
            buf[p] = 0;
        }
        return length;
    }

    /** Returns the offset after the chunk at {@code p} (word aligned relative to {@code off}), or -1. */
    private static int chunkEnd(byte[] b, int off, int p, int end) {
        if (p + 4 > end) {
            return -1;
        }
        p += 4;
        while (true) {
            if (p >= end) {
                return -1;
            }
            if (b[p] == END) {
                break;
            }
            if (p + 2 > end) {
                return -1;
            }
            p += 2 + (b[p + 1] & 0xFF);
        }
        int next = off + ((p + 1 - off + 3) & ~3);
        return next <= end ? next : -1;
    }
}
