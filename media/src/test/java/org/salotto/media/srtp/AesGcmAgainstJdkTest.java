package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Our GCM (counter mode + Shoup-table GHASH) against the JDK's {@code AES/GCM/NoPadding}, over random keys, salts,
 * header lengths (AAD not a multiple of 16), payload lengths (0 to past one chunk of counter blocks) and indexes.
 */
class AesGcmAgainstJdkTest {

    private final SplittableRandom random = new SplittableRandom(7714);

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] jdkSeal(byte[] key, byte[] iv, byte[] aad, byte[] plaintext) throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        gcm.updateAAD(aad);
        return gcm.doFinal(plaintext);
    }

    @Test
    void srtpMatchesJdk() throws Exception {
        for (int round = 0; round < 400; round++) {
            byte[] key = randomBytes(16);
            byte[] salt = randomBytes(12);
            int csrcs = random.nextInt(16);
            int payloadLength = round < 40 ? round : random.nextInt(1600);
            byte[] packet = randomBytes(12 + 4 * csrcs + payloadLength);
            packet[0] = (byte) (0x80 | csrcs);
            int ssrc = random.nextInt();
            int seq = random.nextInt(0x10000);
            packet[2] = (byte) (seq >>> 8);
            packet[3] = (byte) seq;
            ByteBuffer.wrap(packet).putInt(8, ssrc);
            int header = 12 + 4 * csrcs;

            byte[] iv = new byte[12];
            ByteBuffer.wrap(iv).putInt(2, ssrc).putShort(10, (short) seq);
            for (int i = 0; i < 12; i++) {
                iv[i] ^= salt[i];
            }
            byte[] expected = jdkSeal(key, iv, Arrays.copyOf(packet, header),
                    Arrays.copyOfRange(packet, header, packet.length));

            SrtpContext context = SrtpContext.fromSessionKeys(SrtpProfile.AEAD_AES_128_GCM, key, salt, null,
                    key, salt, null);
            byte[] buf = Hex.withRoom(packet);
            int length = context.protectRtp(buf, 0, packet.length);
            assertEquals(packet.length + 16, length);
            assertArrayEquals(Arrays.copyOf(packet, header), Arrays.copyOf(buf, header));
            assertArrayEquals(expected, Arrays.copyOfRange(buf, header, length), "round " + round);

            SrtpContext receiver = SrtpContext.fromSessionKeys(SrtpProfile.AEAD_AES_128_GCM, key, salt, null,
                    key, salt, null);
            assertEquals(packet.length, receiver.unprotectRtp(buf, 0, length));
            assertArrayEquals(packet, Arrays.copyOf(buf, packet.length));
        }
    }

    @Test
    void srtcpMatchesJdk() throws Exception {
        for (int round = 0; round < 200; round++) {
            byte[] key = randomBytes(16);
            byte[] salt = randomBytes(12);
            byte[] packet = randomBytes(8 + random.nextInt(1500));
            packet[0] = (byte) 0x81;
            int ssrc = ByteBuffer.wrap(packet).getInt(4);
            int index = random.nextInt(Integer.MAX_VALUE);

            byte[] iv = new byte[12];
            ByteBuffer.wrap(iv).putInt(2, ssrc).putInt(8, index);
            for (int i = 0; i < 12; i++) {
                iv[i] ^= salt[i];
            }
            byte[] aad = ByteBuffer.allocate(12).put(packet, 0, 8).putInt(0x8000_0000 | index).array();
            byte[] expected = jdkSeal(key, iv, aad, Arrays.copyOfRange(packet, 8, packet.length));

            SrtpContext context = SrtpContext.fromSessionKeys(SrtpProfile.AEAD_AES_128_GCM, key, salt, null,
                    key, salt, null);
            context.setNextSrtcpIndex(ssrc, index);
            byte[] buf = Hex.withRoom(packet);
            int length = context.protectRtcp(buf, 0, packet.length);
            assertEquals(packet.length + 20, length);
            assertArrayEquals(expected, Arrays.copyOfRange(buf, 8, length - 4), "round " + round);
            assertEquals(0x8000_0000 | index, ByteBuffer.wrap(buf).getInt(length - 4));
        }
    }

    @Test
    void unencryptedSrtcpIsAuthenticatedOnly() throws Exception {
        // E=0 (RFC 7714 §9.2): the whole packet and the index word are AAD, there is no ciphertext.
        byte[] key = randomBytes(16);
        byte[] salt = randomBytes(12);
        byte[] packet = randomBytes(44);
        packet[0] = (byte) 0x81;
        int ssrc = ByteBuffer.wrap(packet).getInt(4);
        int index = 77;
        byte[] iv = new byte[12];
        ByteBuffer.wrap(iv).putInt(2, ssrc).putInt(8, index);
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
        byte[] aad = ByteBuffer.allocate(packet.length + 4).put(packet).putInt(index).array();
        byte[] tag = jdkSeal(key, iv, aad, new byte[0]);
        byte[] wire = ByteBuffer.allocate(packet.length + 20).put(packet).put(tag).putInt(index).array();

        SrtpContext context = SrtpContext.fromSessionKeys(SrtpProfile.AEAD_AES_128_GCM, key, salt, null,
                key, salt, null);
        assertEquals(packet.length, context.unprotectRtcp(wire, 0, wire.length));
        assertArrayEquals(packet, Arrays.copyOf(wire, packet.length));
        assertEquals(SrtpError.REPLAYED, context.unprotectRtcp(wire, 0, wire.length));
    }
}
