package org.salotto.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.salotto.media.params.IceParameters;

/**
 * With an ICE-TCP port, every m-section Salotto writes (a publisher's answer, a subscriber's offer, a WHEP viewer's
 * answer) offers a second host candidate: TCP, {@code tcptype passive} (RFC 6544 section 4.5), on the TCP port, at a
 * lower priority than the UDP one; without it, only the UDP candidate, as before.
 */
class IceTcpCandidateTest {
    static final ServerTransport WITH_TCP = new ServerTransport(Fixtures.SERVER.ice(), Fixtures.SERVER_FINGERPRINT,
            "203.0.113.7", 7881, 7882);
    static final List<String> CANDIDATES = List.of(
            "1 1 udp 2130706431 203.0.113.7 7881 typ host",
            "2 1 tcp 2124414975 203.0.113.7 7882 typ host tcptype passive");

    private static void assertBothCandidates(String sdp) throws SdpException {
        SessionDescription sd = SdpParser.parse(sdp);
        int live = 0;
        for (MediaDescription m : sd.media()) {
            if (m.isRejected()) continue;
            live++;
            assertEquals(CANDIDATES, m.attributeValues("candidate"), sdp);
            assertTrue(m.hasAttribute("end-of-candidates"));
            assertEquals(7881, m.port(), "the m-line keeps the UDP port (the default candidate)");
        }
        assertTrue(live > 0);
    }

    @Test
    void theTcpCandidatesPriorityIsBelowTheUdpOnesAsRfc6544Says() {
        assertEquals((126L << 24) + (40959L << 8) + 255, ServerTransport.TCP_PASSIVE_HOST_PRIORITY);
        assertTrue(ServerTransport.TCP_PASSIVE_HOST_PRIORITY < ServerTransport.HOST_PRIORITY);
    }

    @Test
    void aPublishersAnswerOffersBoth() throws SdpException {
        assertBothCandidates(new PublisherNegotiation(WITH_TCP, 42)
                .answer(Fixtures.read(Fixtures.CHROME_OFFER), Map.of("1", "screen")).sdp());
    }

    @Test
    void aSubscribersOfferOffersBoth() throws SdpException {
        assertBothCandidates(SubscriberOffer.build(WITH_TCP, 9, 3, SubscriberOfferTest.SLOTS));
    }

    @Test
    void aWhepViewersAnswerOffersBoth() throws SdpException {
        AtomicInteger ssrcs = new AtomicInteger(1000);
        assertBothCandidates(ViewerNegotiation.answer(ViewerNegotiationTest.AIORTC, WITH_TCP, 42, (String) null,
                ssrcs::incrementAndGet).sdp());
    }

    @Test
    void anIceRestartKeepsTheTcpCandidate() throws SdpException {
        IceParameters fresh = new IceParameters("nEw1", "freshpasswordfreshpassword");
        PublisherNegotiation negotiation = new PublisherNegotiation(WITH_TCP, 7, () -> fresh);
        String offer = Fixtures.read(Fixtures.CHROME_OFFER);
        negotiation.answer(offer, Map.of());
        String restarted = offer.replace("a=ice-ufrag:Xq7v", "a=ice-ufrag:Zz9k")
                .replaceAll("a=ice-pwd:\\S+", "a=ice-pwd:anotherclientpasswordabcd");
        String sdp = negotiation.answer(restarted, Map.of()).sdp();
        assertTrue(sdp.contains("a=ice-ufrag:nEw1"), sdp);
        assertBothCandidates(sdp);
    }

    @Test
    void withoutATcpPortOnlyTheUdpCandidate() throws SdpException {
        SessionDescription sd = SdpParser.parse(SubscriberOffer.build(Fixtures.SERVER, 9, 3, SubscriberOfferTest.SLOTS));
        for (MediaDescription m : sd.media()) {
            if (!m.isRejected()) assertEquals(List.of(CANDIDATES.getFirst()), m.attributeValues("candidate"));
        }
    }
}
