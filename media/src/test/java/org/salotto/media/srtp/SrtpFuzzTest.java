package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random and mutated input through every unprotect path: nothing is thrown and nothing forged is accepted. Seeded,
 * so a failure reproduces.
 */
class SrtpFuzzTest {

    private static final int ROUNDS = 100_000;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void randomBuffersNeverThrowNorPass(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(3711 + profile.id());
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        SrtpContext context = new SrtpContext(profile, key, salt);
        byte[] buf = new byte[1600];
        for (int round = 0; round < ROUNDS; round++) {
            int len = random.nextInt(4) == 0 ? random.nextInt(64) : random.nextInt(buf.length);
            int off = random.nextInt(buf.length - len + 1);
            random.nextBytes(buf);
            if (random.nextBoolean()) {
                buf[off] = (byte) (0x80 | (buf[off] & 0x3F)); // version 2, to get past the first check
            }
            int rtp = context.unprotectRtp(buf, off, len);
            int rtcp = context.unprotectRtcp(buf, off, len);
            assertTrue(rtp < 0 && rtcp < 0, "round " + round);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void mutatedGenuinePacketsNeverThrowNorPass(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(7714 + profile.id());
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        SrtpContext sender = new SrtpContext(profile, key, salt);
        SrtpContext receiver = new SrtpContext(profile, key, salt);
        byte[] buf = new byte[400];
        for (int round = 0; round < ROUNDS / 10; round++) {
            boolean isRtp = random.nextBoolean();
            byte[] plain = isRtp
                    ? Packets.rtp(random.nextInt(4), round & 0xFFFF, random.nextInt(200), random.nextInt(3),
                    random.nextBoolean())
                    : Packets.rtcp(random.nextInt(4), random.nextInt(100));
            System.arraycopy(plain, 0, buf, 0, plain.length);
            int len = isRtp ? sender.protectRtp(buf, 0, plain.length) : sender.protectRtcp(buf, 0, plain.length);
            byte[] genuine = Arrays.copyOf(buf, len);
            do { // flips can cancel out, and a genuine packet must pass: mutate until it differs
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    buf[random.nextInt(len)] ^= (byte) (1 << random.nextInt(8));
                }
            } while (Arrays.equals(genuine, 0, len, buf, 0, len));
            if (random.nextInt(8) == 0) {
                len = random.nextInt(len); // and truncated
            }
            int result = isRtp ? receiver.unprotectRtp(buf, 0, len) : receiver.unprotectRtcp(buf, 0, len);
            assertTrue(result < 0, "round " + round);
        }
    }
}
