package org.salotto.media.srtp;

/**
 * The SRTP key derivation function of <a href="https://www.rfc-editor.org/rfc/rfc3711#section-4.3">RFC 3711 §4.3</a>
 * with a key derivation rate of 0, using the AES-CM PRF (§4.3.3):
 *
 * <pre>
 *   key_id = label || 0 (48 bits)            -- r = index DIV kdr = 0
 *   x      = key_id XOR master_salt          -- both 112 bits, label lands in byte 7
 *   out    = AES-CM(master_key, IV = x * 2^16) truncated to the wanted length
 * </pre>
 *
 * AEAD_AES_128_GCM's 96-bit master salt is zero-padded on the right to 112 bits first (RFC 7714 §11; libsrtp does the
 * same). Runs at set-up only, so it may allocate.
 */
final class SrtpKdf {

    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTH = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTH = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private static final int PRF_SALT_LENGTH = 14;

    private SrtpKdf() {
    }

    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length > PRF_SALT_LENGTH) {
            throw new IllegalArgumentException("master salt longer than 112 bits");
        }
        byte[] iv = new byte[AesCounterMode.BLOCK];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        byte[] out = new byte[length];
        new AesCounterMode(masterKey).xor(iv, out, 0, length);
        return out;
    }
}
