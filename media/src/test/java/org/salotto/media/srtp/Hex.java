package org.salotto.media.srtp;

import java.util.HexFormat;

/** Hex literals for test vectors; whitespace is ignored so vectors can be laid out as in the RFCs. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", "").toLowerCase());
    }

    static String of(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    /** {@code packet} copied into a buffer with room for any trailer after it. */
    static byte[] withRoom(byte[] packet) {
        byte[] buf = new byte[packet.length + SrtpContext.maxOverhead()];
        System.arraycopy(packet, 0, buf, 0, packet.length);
        return buf;
    }
}
