package org.salotto.media.stun;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 5769 test vectors and byte-literal checks. */
class StunMessageTest {
    private static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TRANSACTION_ID = hex("b7e7a701bc34d686fa87dfae");

    /** RFC 5769 §2.1. */
    static final byte[] SAMPLE_REQUEST = hex("""
            000100582112a442b7e7a701bc34d686fa87dfae
            802200105354554e20746573742063 6c69656e74
            002400046e0001ff
            80290008932ff9b151263b36
            000600096576746a3a68367659202020
            000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2
            80280004e57a3bcf""");

    /** RFC 5769 §2.2. */
    static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            0101003c2112a442b7e7a701bc34d686fa87dfae
            8022000b7465737420766563746f7220
            002000080001a147e112a643
            000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7
            80280004c07d4c96""");

    /** RFC 5769 §2.3. */
    static final byte[] SAMPLE_IPV6_RESPONSE = hex("""
            010100482112a442b7e7a701bc34d686fa87dfae
            8022000b7465737420766563746f7220
            002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9
            00080014a382954e4be67bf11784c97c8292c275bfe3ed41
            80280004c8fb0b4c""");

    @Test
    void sampleRequestParsesAndVerifies() {
        assertEquals(108, SAMPLE_REQUEST.length);
        StunMessage m = StunMessage.parse(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length);
        assertNotNull(m);
        assertEquals(StunMessageType.BINDING_REQUEST, m.type());
        assertArrayEquals(TRANSACTION_ID, m.transactionId());
        assertEquals("evtj:h6vY", m.username());
        assertEquals(1845494271L, m.priority());
        assertTrue(m.hasAttribute(StunAttribute.ICE_CONTROLLED));
        assertTrue(m.verifyMessageIntegrity(PASSWORD));
        assertFalse(m.verifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBr".getBytes(StandardCharsets.UTF_8)));
        assertTrue(m.verifyFingerprint());
    }

    @Test
    void sampleIpv4ResponseParsesAndVerifies() {
        StunMessage m = StunMessage.parse(SAMPLE_IPV4_RESPONSE, 0, SAMPLE_IPV4_RESPONSE.length);
        assertNotNull(m);
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, m.type());
        assertEquals(new InetSocketAddress("192.0.2.1", 32853), m.xorMappedAddress());
        assertTrue(m.verifyMessageIntegrity(PASSWORD));
        assertTrue(m.verifyFingerprint());
    }

    @Test
    void sampleIpv6ResponseParsesAndVerifies() throws Exception {
        StunMessage m = StunMessage.parse(SAMPLE_IPV6_RESPONSE, 0, SAMPLE_IPV6_RESPONSE.length);
        assertNotNull(m);
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                m.xorMappedAddress());
        assertTrue(m.verifyMessageIntegrity(PASSWORD));
        assertTrue(m.verifyFingerprint());
    }

    @Test
    void writerReproducesSampleIpv4ResponseByteForByte() {
        byte[] built = new StunMessageWriter(StunMessageType.BINDING_SUCCESS_RESPONSE, TRANSACTION_ID)
                .addAttribute(StunAttribute.SOFTWARE, "test vector".getBytes(StandardCharsets.UTF_8), 0x20)
                .addXorMappedAddress(new InetSocketAddress("192.0.2.1", 32853))
                .addMessageIntegrity(PASSWORD)
                .addFingerprint()
                .toByteArray();
        assertArrayEquals(SAMPLE_IPV4_RESPONSE, built);
    }

    @Test
    void writerReproducesSampleRequestByteForByte() {
        byte[] built = new StunMessageWriter(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
                .addAttribute(StunAttribute.SOFTWARE, "STUN test client".getBytes(StandardCharsets.UTF_8), 0x20)
                .addPriority(1845494271L)
                .addAttribute(StunAttribute.ICE_CONTROLLED, hex("932ff9b151263b36"))
                .addAttribute(StunAttribute.USERNAME, "evtj:h6vY".getBytes(StandardCharsets.UTF_8), 0x20)
                .addMessageIntegrity(PASSWORD)
                .addFingerprint()
                .toByteArray();
        assertArrayEquals(SAMPLE_REQUEST, built);
    }

    @Test
    void tamperedMessageFailsIntegrityAndFingerprint() {
        byte[] copy = SAMPLE_REQUEST.clone();
        copy[30] ^= 1; // inside SOFTWARE
        StunMessage m = StunMessage.parse(copy, 0, copy.length);
        assertNotNull(m);
        assertFalse(m.verifyMessageIntegrity(PASSWORD));
        assertFalse(m.verifyFingerprint());
    }

    @Test
    void errorResponseRoundTrip() {
        byte[] built = new StunMessageWriter(StunMessageType.BINDING_ERROR_RESPONSE, TRANSACTION_ID)
                .addErrorCode(401, "Unauthorized").addFingerprint().toByteArray();
        assertArrayEquals(hex("0111001c2112a442b7e7a701bc34d686fa87dfae"
                + "0009001000000401" + "556e617574686f72697a6564" /* 401 Unauthorized */
                + "80280004" + HexFormat.of().formatHex(built, built.length - 4, built.length)), built);
        StunMessage m = StunMessage.parse(built, 0, built.length);
        assertEquals(401, m.errorCode());
        assertTrue(m.verifyFingerprint());
    }

    @Test
    void malformedMessagesAreRejectedWithoutExceptions() {
        assertNull(StunMessage.parse(new byte[0], 0, 0));
        assertNull(StunMessage.parse(SAMPLE_REQUEST, 0, 19));
        assertNull(StunMessage.parse(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length - 4)); // length field disagrees
        byte[] badCookie = SAMPLE_REQUEST.clone();
        badCookie[4] = 0;
        assertNull(StunMessage.parse(badCookie, 0, badCookie.length));
        byte[] longAttribute = SAMPLE_REQUEST.clone();
        longAttribute[22] = 0x7f; // SOFTWARE length past the end
        assertNull(StunMessage.parse(longAttribute, 0, longAttribute.length));
        byte[] firstBits = SAMPLE_REQUEST.clone();
        firstBits[0] = (byte) 0x80;
        assertNull(StunMessage.parse(firstBits, 0, firstBits.length));
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random random = new Random(5769);
        byte[] buf = new byte[1500];
        for (int i = 0; i < 100_000; i++) {
            int len;
            if (i % 2 == 0) {
                len = SAMPLE_REQUEST.length;
                System.arraycopy(SAMPLE_REQUEST, 0, buf, 0, len);
                for (int k = 0; k < 1 + random.nextInt(4); k++) buf[random.nextInt(len)] = (byte) random.nextInt();
                if (random.nextBoolean()) len = random.nextInt(len + 1);
            } else {
                len = random.nextInt(200);
                random.nextBytes(buf);
                buf[0] &= 0x03;
                buf[4] = 0x21; buf[5] = 0x12; buf[6] = (byte) 0xa4; buf[7] = 0x42;
                buf[2] = (byte) ((len - 20) >>> 8);
                buf[3] = (byte) (len - 20);
            }
            StunMessage m = StunMessage.parse(buf, 0, len);
            if (m != null) {
                m.username();
                m.priority();
                m.errorCode();
                m.xorMappedAddress();
                m.verifyFingerprint();
                m.verifyMessageIntegrity(PASSWORD);
                m.unknownComprehensionRequired();
            }
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }
}
