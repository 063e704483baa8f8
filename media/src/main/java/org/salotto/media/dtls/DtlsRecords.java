package org.salotto.media.dtls;

/**
 * The record framing of an incoming DTLS 1.2 datagram (RFC 6347 §4.1), checked on the media loop before anything is
 * copied or decrypted: RFC 6347 §4.1.2.7 says invalid records are discarded silently, so a datagram that fails here is
 * dropped and counted by the caller and never reaches BouncyCastle, whose record layer would end the association on
 * some of them (a decode_error on a too-short ciphertext is fatal there).
 *
 * <pre>
 *  0               1               2               3
 *  +---------------+---------------+---------------+---------------+
 *  | content type  |  version (0xFEFD or 0xFEFF)   |     epoch ...
 *  +---------------+---------------+---------------+---------------+
 *    ... epoch     |      sequence number (48 bits) ...
 *  +---------------+---------------+---------------+---------------+
 *                     ...           |            length            |
 *  +---------------+---------------+---------------+---------------+
 * </pre>
 *
 * No allocation: the loop calls this for every DTLS datagram, forged ones included.
 */
public final class DtlsRecords {
    static final int HEADER_LENGTH = 13;
    /**
     * Smallest ciphertext of a protected record with the suites we offer: AES-GCM's 8-byte explicit nonce and 16-byte
     * tag around an empty plaintext (the CBC suites need at least 48: a 16-byte IV and two blocks).
     */
    static final int MIN_PROTECTED_LENGTH = 24;

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HANDSHAKE = 22;
    private static final int APPLICATION_DATA = 23;

    private DtlsRecords() {}

    /**
     * Whether every record in the datagram is well framed and in its place: content type change_cipher_spec, alert,
     * handshake or application_data (no heartbeat: we never negotiate it); a DTLS version; epoch 0 or 1, as we never
     * renegotiate; no application data in epoch 0; a protected (epoch 1) record at least {@link #MIN_PROTECTED_LENGTH} long; a length that fits the
     * datagram and no bytes left over. Once connected, epoch 0 carries only the client's retransmitted last flight
     * (handshake and change_cipher_spec), which lets us answer it when our Finished was lost.
     *
     * @param connected whether the handshake has completed
     */
    public static boolean acceptable(byte[] buf, int off, int len, boolean connected) {
        int at = off;
        int end = off + len;
        if (len < HEADER_LENGTH) return false;
        while (at < end) {
            if (end - at < HEADER_LENGTH) return false;
            int type = buf[at] & 0xFF;
            if (type < CHANGE_CIPHER_SPEC || type > APPLICATION_DATA) return false;
            if ((buf[at + 1] & 0xFF) != 0xFE) return false;
            int minor = buf[at + 2] & 0xFF;
            if (minor != 0xFD && minor != 0xFF) return false;
            int epoch = (buf[at + 3] & 0xFF) << 8 | buf[at + 4] & 0xFF;
            int length = (buf[at + 11] & 0xFF) << 8 | buf[at + 12] & 0xFF;
            if (length > end - at - HEADER_LENGTH) return false;
            if (epoch == 1) {
                if (length < MIN_PROTECTED_LENGTH) return false;
            } else if (epoch != 0 || type == APPLICATION_DATA
                    || connected && type != HANDSHAKE && type != CHANGE_CIPHER_SPEC) {
                return false; // unprotected application data never comes; alerts in the clear only during the handshake
            } else if (length == 0) {
                return false; // RFC 5246 §6.2.1: no empty handshake, alert or change_cipher_spec fragments
            }
            at += HEADER_LENGTH + length;
        }
        return true;
    }
}
