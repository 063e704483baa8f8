package org.salotto.media.stun;

import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;
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
public class StunFuzzTest {
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

    /** Writes the corpus: the RFC 5769 vectors, a browser's checks, an indication and an error answer. */
    @Test
    void writeSeeds() {
        FuzzSeeds.write(StunFuzzTest.class, "parse", "rfc5769-request", StunMessageTest.SAMPLE_REQUEST);
        FuzzSeeds.write(StunFuzzTest.class, "parse", "rfc5769-ipv4-response", StunMessageTest.SAMPLE_IPV4_RESPONSE);
        FuzzSeeds.write(StunFuzzTest.class, "parse", "rfc5769-ipv6-response", StunMessageTest.SAMPLE_IPV6_RESPONSE);
        for (String[] seed : browserChecks()) {
            FuzzSeeds.write(StunFuzzTest.class, "parse", seed[0], java.util.HexFormat.of().parseHex(seed[1]));
        }
    }

    /** Name and hex of checks as Chrome sends them, and what the server answers. Shared with the ICE-lite target. */
    public static String[][] browserChecks() {
        byte[] tid = java.util.HexFormat.of().parseHex("4a6b3c2d1e0f11223344aabb");
        byte[] pwd = "fuzzpasswordfuzzpassword".getBytes(StandardCharsets.UTF_8);
        byte[] check = new StunMessageWriter(StunMessageType.BINDING_REQUEST, tid)
                .addUsername("srv1:cli1")
                .addAttribute(StunAttribute.GOOG_NETWORK_INFO, new byte[] {0, 1, 0, 10})
                .addAttribute(StunAttribute.ICE_CONTROLLING, java.util.HexFormat.of().parseHex("1b2c3d4e5f607182"))
                .addAttribute(StunAttribute.USE_CANDIDATE, new byte[0])
                .addPriority(1853817087L)
                .addMessageIntegrity(pwd).addFingerprint().toByteArray();
        byte[] keepalive = new StunMessageWriter(StunMessageType.BINDING_REQUEST, tid)
                .addUsername("srv1:cli1").addAttribute(StunAttribute.ICE_CONTROLLING, new byte[8]).addPriority(1845501695L)
                .addMessageIntegrity(pwd).addFingerprint().toByteArray();
        byte[] bare = new StunMessageWriter(StunMessageType.BINDING_REQUEST, tid).toByteArray();
        byte[] indication = new StunMessageWriter(StunMessageType.BINDING_INDICATION, tid).addFingerprint().toByteArray();
        byte[] success = new StunMessageWriter(StunMessageType.BINDING_SUCCESS_RESPONSE, tid)
                .addXorMappedAddress(new java.net.InetSocketAddress("192.0.2.7", 50000))
                .addMessageIntegrity(pwd).addFingerprint().toByteArray();
        byte[] error = new StunMessageWriter(StunMessageType.BINDING_ERROR_RESPONSE, tid)
                .addErrorCode(420, "Unknown Attribute").addSoftware("salotto").addUnknownAttributes(new int[] {0x0003, 0x7F00})
                .addFingerprint().toByteArray();
        byte[] unknownRequired = new StunMessageWriter(StunMessageType.BINDING_REQUEST, tid)
                .addUsername("srv1:cli1").addAttribute(0x0003, new byte[] {0, 0, 0, 4})
                .addMessageIntegrity(pwd).addFingerprint().toByteArray();
        java.util.HexFormat hex = java.util.HexFormat.of();
        return new String[][] {
                {"chrome-check-use-candidate", hex.formatHex(check)}, {"chrome-consent-check", hex.formatHex(keepalive)},
                {"bare-binding-request", hex.formatHex(bare)}, {"binding-indication", hex.formatHex(indication)},
                {"success-response", hex.formatHex(success)}, {"error-response-420", hex.formatHex(error)},
                {"unknown-comprehension-required", hex.formatHex(unknownRequired)}};
    }
}
