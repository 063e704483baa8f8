package org.salotto.media.bwe;

import org.salotto.media.rtp.Bytes;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;

/**
 * Writes the transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2, a 16-bit element)
 * into an outgoing RTP packet, in place: overwritten when the packet carries the element already (a publisher's, its id
 * rewritten to the subscriber's by the consumer), inserted otherwise, with the payload moved along (RFC 8285 §4: a new
 * one-byte block, or a word appended to the packet's one- or two-byte block).
 *
 * <pre>
 * one-byte form:  |  ID   | L=1   |  sequence number (16)         |  0 (pad)      |
 * two-byte form:  |      ID       |     L=2       |      sequence number (16)     |
 * </pre>
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-2">
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §2</a>
 */
public final class TransportWideSequenceWriter {
    private TransportWideSequenceWriter() {
    }

    /**
     * Sets the transport-wide sequence number of the RTP packet {@code b[off, off+len)}.
     *
     * @param capacity how far the packet may grow: {@code off + newLength} stays within {@code off + capacity}
     * @param id       the extension id the peer negotiated, 1..255 (1..14 fits the one-byte form)
     * @return the packet's new length (len, len+4 or len+8), or -1 when the packet is left as it was: a malformed or
     * non-RFC 8285 extension block, no room, or an id the block's form cannot carry
     */
    public static int write(byte[] b, int off, int len, int capacity, int id, int seq) {
        if (id < 1 || id > 255) return -1;
        int header = RtpPacket.headerLength(b, off, len);
        if (header < 0) return -1;
        if (!RtpPacket.hasExtension(b, off)) {
            if (len + 8 > capacity) return -1;
            int at = off + header;
            System.arraycopy(b, at, b, at + 8, len - header);
            if (id <= 14) {
                Bytes.put16(b, at, RtpHeaderExtensions.ONE_BYTE_PROFILE);
                Bytes.put16(b, at + 2, 1);
                b[at + 4] = (byte) (id << 4 | 1);
                Bytes.put16(b, at + 5, seq);
                b[at + 7] = 0;
            } else {
                Bytes.put16(b, at, RtpHeaderExtensions.TWO_BYTE_PROFILE);
                Bytes.put16(b, at + 2, 1);
                b[at + 4] = (byte) id;
                b[at + 5] = 2;
                Bytes.put16(b, at + 6, seq);
            }
            b[off] |= 0x10;
            return len + 8;
        }
        long packed = RtpHeaderExtensions.locate(b, off, len, id);
        if (packed >= 0) {
            if ((packed & 0xFFFF) < 2) return -1;
            Bytes.put16(b, (int) (packed >>> 16), seq);
            return len;
        }
        if (!RtpHeaderExtensions.validate(b, off, len)) return -1;
        int ext = RtpPacket.extensionOffset(b, off);
        int profile = Bytes.u16(b, ext);
        boolean oneByte = profile == RtpHeaderExtensions.ONE_BYTE_PROFILE;
        boolean twoByte = (profile & 0xFFF0) == RtpHeaderExtensions.TWO_BYTE_PROFILE;
        int words = Bytes.u16(b, ext + 2);
        if (!(oneByte && id <= 14 || twoByte) || words == 0xFFFF || len + 4 > capacity) return -1;
        int at = ext + 4 + 4 * words; // the end of the block: the word goes there
        System.arraycopy(b, at, b, at + 4, off + len - at);
        if (oneByte) {
            b[at] = (byte) (id << 4 | 1);
            Bytes.put16(b, at + 1, seq);
            b[at + 3] = 0;
        } else {
            b[at] = (byte) id;
            b[at + 1] = 2;
            Bytes.put16(b, at + 2, seq);
        }
        Bytes.put16(b, ext + 2, words + 1);
        return len + 4;
    }
}
