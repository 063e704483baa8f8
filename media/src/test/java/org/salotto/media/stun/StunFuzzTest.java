package org.salotto.media.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for {@link StunMessage#parse}, the first reader of every STUN datagram on the shared port. Contract:
 * null or a message, never an exception, and every accessor of a parsed message stays inside it. Round trip: the
 * type, transaction id and username of a parsed message, written again with integrity and fingerprint, read back the
 * same and verify. Corpus: {@code src/test/resources/org/salotto/media/stun/StunFuzzTestInputs/parse/} (RFC 5769
 * vectors and browser checks). {@code JAZZER_FUZZ=1} fuzzes for real (README, "Fuzzing").
 */
class StunFuzzTest {
    private static final byte[] KEY = "fuzzpasswordfuzzpassword".getBytes(StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] datagram) {
        // At an offset inside a larger buffer, as the loop's receive buffer holds it.
        byte[] buf = new byte[datagram.length + 9];
        System.arraycopy(datagram, 0, buf, 5, datagram.length);
        StunMessage m = StunMessage.parse(buf, 5, datagram.length);
        if (m == null) return;
        assertEquals(datagram.length, m.length());
        assertTrue(StunMessage.looksLikeStun(datagram, 0, datagram.length));
        byte[] tid = m.transactionId();
        String username = m.username();
        m.priority();
        m.errorCode();
        m.unknownComprehensionRequired();
        m.xorMappedAddress();
        m.verifyFingerprint();
        m.verifyMessageIntegrity(KEY);
        m.hasAttribute(StunAttribute.USE_CANDIDATE);

        StunMessageWriter w = new StunMessageWriter(m.type() & 0x3FFF, tid);
        if (username != null && username.getBytes(StandardCharsets.UTF_8).length <= 512) w.addUsername(username);
        byte[] again = w.addMessageIntegrity(KEY).addFingerprint().toByteArray();
        StunMessage back = StunMessage.parse(again, 0, again.length);
        assertNotNull(back, "what the writer wrote does not parse");
        assertEquals(m.type() & 0x3FFF, back.type());
        assertArrayEquals(tid, back.transactionId());
        if (username != null && username.getBytes(StandardCharsets.UTF_8).length <= 512) {
            assertEquals(username, back.username());
        }
        assertTrue(back.verifyMessageIntegrity(KEY));
        assertTrue(back.verifyFingerprint());
    }
}
