package org.salotto.media.dtls;

import java.util.HexFormat;

/** Test helper: hex with spaces to bytes. */
final class Hex {
    private Hex() {}

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
