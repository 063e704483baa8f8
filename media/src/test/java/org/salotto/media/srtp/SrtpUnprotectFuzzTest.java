package org.salotto.media.srtp;

import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.media.rtp.RtpPacket;

/**
 * Jazzer targets for SRTP and SRTCP unprotect in both profiles, what every datagram from a bound address goes through
 * before any RTP or RTCP reader. Each input is read as a protected packet by a fresh receiver with a fixed key: the
 * answer is a length inside the packet or one of {@link SrtpError}'s codes, never an exception, and the bytes past the
 * packet are never touched. The same input, when it is a valid RTP or RTCP packet, is protected and unprotected again
 * and must come back byte for byte. Corpus: {@code src/test/resources/org/salotto/media/srtp/SrtpUnprotectFuzzTestInputs/}
 * (packets protected with {@link #KEY} and {@link #SALT}, so they pass authentication as given).
 */
class SrtpUnprotectFuzzTest {
    static final byte[] KEY = bytes(16, 0x11);
    static final byte[] SALT = bytes(14, 0x5A);

    @FuzzTest(maxDuration = "30s")
    void rtpAesCm(byte[] packet) {
        rtp(SrtpProfile.AES128_CM_HMAC_SHA1_80, packet);
    }

    @FuzzTest(maxDuration = "30s")
    void rtpGcm(byte[] packet) {
        rtp(SrtpProfile.AEAD_AES_128_GCM, packet);
    }

    @FuzzTest(maxDuration = "30s")
    void rtcpAesCm(byte[] packet) {
        rtcp(SrtpProfile.AES128_CM_HMAC_SHA1_80, packet);
    }

    @FuzzTest(maxDuration = "30s")
    void rtcpGcm(byte[] packet) {
        rtcp(SrtpProfile.AEAD_AES_128_GCM, packet);
    }

    static SrtpContext context(SrtpProfile profile) {
        return new SrtpContext(profile, KEY, Arrays.copyOf(SALT, profile.saltLength()));
    }

    private static void rtp(SrtpProfile profile, byte[] packet) {
        byte[] buf = withGuard(packet, 0);
        int result = context(profile).unprotectRtp(buf, 0, packet.length);
        checkResult(result, packet.length - profile.rtpAuthTagLength(), buf, packet.length);

        if (RtpPacket.validate(packet, 0, packet.length) < 0) return;
        byte[] room = withGuard(packet, profile.rtpAuthTagLength());
        int protectedLength = context(profile).protectRtp(room, 0, packet.length);
        assertEquals(packet.length + profile.rtpAuthTagLength(), protectedLength, SrtpError.describe(protectedLength));
        int back = context(profile).unprotectRtp(room, 0, protectedLength);
        assertEquals(packet.length, back, SrtpError.describe(back));
        assertArrayEquals(packet, Arrays.copyOf(room, back));
    }

    private static void rtcp(SrtpProfile profile, byte[] packet) {
        byte[] buf = withGuard(packet, 0);
        int result = context(profile).unprotectRtcp(buf, 0, packet.length);
        checkResult(result, packet.length - profile.rtcpTrailerLength(), buf, packet.length);

        // SRTCP needs the first packet's SSRC (RFC 3711 §3.4): a header-only compound is not protected at all.
        if (packet.length < 8 || !RtcpPacket.validateCompound(packet, 0, packet.length)) return;
        byte[] room = withGuard(packet, profile.rtcpTrailerLength());
        int protectedLength = context(profile).protectRtcp(room, 0, packet.length);
        assertEquals(packet.length + profile.rtcpTrailerLength(), protectedLength, SrtpError.describe(protectedLength));
        int back = context(profile).unprotectRtcp(room, 0, protectedLength);
        assertEquals(packet.length, back, SrtpError.describe(back));
        assertArrayEquals(packet, Arrays.copyOf(room, back));
    }

    /** The result is the plain length or an error code; the guard bytes after the packet are untouched. */
    private static void checkResult(int result, int plainLength, byte[] buf, int len) {
        if (result >= 0) {
            assertEquals(plainLength, result, "unprotect accepted a packet and gave a wrong length");
        } else {
            assertTrue(result >= SrtpError.SSRC_LIMIT, "not an SrtpError code: " + result);
        }
        for (int i = len; i < buf.length; i++) assertEquals(GUARD, buf[i], "wrote past the packet");
    }

    private static final byte GUARD = (byte) 0xC3;
    private static final int GUARD_LENGTH = 8;

    /** The packet, then {@code room} zero bytes for a tag, then guard bytes. */
    private static byte[] withGuard(byte[] packet, int room) {
        byte[] buf = new byte[packet.length + room + GUARD_LENGTH];
        System.arraycopy(packet, 0, buf, 0, packet.length);
        Arrays.fill(buf, packet.length + room, buf.length, GUARD);
        return buf;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (seed + 7 * i);
        return b;
    }

    /**
     * Writes the corpus: RTP and RTCP packets of several shapes protected with the fixed key (they pass as given), and
     * the same packets in the clear (for the round trip).
     */
    @Test
    void writeSeeds() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            String suffix = profile == SrtpProfile.AES128_CM_HMAC_SHA1_80 ? "AesCm" : "Gcm";
            SrtpContext sender = context(profile);
            byte[][] rtps = {Packets.rtp(0x11223344, 1), Packets.rtp(0x11223344, 2, 20, 2, true),
                    Packets.rtp(0x55667788, 65535, 0, 0, false), Packets.rtp(0x55667788, 7, 1000, 1, true)};
            for (int i = 0; i < rtps.length; i++) {
                byte[] buf = Arrays.copyOf(rtps[i], rtps[i].length + profile.rtpAuthTagLength());
                int n = sender.protectRtp(buf, 0, rtps[i].length);
                FuzzSeeds.write(SrtpUnprotectFuzzTest.class, "rtp" + suffix, "protected-" + i, Arrays.copyOf(buf, n));
                FuzzSeeds.write(SrtpUnprotectFuzzTest.class, "rtp" + suffix, "clear-" + i, rtps[i]);
            }
            byte[][] rtcps = {Packets.rtcp(0x11223344, 0), Packets.rtcp(0x55667788, 0)};
            for (int i = 0; i < rtcps.length; i++) {
                byte[] buf = Arrays.copyOf(rtcps[i], rtcps[i].length + profile.rtcpTrailerLength());
                int n = sender.protectRtcp(buf, 0, rtcps[i].length);
                FuzzSeeds.write(SrtpUnprotectFuzzTest.class, "rtcp" + suffix, "protected-" + i, Arrays.copyOf(buf, n));
                FuzzSeeds.write(SrtpUnprotectFuzzTest.class, "rtcp" + suffix, "clear-" + i, rtcps[i]);
            }
        }
    }
}
