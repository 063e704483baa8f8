package org.salotto.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.salotto.media.params.IceParameters;

/** The trickle-ice-sdpfrag of a WHIP or WHEP PATCH (RFC 8840 section 9, RFC 9725 section 4.3). */
class IceFragmentTest {

    @Test
    void readsTheCredentialsAndCountsTheCandidates() throws Exception {
        // The shape of RFC 9725's trickle example.
        IceFragment f = IceFragment.parse("a=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
                + "a=ice-ufrag:EsAw\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\n"
                + "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1\r\n"
                + "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag EsAw network-id 2\r\n"
                + "a=end-of-candidates\r\n");
        assertEquals(new IceParameters("EsAw", "P2uYro0UCOQ4zxjKXaWCBui1"), f.ice());
        assertEquals(2, f.candidates());
        IceFragment bare = IceFragment.parse("a=candidate:1 1 udp 1 192.0.2.1 9 typ host\n");
        assertNull(bare.ice());
        assertEquals(1, bare.candidates());
    }

    @Test
    void refusesHalfACredentialPairAndWhatIsNotSdp() {
        assertThrows(SdpException.class, () -> IceFragment.parse("a=ice-ufrag:EsAw\r\n"));
        assertThrows(SdpException.class, () -> IceFragment.parse("a=ice-ufrag:E\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\n"));
        assertThrows(SdpException.class, () -> IceFragment.parse("a=ice-ufrag:EsAw\r\na=ice-pwd:short\r\n"));
        assertThrows(SdpException.class, () -> IceFragment.parse("hello\r\n"));
        assertThrows(SdpException.class, () -> IceFragment.parse("a=candidate:x\r\n".repeat(2000)));
    }

    @Test
    void answersARestartWithTheNewCredentials() {
        assertEquals("a=ice-lite\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n",
                IceFragment.restartAnswer(new IceParameters("abcd", "0123456789012345678901")));
    }
}
