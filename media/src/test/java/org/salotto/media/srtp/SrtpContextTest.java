package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour common to both profiles: DTLS key layout, replay, tampering, rollover, truncation. */
class SrtpContextTest {

    private static final int SSRC = 0x11223344;

    /** {inbound, outbound} of the DTLS client and of the DTLS server, from the same exporter output. */
    private record Session(SrtpContext clientIn, SrtpContext clientOut, SrtpContext serverIn, SrtpContext serverOut) {
    }

    private static Session session(SrtpProfile profile) {
        byte[] material = new byte[2 * (profile.keyLength() + profile.saltLength())];
        new SplittableRandom(profile.id()).nextBytes(material);
        SrtpContext[] client = SrtpContext.fromKeyingMaterial(profile, material, false);
        SrtpContext[] server = SrtpContext.fromKeyingMaterial(profile, material, true);
        return new Session(client[0], client[1], server[0], server[1]);
    }

    private static byte[] protectRtp(SrtpContext out, byte[] packet) {
        byte[] buf = Hex.withRoom(packet);
        int length = out.protectRtp(buf, 0, packet.length);
        assertEquals(packet.length + out.profile().rtpAuthTagLength(), length, SrtpError.describe(length));
        return Arrays.copyOf(buf, length);
    }

    private static byte[] protectRtcp(SrtpContext out, byte[] packet) {
        byte[] buf = Hex.withRoom(packet);
        int length = out.protectRtcp(buf, 0, packet.length);
        assertEquals(packet.length + out.profile().rtcpTrailerLength(), length, SrtpError.describe(length));
        return Arrays.copyOf(buf, length);
    }

    /** Unprotects a copy, so the caller's packet can be sent again. */
    private static int unprotectRtp(SrtpContext in, byte[] srtp) {
        return in.unprotectRtp(srtp.clone(), 0, srtp.length);
    }

