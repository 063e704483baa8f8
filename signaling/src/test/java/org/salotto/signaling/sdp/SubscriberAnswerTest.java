package org.salotto.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;

class SubscriberAnswerTest {
    private static final String ANSWER = Fixtures.read(Fixtures.CHROME_SUBSCRIBER_ANSWER);

    @Test
    void readsTheBrowsersTransportAndWhatItReceives() throws SdpException {
        SubscriberAnswer answer = SubscriberAnswer.read(ANSWER);
        assertEquals(new IceParameters("Hb2n", "Vw8kT1qz0RmX4fJc7LpYs6Ue"), answer.clientIce());
        assertEquals(new DtlsParameters("sha-256",
                "3B:A1:0C:7E:55:19:D2:8F:4A:6B:E0:91:C3:2D:77:F8:0A:B4:69:1E:C5:38:D7:42:9F:E6:13:5C:A8:04:BB:6D"),
                answer.clientDtls());
        Map<String, Boolean> expected = new LinkedHashMap<>();
        expected.put("0", true);
        expected.put("1", true);
        expected.put("2", false); // the inactive slot, answered inactive
        assertEquals(expected, answer.acceptedByMid());
        assertEquals(List.of("0", "1", "2"), List.copyOf(answer.acceptedByMid().keySet()));
        assertTrue(answer.accepted("1"));
        assertFalse(answer.accepted("9"));
        assertTrue(answer.hasTransport());
    }

    @Test
    void tellsWhichOfferedCodecsTheBrowserKept() throws SdpException {
        SubscriberAnswer plain = SubscriberAnswer.read(ANSWER);
        assertTrue(plain.keeps("0", 111));
        assertFalse(plain.keeps("0", 63), "this answer kept Opus alone");
        assertFalse(plain.keeps("9", 111));
        SubscriberAnswer red = SubscriberAnswer.read(ANSWER.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111 63\r\na=rtpmap:63 red/48000/2\r\na=fmtp:63 111/111\r\n"));
        assertTrue(red.keeps("0", 63));
        assertEquals(List.of(111, 63), red.formatsByMid().get("0"));
        assertEquals(List.of(96, 97), red.formatsByMid().get("1"));
    }

    @Test
    void aRejectedOrInactiveSectionIsNotAccepted() throws SdpException {
        String rejected = ANSWER.replace("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n", "m=video 0 UDP/TLS/RTP/SAVPF 96 97\r\n")
                .replaceFirst("a=recvonly", "a=inactive");
        SubscriberAnswer answer = SubscriberAnswer.read(rejected);
        assertFalse(answer.accepted("0"));
        assertFalse(answer.accepted("1"));
        assertEquals(3, answer.acceptedByMid().size());
    }

    @Test
    void anythingButActiveIsRefused() {
        for (String setup : List.of("passive", "actpass", "holdconn")) {
            SdpException e = assertThrows(SdpException.class,
                    () -> SubscriberAnswer.read(ANSWER.replace("a=setup:active", "a=setup:" + setup)));
            assertTrue(e.getMessage().contains("a=setup:" + setup) && e.getMessage().contains("must say a=setup:active"),
                    e.getMessage());
        }
        SdpException none = assertThrows(SdpException.class, () -> SubscriberAnswer.read(ANSWER.replace("a=setup:active\r\n", "")));
        assertTrue(none.getMessage().contains("a=setup:(none)"), none.getMessage());
    }

    @Test
    void missingCredentialsAreRefused() {
        SdpException e = assertThrows(SdpException.class,
                () -> SubscriberAnswer.read(ANSWER.replaceAll("a=fingerprint:[^\r]*\r\n", "")));
        assertEquals("m-section mid 0: no a=fingerprint", e.getMessage());
        assertThrows(SdpException.class, () -> SubscriberAnswer.read(ANSWER.replaceAll("a=ice-ufrag:[^\r]*\r\n", "")));
        assertThrows(SdpException.class, () -> SubscriberAnswer.read(ANSWER.replace("a=mid:1\r\n", "")));
    }

    @Test
    void theAnswerToAnEmptyOfferHasNoTransport() throws SdpException {
        SubscriberAnswer answer = SubscriberAnswer.read("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        assertFalse(answer.hasTransport());
        assertNull(answer.clientIce());
        assertTrue(answer.acceptedByMid().isEmpty());
    }
}
