package org.salotto.media.rtp;

/**
 * RTP header extension elements, RFC 8285 §4, in both forms, read and rewritten in place inside an RTP packet.
 *
 * <pre>
 * One-byte form (§4.2), block profile 0xBEDE, ids 1..14, 1..16 data bytes:
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       0xBE    |    0xDE       |           length=3            |
 * |  ID   | L=0   |     data      |  ID   |  L=1  |   data...     |
 * |     ...data   |    0 (pad)    |    0 (pad)    |  ID   | L=3   |
 * |                          data                                 |
 *
 * Two-byte form (§4.3), block profile 0x100 + 4 app bits, ids 1..255, 0..255 data bytes:
 * |         0x100         |appbits|           length=3            |
 * |      ID       |     L=0       |     ID        |     L=1       |
 * |       data    |    0 (pad)    |       ID      |      L=4      |
 * </pre>
 *
 * <p>Bytes with id 0 are padding and skipped. In the one-byte form id 15 is reserved and ends parsing (§4.2).
 * Every function walks the packet's extension block and checks bounds against {@code len}, so these are safe on
 * unvalidated input; on a malformed block they return -1/false.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8285#section-4">RFC 8285 §4</a>
 */
public final class RtpHeaderExtensions {
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Upper 12 bits of the two-byte profile; the low 4 bits are application bits. */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    /** Reserved id in the one-byte form: never written, ends parsing when read. */
    public static final int ONE_BYTE_RESERVED_ID = 15;

    private RtpHeaderExtensions() {
    }

    /**
     * Finds element {@code id} in the RTP packet at {@code [off, off+len)}.
     *
     * @return {@code (dataOffset << 16) | dataLength} (absolute offset in {@code b}), or -1 when the packet has no
     * extension block, the element is absent, or the block is malformed
     */
    public static long locate(byte[] b, int off, int len, int id) {
        return walk(b, off, len, id, null);
    }

    /** The absolute offset of element {@code id}'s data, or -1 when absent or malformed. */
    public static int find(byte[] b, int off, int len, int id) {
        long packed = walk(b, off, len, id, null);
        return packed < 0 ? -1 : (int) (packed >>> 16);
    }

    /** The data length of element {@code id} (1..16 one-byte form, 0..255 two-byte form), or -1 when absent. */
    public static int elementLength(byte[] b, int off, int len, int id) {
        long packed = walk(b, off, len, id, null);
        return packed < 0 ? -1 : (int) (packed & 0xFFFF);
    }

    /** True when the packet has no extension block or a well-formed one (every element inside the block). */
    public static boolean validate(byte[] b, int off, int len) {
        return walk(b, off, len, -2, null) == -1 && RtpPacket.headerLength(b, off, len) >= 0;
    }

    /**
     * Rewrites every element id in place: {@code newId = idMap[oldId] & 0xFF}. The caller fills every entry it does
     * not want forwarded as-is with an id that is not negotiated on the outgoing transport (ids unknown to a receiver
     * are ignored by it, RFC 8285 §4.1.2). In the one-byte form new ids must be 1..14 (15 is reserved, 0 is padding);
     * in the two-byte form 1..255. Padding bytes are left alone.
     *
     * <p>Nothing is written unless the whole block is well-formed and every id it contains maps to a legal id.
     *
     * @param idMap indexed by old id; at least 15 entries for the one-byte form, up to 256 for the two-byte form
     * @return true when the ids were rewritten (or there was no extension block), false when nothing was changed
     * because the block is malformed or a mapping is missing or illegal
     */
    public static boolean remapIds(byte[] b, int off, int len, byte[] idMap) {
        if (idMap == null) {
            return false;
        }
        int h = RtpPacket.headerLength(b, off, len);
        if (h < 0) {
            return false;
        }
        if (!RtpPacket.hasExtension(b, off)) {
            return true;
        }
        if (walk(b, off, len, -2, idMap) != -1) { // dry run: checks structure and every mapping
            return false;
        }
        walk(b, off, len, -3, idMap);
        return true;
    }

    /**
     * The RFC 6464 ssrc-audio-level carried in element {@code id}: the level in -dBov, 0 (loudest) to 127 (silence).
     *
     * @return 0..127, or -1 when absent or malformed
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6464#section-3">RFC 6464 §3</a>
     */
    public static int audioLevel(byte[] b, int off, int len, int id) {
        int o = find(b, off, len, id);
        return o < 0 || elementLength(b, off, len, id) < 1 ? -1 : b[o] & 0x7F;
    }

