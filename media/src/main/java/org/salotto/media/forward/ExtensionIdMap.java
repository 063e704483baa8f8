package org.salotto.media.forward;

import org.salotto.media.rtp.Bytes;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;

/**
 * A producer-to-subscriber map of RTP header extension ids (RFC 8285), shared by every consumer of one producer that
 * negotiated the same ids, which in an audience is nearly all of them. The map remembers the rewritten extension
 * block of the producer's current packet, so that a thousand copies cost one walk of the block and a thousand small
 * copies, not a thousand walks (the walks were the largest Java item of forwarding to an audience). Loop thread only.
 */
final class ExtensionIdMap {
    /** Extension blocks up to this size are remembered; longer ones are walked for every copy. */
    static final int CACHED_BLOCK = 64;
    private static final int NOT_REMAPPABLE = -1;
    private static final int TOO_LONG = -2;

    final byte[] ids;
    private final byte[] block = new byte[CACHED_BLOCK];
    private long packet = -1;
    private int blockOffset;
    private int blockLength;

    ExtensionIdMap(byte[] ids) {
        this.ids = ids;
    }

    /**
     * Rewrites the ids in {@code out}, a copy of the producer's packet number {@code packet} (a counter that changes
     * with every packet the producer forwards); a packet the map cannot rewrite is left as it is.
     */
    void apply(byte[] out, int len, long packet) {
        if (packet == this.packet) {
            if (blockLength > 0) System.arraycopy(block, 0, out, blockOffset, blockLength);
            else if (blockLength == TOO_LONG) RtpHeaderExtensions.remapIds(out, 0, len, ids);
            return;
        }
        this.packet = packet;
        if (!RtpHeaderExtensions.remapIds(out, 0, len, ids)) {
            blockLength = NOT_REMAPPABLE;
            return;
        }
        if (!RtpPacket.hasExtension(out, 0)) {
            blockLength = 0;
            return;
        }
        int ext = RtpPacket.extensionOffset(out, 0);
        int n = 4 * Bytes.u16(out, ext + 2);
        if (n > CACHED_BLOCK) {
            blockLength = TOO_LONG;
            return;
        }
        blockOffset = ext + 4;
        blockLength = n;
        System.arraycopy(out, blockOffset, block, 0, n);
    }
}
