package org.salotto.media.srtp;

import java.nio.ByteBuffer;

/** Plain RTP/RTCP packets for tests. */
final class Packets {

    private Packets() {
    }

    /** An RTP packet, payload type 96, with {@code csrcs} CSRCs, an optional one-byte header extension. */
    static byte[] rtp(int ssrc, int seq, int payloadLength, int csrcs, boolean extension) {
        int extensionLength = extension ? 4 + 8 : 0;
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * csrcs + extensionLength + payloadLength);
        b.put((byte) (0x80 | (extension ? 0x10 : 0) | csrcs)).put((byte) 96).putShort((short) seq)
                .putInt(seq * 960).putInt(ssrc);
        for (int i = 0; i < csrcs; i++) {
            b.putInt(0x1000 + i);
        }
        if (extension) {
            b.putShort((short) 0xBEDE).putShort((short) 2).putLong(0x1122334455667788L);
        }
        for (int i = 0; i < payloadLength; i++) {
            b.put((byte) (seq + i));
        }
        return b.array();
    }

    static byte[] rtp(int ssrc, int seq) {
        return rtp(ssrc, seq, 160, 0, false);
    }

    /** A receiver report with one report block, then {@code extra} bytes of a following packet. */
    static byte[] rtcp(int ssrc, int extra) {
        ByteBuffer b = ByteBuffer.allocate(32 + extra);
        b.put((byte) 0x81).put((byte) 201).putShort((short) 7).putInt(ssrc);
        for (int i = 8; i < 32 + extra; i++) {
            b.put((byte) i);
        }
        return b.array();
    }
}
