package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The per-packet path allocates nothing in steady state. Counts bytes allocated by this thread
 * ({@code com.sun.management.ThreadMXBean}) around protect + unprotect of 100k RTP and 100k RTCP packets after a
 * warm-up long enough for the JIT; an allocation check, not a timing check.
 */
class SrtpAllocationTest {

    private static final int PACKETS = 100_000;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectAndUnprotectAllocateNothing(SrtpProfile profile) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        SrtpContext sender = new SrtpContext(profile, key, salt);
        SrtpContext receiver = new SrtpContext(profile, key, salt);
        byte[] rtp = Packets.rtp(0x1234, 0, 1000, 0, true);
        byte[] rtcp = Packets.rtcp(0x1234, 60);
        byte[] buf = new byte[1500];

        int seq = 0;
        for (int i = 0; i < 2 * PACKETS; i++) { // warm-up: let C2 compile the whole path
            seq = roundTrip(sender, receiver, rtp, rtcp, buf, seq);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < PACKETS; i++) {
            seq = roundTrip(sender, receiver, rtp, rtcp, buf, seq);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < PACKETS, allocated + " bytes allocated for " + PACKETS + " packets");
    }

    private static int roundTrip(SrtpContext sender, SrtpContext receiver, byte[] rtp, byte[] rtcp, byte[] buf,
                                 int seq) {
        System.arraycopy(rtp, 0, buf, 0, rtp.length);
        buf[2] = (byte) (seq >>> 8);
        buf[3] = (byte) seq;
        int len = sender.protectRtp(buf, 0, rtp.length);
        assertEquals(rtp.length, receiver.unprotectRtp(buf, 0, len));
        System.arraycopy(rtcp, 0, buf, 0, rtcp.length);
        len = sender.protectRtcp(buf, 0, rtcp.length);
        assertEquals(rtcp.length, receiver.unprotectRtcp(buf, 0, len));
        return (seq + 1) & 0xFFFF;
    }
}