    /**
     * The first byte of the RFC 6464 element {@code id}, read in one walk: the V bit (0x80) and the level in -dBov
     * (0x7F). For the per-packet path, which wants both.
     *
     * @return 0..255, or -1 when absent, empty or malformed
     */
    public static int audioLevelByte(byte[] b, int off, int len, int id) {
        long packed = locate(b, off, len, id);
        return packed < 0 || (packed & 0xFFFF) < 1 ? -1 : b[(int) (packed >>> 16)] & 0xFF;
    }

    /** The RFC 6464 voice-activity flag (V bit) of element {@code id}; false when absent. */
    public static boolean voiceActivity(byte[] b, int off, int len, int id) {
        long packed = locate(b, off, len, id);
        return packed >= 0 && (packed & 0xFFFF) >= 1 && (b[(int) (packed >>> 16)] & 0x80) != 0;
    }

    /**
     * The transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2) in element
     * {@code id}: 16 bits, 0..65535, or -1 when absent or shorter than 2 bytes.
     */
    public static int transportWideSequence(byte[] b, int off, int len, int id) {
        long packed = locate(b, off, len, id);
        return packed < 0 || (packed & 0xFFFF) < 2 ? -1 : Bytes.u16(b, (int) (packed >>> 16));
    }

    /** Rewrites the transport-wide sequence number in place; false when the element is absent or too short. */
    public static boolean setTransportWideSequence(byte[] b, int off, int len, int id, int seq) {
        long packed = locate(b, off, len, id);
        if (packed < 0 || (packed & 0xFFFF) < 2) {
            return false;
        }
        Bytes.put16(b, (int) (packed >>> 16), seq);
        return true;
    }

    /**
     * The one walk behind everything. {@code id > 0}: return the packed location of that element or -1.
     * {@code id == -2}: check the block (and, with a map, every mapping); return -1 when fine, -2 when not.
     * {@code id == -3}: rewrite ids through {@code idMap}; only after a successful check.
     */
    private static long walk(byte[] b, int off, int len, int id, byte[] idMap) {
        if (id == 0 || id < -3 || RtpPacket.headerLength(b, off, len) < 0 || !RtpPacket.hasExtension(b, off)) {
            return -1;
        }
        int ext = RtpPacket.extensionOffset(b, off);
        int profile = Bytes.u16(b, ext);
        int end = ext + 4 + 4 * Bytes.u16(b, ext + 2); // headerLength checked end <= off+len
        int p = ext + 4;
        long bad = id == -2 ? -2 : -1;
        if (profile == ONE_BYTE_PROFILE) {
            while (p < end) {
                int x = b[p] & 0xFF;
                int eid = x >>> 4;
                if (eid == 0) {
                    p++;
                    continue;
                }
                if (eid == ONE_BYTE_RESERVED_ID) {
                    break;
                }
                int l = (x & 0x0F) + 1;
                if (p + 1 + l > end) {
                    return bad;
                }
                if (eid == id) {
                    return (long) (p + 1) << 16 | l;
                }
                if (idMap != null) {
                    if (eid >= idMap.length) {
                        return bad;
                    }
                    int nid = idMap[eid] & 0xFF;
                    if (nid < 1 || nid > 14) {
                        return bad;
                    }
                    if (id == -3) {
                        b[p] = (byte) (nid << 4 | (x & 0x0F));
                    }
                }
                p += 1 + l;
            }
        } else if ((profile & 0xFFF0) == TWO_BYTE_PROFILE) {
            while (p < end) {
                int eid = b[p] & 0xFF;
                if (eid == 0) {
                    p++;
                    continue;
                }
                if (p + 2 > end) {
                    return bad;
                }
                int l = b[p + 1] & 0xFF;
                if (p + 2 + l > end) {
                    return bad;
                }
                if (eid == id) {
                    return (long) (p + 2) << 16 | l;
                }
                if (idMap != null) {
                    if (eid >= idMap.length || idMap[eid] == 0) {
                        return bad;
                    }
                    if (id == -3) {
                        b[p] = idMap[eid];
                    }
                }
                p += 2 + l;
            }
        }
        // Other profiles (RFC 3550 §5.3.1 generic extensions) carry no RFC 8285 elements.
        return -1;
    }
}
