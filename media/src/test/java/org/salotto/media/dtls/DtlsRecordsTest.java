package org.salotto.media.dtls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The framing check the media loop runs on every DTLS datagram before it is copied (RFC 6347 §4.1, §4.1.2.7). */
class DtlsRecordsTest {
    private static final String GCM_BODY_24 = "000000000000000100112233445566778899aabbccddeeff"; // nonce + tag

    private static boolean accepted(String hex, boolean connected) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        byte[] padded = new byte[b.length + 7]; // at an offset, with bytes after it that are not the datagram's
        System.arraycopy(b, 0, padded, 3, b.length);
        return DtlsRecords.acceptable(padded, 3, b.length, connected);
    }

    @Test
    void theFifteenByteEpochOneRecordIsRefused() {
        // application_data, DTLS 1.2, epoch 1, sequence 5, length 2: too short for any nonce and tag
        assertFalse(accepted("17 fefd 0001 000000000005 0002 abcd", true));
        assertFalse(accepted("15 fefd 0001 000000000005 0002 0100", true)); // the same as an alert
        assertFalse(accepted("15 fefd 0001 000000000005 0017 " + GCM_BODY_24.substring(2), true)); // 23 bytes
    }

    @Test
    void aProtectedRecordLongEnoughToHoldNonceAndTagPasses() {
        assertTrue(accepted("15 fefd 0001 000000000005 0018 " + GCM_BODY_24, true));
        assertTrue(accepted("17 fefd 0001 000000000006 0018 " + GCM_BODY_24, true));
        assertTrue(accepted("16 fefd 0001 000000000000 0018 " + GCM_BODY_24, false)); // the client's Finished
    }

    @Test
    void epochsWeNeverUseAreRefused() {
        assertFalse(accepted("15 fefd 0002 000000000001 0018 " + GCM_BODY_24, true));
        assertFalse(accepted("15 fefd ffff 000000000001 0018 " + GCM_BODY_24, false));
    }

    @Test
    void afterTheHandshakeEpochZeroCarriesOnlyTheClientsRetransmittedFlight() {
        assertFalse(accepted("15 fefd 0000 000000000009 0002 0200", true), "an alert in the clear");
        assertTrue(accepted("15 fefd 0000 000000000009 0002 0228", false), "a handshake_failure alert, mid-handshake");
        assertTrue(accepted("14 fefd 0000 000000000009 0001 01", true), "change_cipher_spec");
        assertTrue(accepted("16 fefd 0000 000000000003 000c 0f0000000004000000000000", true), "a handshake fragment");
        assertFalse(accepted("17 fefd 0000 000000000003 0004 00000000", false), "application data is never clear");
    }

    @Test
    void severalRecordsInOneDatagramAreEachChecked() {
        String ccs = "14 fefd 0000 000000000009 0001 01";
        String finished = "16 fefd 0001 000000000000 0018 " + GCM_BODY_24;
        assertTrue(accepted(ccs + finished, true));
        assertFalse(accepted(ccs + "17 fefd 0001 000000000001 0002 abcd", true), "a bad record after a good one");
        assertFalse(accepted(ccs + "14fefd", true), "a truncated header after a good record");
    }

    @Test
    void framingThatLiesIsRefused() {
        assertFalse(accepted("17 fefd 0001 000000000005 0040 " + GCM_BODY_24, true), "length past the datagram");
        assertFalse(accepted("18 fefd 0001 000000000005 0018 " + GCM_BODY_24, true), "heartbeat, never negotiated");
        assertFalse(accepted("19 fefd 0001 000000000005 0018 " + GCM_BODY_24, true), "content type 25");
        assertFalse(accepted("17 0303 0001 000000000005 0018 " + GCM_BODY_24, true), "a TLS version");
        assertFalse(accepted("17 fefc 0001 000000000005 0018 " + GCM_BODY_24, true), "DTLS 1.3's version");
        assertFalse(accepted("16 fefd 0000 000000000000 0000", false), "an empty handshake fragment");
        assertFalse(accepted("16 fefd 0000 0000000000", false), "a header cut short");
        assertTrue(accepted("16 feff 0000 000000000000 0001 01", false), "DTLS 1.0 in a ClientHello's record");
    }
}