    private static void assertRoundTrip(SrtpContext out, SrtpContext in, byte[] rtp) {
        byte[] srtp = protectRtp(out, rtp);
        byte[] buf = srtp.clone();
        assertEquals(rtp.length, in.unprotectRtp(buf, 0, buf.length));
        assertArrayEquals(rtp, Arrays.copyOf(buf, rtp.length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void dtlsClientAndServerTalkBothWays(SrtpProfile profile) {
        Session s = session(profile);
        assertRoundTrip(s.clientOut(), s.serverIn(), Packets.rtp(SSRC, 1));
        assertRoundTrip(s.serverOut(), s.clientIn(), Packets.rtp(SSRC, 1));

        byte[] rtcp = Packets.rtcp(SSRC, 20);
        byte[] srtcp = protectRtcp(s.serverOut(), rtcp);
        assertNotEquals(Hex.of(rtcp, 8, 24), Hex.of(srtcp, 8, 24), "E flag set: the body is encrypted");
        assertEquals(rtcp.length, s.clientIn().unprotectRtcp(srtcp, 0, srtcp.length));
        assertArrayEquals(rtcp, Arrays.copyOf(srtcp, rtcp.length));

        // each side sends with its own key: our own packets do not authenticate on our inbound context
        assertEquals(SrtpError.AUTH_FAILED, unprotectRtp(s.serverIn(), protectRtp(s.serverOut(), Packets.rtp(SSRC, 2))));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void wrongKeyingMaterialLengthIsRejected(SrtpProfile profile) {
        assertThrows(IllegalArgumentException.class, () -> SrtpContext.fromKeyingMaterial(profile, new byte[10], true));
        assertThrows(IllegalArgumentException.class, () -> new SrtpContext(profile, new byte[15], new byte[14]));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void headerWithCsrcsAndExtensionStaysClearAndAuthenticated(SrtpProfile profile) {
        Session s = session(profile);
        byte[] rtp = Packets.rtp(SSRC, 9, 100, 3, true);
        int header = 12 + 12 + 12;
        byte[] srtp = protectRtp(s.clientOut(), rtp);
        assertArrayEquals(Arrays.copyOf(rtp, header), Arrays.copyOf(srtp, header));
        assertNotEquals(Hex.of(rtp, header, 100), Hex.of(srtp, header, 100));
        byte[] tampered = srtp.clone();
        tampered[header - 1] ^= 0x01; // last byte of the extension
        assertEquals(SrtpError.AUTH_FAILED, unprotectRtp(s.serverIn(), tampered));
        assertEquals(rtp.length, unprotectRtp(s.serverIn(), srtp));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedRtpAndRtcpAreRefused(SrtpProfile profile) {
        Session s = session(profile);
        byte[] srtp = protectRtp(s.clientOut(), Packets.rtp(SSRC, 100));
        assertEquals(172, unprotectRtp(s.serverIn(), srtp));
        assertEquals(SrtpError.REPLAYED, unprotectRtp(s.serverIn(), srtp));

        byte[] srtcp = protectRtcp(s.clientOut(), Packets.rtcp(SSRC, 0));
        assertEquals(32, s.serverIn().unprotectRtcp(srtcp.clone(), 0, srtcp.length));
        assertEquals(SrtpError.REPLAYED, s.serverIn().unprotectRtcp(srtcp.clone(), 0, srtcp.length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void reorderedWithinTheWindowIsAcceptedOnceAndOlderIsTooOld(SrtpProfile profile) {
        Session s = session(profile);
        List<byte[]> sent = new ArrayList<>();
        for (int seq = 0; seq < 300; seq++) {
            sent.add(protectRtp(s.clientOut(), Packets.rtp(SSRC, seq)));
        }
        assertTrue(unprotectRtp(s.serverIn(), sent.get(250)) > 0);
        assertTrue(unprotectRtp(s.serverIn(), sent.get(200)) > 0, "50 behind: inside the window");
        assertTrue(unprotectRtp(s.serverIn(), sent.get(123)) > 0, "127 behind: the window's last slot");
        assertEquals(SrtpError.REPLAYED, unprotectRtp(s.serverIn(), sent.get(200)));
        assertEquals(SrtpError.TOO_OLD, unprotectRtp(s.serverIn(), sent.get(122)));
        assertTrue(unprotectRtp(s.serverIn(), sent.get(299)) > 0);
        assertEquals(SrtpError.TOO_OLD, unprotectRtp(s.serverIn(), sent.get(100)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyTamperedByteFailsAuthenticationAndChangesNothing(SrtpProfile profile) {
        Session s = session(profile);
        assertTrue(unprotectRtp(s.serverIn(), protectRtp(s.clientOut(), Packets.rtp(SSRC, 65000))) > 0);
        long highest = s.serverIn().highestRtpIndex(SSRC);
        // seq 65001 -> 1 would move the ROC to 1 if a forged packet could touch it
        byte[] srtp = protectRtp(s.clientOut(), Packets.rtp(SSRC, 65001, 40, 1, true));
        for (int i = 0; i < srtp.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = srtp.clone();
                tampered[i] ^= (byte) (1 << bit);
                byte[] before = tampered.clone();
                int result = s.serverIn().unprotectRtp(tampered, 0, tampered.length);
                assertTrue(result < 0, "byte " + i + " bit " + bit);
                // flips in the first byte or the extension length (18, 19) can make the header unparseable, in the
                // sequence number (2, 3) put the packet behind the replay window: refused before authentication
                boolean structural = i == 0 || i == 2 || i == 3 || i == 18 || i == 19;
                if (!structural) {
                    assertEquals(SrtpError.AUTH_FAILED, result, "byte " + i + " bit " + bit);
                }
                assertArrayEquals(before, tampered, "buffer untouched on failure");
                assertEquals(highest, s.serverIn().highestRtpIndex(SSRC), "state untouched on failure");
            }
        }
        assertEquals(srtp.length - profile.rtpAuthTagLength(), unprotectRtp(s.serverIn(), srtp));
        assertEquals(65001, s.serverIn().highestRtpIndex(SSRC));

        byte[] srtcp = protectRtcp(s.clientOut(), Packets.rtcp(SSRC, 4));
        for (int i = 2; i < srtcp.length; i++) {
            byte[] tampered = srtcp.clone();
            tampered[i] ^= 0x10;
            assertEquals(SrtpError.AUTH_FAILED, s.serverIn().unprotectRtcp(tampered, 0, tampered.length), "byte " + i);
        }
        assertEquals(36, s.serverIn().unprotectRtcp(srtcp, 0, srtcp.length), "not marked as seen by the forgeries");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void sequenceWrapMovesTheRolloverCounterOnBothSides(SrtpProfile profile) {
        Session s = session(profile);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(protectRtp(s.clientOut(), Packets.rtp(SSRC, (65530 + i) & 0xFFFF)));
        }
        assertEquals((1L << 16) | 13, s.clientOut().highestRtpIndex(SSRC));
        // delivered out of order across the wrap: 0..4 before 65534, 65535
        int[] order = {0, 1, 2, 3, 4, 7, 8, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
        for (int i : order) {
            assertEquals(172, unprotectRtp(s.serverIn(), sent.get(i)), "packet " + i);
        }
        assertEquals((1L << 16) | 13, s.serverIn().highestRtpIndex(SSRC));
        assertEquals(SrtpError.REPLAYED, unprotectRtp(s.serverIn(), sent.get(5)));
        assertEquals(SrtpError.REPLAYED, unprotectRtp(s.serverIn(), sent.get(6)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void manyWrapsStayInStep(SrtpProfile profile) {
        Session s = session(profile);
        byte[] buf = new byte[200];
        for (int i = 0; i < 3 * 65536 + 100; i += 7) {
            byte[] rtp = Packets.rtp(SSRC, i & 0xFFFF, 20, 0, false);
            System.arraycopy(rtp, 0, buf, 0, rtp.length);
            int length = s.clientOut().protectRtp(buf, 0, rtp.length);
            assertEquals(rtp.length, s.serverIn().unprotectRtp(buf, 0, length), "i " + i);
        }
        assertEquals(3, s.serverIn().highestRtpIndex(SSRC) >>> 16);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void truncatedPacketsAreTooShortAndNothingIsThrown(SrtpProfile profile) {
        Session s = session(profile);
        byte[] srtp = protectRtp(s.clientOut(), Packets.rtp(SSRC, 5, 0, 2, true));
        for (int len = 0; len < srtp.length; len++) {
            int result = s.serverIn().unprotectRtp(srtp.clone(), 0, len);
            assertTrue(result < 0, "length " + len);
            if (len < 12 + 8 + 12 + profile.rtpAuthTagLength()) {
                assertEquals(SrtpError.TOO_SHORT, result, "length " + len);
            }
        }
        byte[] srtcp = protectRtcp(s.clientOut(), Packets.rtcp(SSRC, 0));
        for (int len = 0; len < srtcp.length; len++) {
            int result = s.serverIn().unprotectRtcp(srtcp.clone(), 0, len);
            assertTrue(result == SrtpError.TOO_SHORT || result == SrtpError.AUTH_FAILED, "length " + len);
            if (len < 8 + profile.rtcpTrailerLength()) {
                assertEquals(SrtpError.TOO_SHORT, result, "length " + len);
            }
        }
        assertEquals(SrtpError.TOO_SHORT, s.clientOut().protectRtp(new byte[64], 0, 11));
        assertEquals(SrtpError.TOO_SHORT, s.clientOut().protectRtcp(new byte[64], 0, 7));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void malformedAndNoRoom(SrtpProfile profile) {
        Session s = session(profile);
        byte[] rtp = Packets.rtp(SSRC, 1);
        assertEquals(SrtpError.NO_ROOM, s.clientOut().protectRtp(rtp.clone(), 0, rtp.length));
        byte[] rtcp = Packets.rtcp(SSRC, 0);
        assertEquals(SrtpError.NO_ROOM, s.clientOut().protectRtcp(rtcp.clone(), 0, rtcp.length));
        byte[] v1 = Hex.withRoom(rtp);
        v1[0] = 0x40;
        assertEquals(SrtpError.MALFORMED, s.clientOut().protectRtp(v1, 0, rtp.length));
        assertEquals(SrtpError.MALFORMED, s.serverIn().unprotectRtp(v1, 0, rtp.length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpIndexCountsPerSsrcFromZero(SrtpProfile profile) {
        Session s = session(profile);
        for (int i = 0; i < 3; i++) {
            byte[] a = protectRtcp(s.clientOut(), Packets.rtcp(1, 0));
            byte[] b = protectRtcp(s.clientOut(), Packets.rtcp(2, 0));
            int at = profile == SrtpProfile.AEAD_AES_128_GCM ? a.length - 4 : a.length - 14;
            assertEquals(0x80000000 | i, java.nio.ByteBuffer.wrap(a).getInt(at));
            assertEquals(0x80000000 | i, java.nio.ByteBuffer.wrap(b).getInt(at));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void ssrcsBeyondTheLimitAreRefused(SrtpProfile profile) {
        Session s = session(profile);
        for (int ssrc = 0; ssrc < SrtpContext.MAX_SSRCS; ssrc++) {
            assertRoundTrip(s.clientOut(), s.serverIn(), Packets.rtp(ssrc * 7919, 1, 10, 0, false));
        }
        assertEquals(SrtpContext.MAX_SSRCS, s.serverIn().ssrcCount());
        byte[] rtp = Packets.rtp(-1, 1);
        assertEquals(SrtpError.SSRC_LIMIT, s.clientOut().protectRtp(Hex.withRoom(rtp), 0, rtp.length));
        // and every known SSRC still works after the map grew
        for (int ssrc = 0; ssrc < SrtpContext.MAX_SSRCS; ssrc++) {
            assertRoundTrip(s.clientOut(), s.serverIn(), Packets.rtp(ssrc * 7919, 2, 10, 0, false));
        }
    }

    /**
     * The transforms' working memory is per thread ({@link SrtpScratch}): contexts used on several threads at once must
     * produce exactly the packets they produce on one.
     */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void contextsOnSeveralThreadsAtOnceProtectAsOnOne(SrtpProfile profile) throws Exception {
        int threads = 4;
        int packets = 2_000;
        List<byte[]> expected = new ArrayList<>();
        SrtpContext reference = session(profile).serverOut();
        for (int seq = 0; seq < packets; seq++) {
            expected.add(protectRtp(reference, Packets.rtp(SSRC, seq, 40 + seq % 1200, 0, false)));
        }
        List<Thread> running = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            SrtpContext out = session(profile).serverOut();
            SrtpContext in = session(profile).clientIn();
            running.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int seq = 0; seq < packets; seq++) {
                        byte[] rtp = Packets.rtp(SSRC, seq, 40 + seq % 1200, 0, false);
                        byte[] srtp = protectRtp(out, rtp);
                        assertArrayEquals(expected.get(seq), srtp, "packet " + seq);
                        byte[] buf = srtp.clone();
                        assertEquals(rtp.length, in.unprotectRtp(buf, 0, buf.length), "packet " + seq);
                        assertArrayEquals(rtp, Arrays.copyOf(buf, rtp.length), "packet " + seq);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : running) thread.join();
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
    }
}
