package org.salotto.media.rtp;

/** Test helper: hex strings (whitespace ignored) to bytes. */
public final class Hex {
    private Hex() {
    }

    public static byte[] decode(String hex) {
        String s = hex.replaceAll("\\s+", "");
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s, 2 * i, 2 * i + 2, 16);
        }
        return out;
    }

    /** {@code bytes} copied into a larger buffer at {@code off}, with junk around it, to catch offset bugs. */
    public static byte[] at(int off, byte[] bytes) {
        byte[] out = new byte[off + bytes.length + 7];
        java.util.Arrays.fill(out, (byte) 0xA5);
        System.arraycopy(bytes, 0, out, off, bytes.length);
        return out;
    }
}
