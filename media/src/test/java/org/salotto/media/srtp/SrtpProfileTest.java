package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SrtpProfileTest {

    @Test
    void lengthsFromRfc5764AndRfc7714() {
        SrtpProfile cm = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        assertEquals(1, cm.id());
        assertEquals(16, cm.keyLength());
        assertEquals(14, cm.saltLength());
        assertEquals(10, cm.rtpAuthTagLength());
        assertEquals(14, cm.rtcpTrailerLength());
        SrtpProfile gcm = SrtpProfile.AEAD_AES_128_GCM;
        assertEquals(7, gcm.id());
        assertEquals(16, gcm.keyLength());
        assertEquals(12, gcm.saltLength());
        assertEquals(16, gcm.rtpAuthTagLength());
        assertEquals(20, gcm.rtcpTrailerLength());
        assertEquals(20, SrtpContext.maxOverhead());
    }

    @Test
    void fromId() {
        assertSame(SrtpProfile.AES128_CM_HMAC_SHA1_80, SrtpProfile.fromId(0x0001));
        assertSame(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.fromId(0x0007));
        assertNull(SrtpProfile.fromId(0x0002)); // AES128_CM_HMAC_SHA1_32: not supported
        assertNull(SrtpProfile.fromId(0x0008)); // AEAD_AES_256_GCM: not supported
        assertNull(SrtpProfile.fromId(-1));
    }

    @Test
    void errorsDescribeThemselves() {
        assertEquals("authentication failed", SrtpError.describe(SrtpError.AUTH_FAILED));
        assertEquals("replayed packet", SrtpError.describe(SrtpError.REPLAYED));
        assertEquals("unknown SRTP error -99", SrtpError.describe(-99));
    }
}
