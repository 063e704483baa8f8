package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** RFC 3711 Appendix B.3, key derivation test vectors (key derivation rate 0, index 0). */
class SrtpKdfTest {

    private static final byte[] MASTER_KEY = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void cipherKey() {
        assertArrayEquals(Hex.bytes("C61E7A93744F39EE10734AFE3FF7A087"),
                SrtpKdf.derive(MASTER_KEY, MASTER_SALT, SrtpKdf.LABEL_RTP_ENCRYPTION, 16));
    }

    @Test
    void cipherSalt() {
        assertArrayEquals(Hex.bytes("30CBBC08863D8C85D49DB34A9AE1"),
                SrtpKdf.derive(MASTER_KEY, MASTER_SALT, SrtpKdf.LABEL_RTP_SALT, 14));
    }

    @Test
    void authKeyAllNinetyFourBytesOfTheAppendix() {
        assertArrayEquals(Hex.bytes("""
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"""),
                SrtpKdf.derive(MASTER_KEY, MASTER_SALT, SrtpKdf.LABEL_RTP_AUTH, 94));
    }

    /**
     * AEAD_AES_128_GCM's 96-bit master salt is zero-padded to 112 bits before the label is XORed in at byte 7
     * (RFC 7714 §11, as libSRTP does). Expected value: the libSRTP-compatible session salt other implementations
     * publish for this key and salt; getting the padding or the label position wrong changes it.
     */
    @Test
    void gcmSessionSaltFromANinetySixBitMasterSalt() {
        byte[] key = Hex.bytes("000102030405060708090a0b0c0d0e0f");
        byte[] salt = Hex.bytes("404142434445464748494a4b");
        assertArrayEquals(Hex.bytes("1fcd5d561e66dc49ec1c3ccb"),
                SrtpKdf.derive(key, salt, SrtpKdf.LABEL_RTP_SALT, 12));
    }
}
