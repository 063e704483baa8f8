package org.salotto.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;

class PublisherNegotiationTest {
    private static final String OFFER = Fixtures.read(Fixtures.CHROME_OFFER);

    private static PublisherAnswer answer(String offer) throws SdpException {
        return new PublisherNegotiation(Fixtures.SERVER, 42).answer(offer, Map.of("1", "screen"));
    }

    @Test
    void answersAChromeOfferAsAnIceLitePassiveBundledReceiver() throws SdpException {
        PublisherAnswer result = answer(OFFER);
        SessionDescription sd = SdpParser.parse(result.sdp());

        assertTrue(result.sdp().endsWith("\r\n") && !result.sdp().replace("\r\n", "").contains("\n"), "CRLF only");
        assertEquals(Origin.of(42, 1), sd.origin());
        assertTrue(sd.hasAttribute("ice-lite"));
        assertEquals("BUNDLE 0 1", sd.attribute("group").orElseThrow());
        assertFalse(sd.hasAttribute("extmap-allow-mixed"));
        assertEquals(2, sd.media().size());
        for (MediaDescription m : sd.media()) {
            assertEquals(7881, m.port());
            assertEquals("UDP/TLS/RTP/SAVPF", m.proto());
            assertEquals(new Connection("IN", "IP4", "203.0.113.7"), m.connection());
            assertEquals("sLtO", m.attribute("ice-ufrag").orElseThrow());
            assertEquals("salottoSalottoSalotto0123", m.attribute("ice-pwd").orElseThrow());
            assertEquals("sha-256 " + Fixtures.SERVER_FINGERPRINT, m.attribute("fingerprint").orElseThrow());
            assertEquals("passive", m.attribute("setup").orElseThrow());
            assertTrue(m.hasAttribute("rtcp-mux"));
            assertTrue(m.hasAttribute("rtcp-rsize"));
            assertEquals(Direction.RECVONLY, m.direction(sd));
            assertEquals(List.of("1 1 udp 2130706431 203.0.113.7 7881 typ host"), m.attributeValues("candidate"));
            assertTrue(m.hasAttribute("end-of-candidates"));
            for (String gone : List.of("simulcast", "rid", "msid", "ssrc", "ssrc-group", "ice-options", "rtcp")) {
                assertFalse(m.hasAttribute(gone), gone);
            }
        }
    }

    private static final RtpCodec CHROME_OPUS = new RtpCodec("audio/opus", 111, 48000, 2, "minptime=10;useinbandfec=1",
            List.of("transport-cc"), -1);

    @Test
    void audioIsRedAroundOpusWithTheOfferedPayloadTypesFmtpAndIds() throws SdpException {
        PublisherAnswer result = answer(OFFER);
        MediaDescription audio = SdpParser.parse(result.sdp()).mediaByMid("0");
        // Red first: Chromium sends the answer's first codec, and with red first it sends RED around Opus.
        assertEquals(List.of("63", "111"), audio.formats());
        assertEquals(List.of("63 red/48000/2", "111 opus/48000/2"), audio.attributeValues("rtpmap"));
        assertEquals(List.of("63 111/111", "111 minptime=10;useinbandfec=1"), audio.attributeValues("fmtp"));
        assertEquals(List.of("111 transport-cc"), audio.attributeValues("rtcp-fb"));
        assertEquals(List.of(
                "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "4 urn:ietf:params:rtp-hdrext:sdes:mid"), audio.attributeValues("extmap"));

        TrackParameters track = result.tracks().getFirst();
        assertEquals("0", track.mid());
        assertEquals(MediaKind.AUDIO, track.kind());
        assertEquals("mic", track.source());
        // The media codec first, RED around it after.
        assertEquals(List.of(CHROME_OPUS, new RtpCodec("audio/red", 63, 48000, 2, "111/111", List.of(), -1)), track.codecs());
        assertEquals(63, track.red().payloadType());
        assertEquals(1, track.extensionId(RtpHeaderExtension.AUDIO_LEVEL));
        assertEquals(4, track.extensionId(RtpHeaderExtension.MID));
        assertEquals(List.of(new RtpEncoding((int) 2914736510L, 0)), track.encodings());
    }

    @Test
    void withRedForOpusOffAudioIsOpusAlone() throws SdpException {
        PublisherAnswer result = new PublisherNegotiation(Fixtures.SERVER, 42, null, false).answer(OFFER, Map.of());
        MediaDescription audio = SdpParser.parse(result.sdp()).mediaByMid("0");
        assertEquals(List.of("111"), audio.formats());
        assertEquals(List.of("111 opus/48000/2"), audio.attributeValues("rtpmap"));
        assertEquals(List.of("111 minptime=10;useinbandfec=1"), audio.attributeValues("fmtp"));
        assertEquals(List.of(CHROME_OPUS), result.tracks().getFirst().codecs());
    }

    @Test
    void redAroundAnythingButTheChosenOpusIsLeftOut() throws SdpException {
        for (String fmtp : List.of("111/0", "0/0", "111", "111/111 x", "abc/def", "")) {
            String offer = OFFER.replace("a=fmtp:63 111/111", "a=fmtp:63 " + fmtp);
            if (fmtp.isEmpty()) offer = OFFER.replace("a=fmtp:63 111/111\r\n", "");
            PublisherAnswer result = answer(offer);
            assertEquals(List.of("111"), SdpParser.parse(result.sdp()).mediaByMid("0").formats(), fmtp);
            assertEquals(null, result.tracks().getFirst().red(), fmtp);
        }
        String twoBlocks = OFFER.replace("a=fmtp:63 111/111", "a=fmtp:63 111/111/111");
        assertEquals(List.of("63", "111"), SdpParser.parse(answer(twoBlocks).sdp()).mediaByMid("0").formats());
    }

    @Test
    void videoIsVp8WithItsRtxFeedbackAndTheBrowsersExtensionIds() throws SdpException {
        PublisherAnswer result = answer(OFFER);
        MediaDescription video = SdpParser.parse(result.sdp()).mediaByMid("1");
        assertEquals(List.of("96", "97"), video.formats());
        assertEquals(List.of("96 VP8/90000", "97 rtx/90000"), video.attributeValues("rtpmap"));
        assertEquals(List.of("97 apt=96"), video.attributeValues("fmtp"));
        assertEquals(List.of("96 nack", "96 nack pli", "96 ccm fir", "96 transport-cc"), video.attributeValues("rtcp-fb"));
        // toffset, orientation, playout delay, content type, timing, colour space, dependency descriptor, rid,
        // repaired rid and layers allocation are all left out; the kept ones keep Chrome's ids.
        assertEquals(List.of(
                "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "4 urn:ietf:params:rtp-hdrext:sdes:mid"), video.attributeValues("extmap"));

        TrackParameters track = result.tracks().get(1);
        assertEquals("1", track.mid());
        assertEquals(MediaKind.VIDEO, track.kind());
        assertEquals("screen", track.source());
        RtpCodec vp8 = track.codecs().getFirst();
        assertEquals("video/VP8", vp8.mimeType());
        assertEquals(96, vp8.payloadType());
        assertEquals(97, vp8.rtxPayloadType());
        assertEquals(90000, vp8.clockRate());
        assertEquals(List.of("nack", "nack pli", "ccm fir", "transport-cc"), vp8.rtcpFeedback());
        assertEquals(0, track.extensionId(RtpHeaderExtension.RID));
        assertEquals(3, track.extensionId(RtpHeaderExtension.TRANSPORT_CC));
        assertEquals(List.of(new RtpEncoding(1620494337, (int) 3408150722L)), track.encodings());
        assertEquals(3408150722L, Integer.toUnsignedLong(track.encodings().getFirst().rtxSsrc()));
        assertEquals(List.of(), result.rejectedMids());
    }

    @Test
    void returnsTheClientTransport() throws SdpException {
        PublisherAnswer result = answer(OFFER);
        assertEquals(new IceParameters("Xq7v", "kP3rZ9wq1YbLm2Tn8cVd5Hs0"), result.clientIce());
        assertEquals(new DtlsParameters("sha-256",
                "3B:A1:0C:7E:55:19:D2:8F:4A:6B:E0:91:C3:2D:77:F8:0A:B4:69:1E:C5:38:D7:42:9F:E6:13:5C:A8:04:BB:6D"),
                result.clientDtls());
    }

    @Test
    void everyAnswerOfOneConnectionKeepsTheSessionIdAndRaisesTheVersion() throws SdpException {
        PublisherNegotiation negotiation = new PublisherNegotiation(Fixtures.SERVER, 7);
        assertEquals(Origin.of(7, 1), SdpParser.parse(negotiation.answer(OFFER, Map.of()).sdp()).origin());
        assertEquals(Origin.of(7, 2), SdpParser.parse(negotiation.answer(OFFER, Map.of()).sdp()).origin());
    }

    @Test
    void h264OnlyOfferGetsBaselineModeOneAt42e01fWithItsRtx() throws SdpException {
        PublisherAnswer result = answer(Fixtures.read(Fixtures.H264_ONLY_OFFER));
        MediaDescription video = SdpParser.parse(result.sdp()).media().getFirst();
        // offered in order: 4d001f/mode 1 (Main: not taken), 42001f/mode 0, 42e01f/mode 1, 42001f/mode 1
        assertEquals(List.of("106", "107"), video.formats());
        assertEquals(List.of("106 H264/90000", "107 rtx/90000"), video.attributeValues("rtpmap"));
        assertEquals(List.of("106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "107 apt=106"),
                video.attributeValues("fmtp"));
        RtpCodec h264 = result.tracks().getFirst().codecs().getFirst();
        assertEquals("video/H264", h264.mimeType());
        assertEquals(106, h264.payloadType());
        assertEquals(107, h264.rtxPayloadType());
        assertEquals("camera", result.tracks().getFirst().source());
    }

    @Test
    void h264FallsBackToOtherBaselineProfilesButNeverToMain() throws SdpException {
        String h264 = Fixtures.read(Fixtures.H264_ONLY_OFFER);
        String no42e01f = h264.replace("profile-level-id=42e01f", "profile-level-id=640c1f");
        assertEquals(102, answer(no42e01f).tracks().getFirst().codecs().getFirst().payloadType()); // 42001f, mode 1
        String mainOnly = no42e01f.replace("profile-level-id=42001f", "profile-level-id=4d001f");
        PublisherAnswer rejected = answer(mainOnly);
        assertEquals(List.of(), rejected.tracks());
        assertEquals(List.of("0"), rejected.rejectedMids());
    }

    @Test
    void anMSectionWithNoCodecInCommonIsRejectedWithPortZeroAndItsFirstFormat() throws SdpException {
        // Audio with only G.722 and PCMU: no Opus.
        String offer = OFFER.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=audio 9 UDP/TLS/RTP/SAVPF 9 0")
                .replace("a=rtpmap:111 opus/48000/2\r\n", "");
        PublisherAnswer result = answer(offer);
        SessionDescription sd = SdpParser.parse(result.sdp());
        MediaDescription audio = sd.media().getFirst();
        assertEquals(0, audio.port());
        assertEquals(List.of("9"), audio.formats());
        assertEquals("0", audio.mid());
        assertEquals(Direction.INACTIVE, audio.direction(sd));
        assertFalse(audio.hasAttribute("ice-ufrag"));
        assertEquals("BUNDLE 1", sd.attribute("group").orElseThrow());
        assertEquals(List.of("0"), result.rejectedMids());
        assertEquals(List.of("1"), result.tracks().stream().map(TrackParameters::mid).toList());
    }

    @Test
    void recvonlyInactiveStoppedAndDataChannelSectionsAreRejected() throws SdpException {
        String offer = OFFER.replaceFirst("a=sendonly", "a=recvonly").replaceFirst("a=sendonly", "a=inactive");
        PublisherAnswer result = answer(offer);
        assertEquals(List.of("0", "1"), result.rejectedMids());
        assertTrue(result.tracks().isEmpty());
        assertFalse(SdpParser.parse(result.sdp()).hasAttribute("group"));

        String withData = OFFER.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:Xq7v\r\n"
                + "a=ice-pwd:kP3rZ9wq1YbLm2Tn8cVd5Hs0\r\na=fingerprint:sha-256 "
                + "3B:A1:0C:7E:55:19:D2:8F:4A:6B:E0:91:C3:2D:77:F8:0A:B4:69:1E:C5:38:D7:42:9F:E6:13:5C:A8:04:BB:6D\r\n"
                + "a=setup:actpass\r\na=mid:2\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n"
                + "m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=inactive\r\n";
        PublisherAnswer withDataResult = answer(withData);
        List<MediaDescription> media = SdpParser.parse(withDataResult.sdp()).media();
        assertEquals(4, media.size());
        assertEquals("m=application 0 UDP/DTLS/SCTP webrtc-datachannel", "m=application " + media.get(2).port() + " "
                + media.get(2).proto() + " " + media.get(2).formats().getFirst());
        assertEquals(0, media.get(3).port());
        assertEquals(List.of("2"), withDataResult.rejectedMids());
        assertEquals(2, withDataResult.tracks().size());
    }

    @Test
    void sessionLevelCredentialsAndSendrecvAreAccepted() throws SdpException {
        // Firefox writes the fingerprint (and may write ICE credentials) at session level, and sendrecv is legal.
        String fingerprint = "a=fingerprint:sha-256 3B:A1:0C:7E:55:19:D2:8F:4A:6B:E0:91:C3:2D:77:F8:0A:B4:69:1E:C5:38:D7:42:9F:E6:13:5C:A8:04:BB:6D\r\n";
        String offer = OFFER.replace(fingerprint, "").replace("a=extmap-allow-mixed\r\n", fingerprint)
                .replace("a=sendonly", "a=sendrecv");
        PublisherAnswer result = answer(offer);
        assertEquals(2, result.tracks().size());
        assertEquals("sha-256", result.clientDtls().algorithm());
        assertEquals(Direction.RECVONLY, SdpParser.parse(result.sdp()).media().get(1).directionAttribute());
    }

    /** A Chrome simulcast offer of the fixture's video: rid lines, a=simulcast, and no a=ssrc lines for the video. */
    private static String simulcastOffer(String ridLines, String simulcastLine) {
        String video = OFFER.substring(OFFER.indexOf("m=video"));
        return OFFER.substring(0, OFFER.indexOf("m=video")) + video.substring(0, video.indexOf("a=ssrc-group"))
                + ridLines + simulcastLine;
    }

    @Test
    void simulcastWithThreeRidsIsAnsweredAndItsLayersAreTheRids() throws SdpException {
        PublisherAnswer result = answer(simulcastOffer("a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\n",
                "a=simulcast:send q;h;f\r\n"));
        MediaDescription answered = SdpParser.parse(result.sdp()).mediaByMid("1");
        assertEquals(List.of("q recv", "h recv", "f recv"), answered.attributeValues("rid"));
        assertEquals(List.of("recv q;h;f"), answered.attributeValues("simulcast"));
        assertTrue(answered.attributeValues("extmap").contains("10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"));
        assertTrue(String.join(",", answered.attributeValues("extmap")).contains("repaired-rtp-stream-id"));
        TrackParameters track = result.tracks().get(1);
        assertEquals(List.of(RtpEncoding.ofRid("q"), RtpEncoding.ofRid("h"), RtpEncoding.ofRid("f")), track.encodings());
        assertEquals(10, track.extensionId(RtpHeaderExtension.RID));
    }

    @Test
    void simulcastTakesAtMostThreeDeclaredRidsAndDropsPausedMarksAndAlternatives() throws SdpException {
        PublisherAnswer result = answer(simulcastOffer(
                "a=rid:a send\r\na=rid:b send\r\na=rid:c send\r\na=rid:d send\r\na=rid:r recv\r\n",
                "a=simulcast:send ~a;b,x;r;c;d\r\n"));
        MediaDescription answered = SdpParser.parse(result.sdp()).mediaByMid("1");
        // r is declared recv, x not declared: neither is a layer; d is a fourth.
        assertEquals(List.of("recv a;b;c"), answered.attributeValues("simulcast"));
        assertEquals(List.of(RtpEncoding.ofRid("a"), RtpEncoding.ofRid("b"), RtpEncoding.ofRid("c")),
                result.tracks().get(1).encodings());
    }

    @Test
    void simulcastWithoutTheRidExtensionIsLeftOut() throws SdpException {
        String offer = simulcastOffer("a=rid:q send\r\na=rid:h send\r\n", "a=simulcast:send q;h\r\n")
                .replaceAll("a=extmap:\\d+ urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n", "");
        PublisherAnswer result = answer(offer);
        MediaDescription answered = SdpParser.parse(result.sdp()).mediaByMid("1");
        for (String gone : List.of("rid", "simulcast")) assertFalse(answered.hasAttribute(gone), gone);
        assertFalse(String.join(",", answered.attributeValues("extmap")).contains("stream-id"));
        TrackParameters track = result.tracks().get(1);
        assertEquals(List.of(), track.encodings()); // no SSRC and no layers: refused by the conference
    }

    @Test
    void illFormedOffersFailWithAClearMessage() {
        assertMessage(OFFER.replaceAll("a=ice-ufrag:[^\r]*\r\n", ""), "m-section mid 0: no a=ice-ufrag");
        assertMessage(OFFER.replaceAll("a=ice-pwd:[^\r]*\r\n", ""), "m-section mid 0: no a=ice-pwd");
        assertMessage(OFFER.replaceAll("a=fingerprint:[^\r]*\r\n", ""), "m-section mid 0: no a=fingerprint");
        assertMessage(OFFER.replace("a=ice-ufrag:Xq7v", "a=ice-ufrag:ab"), "a=ice-ufrag must be 4 to 256 characters");
        assertMessage(OFFER.replace("a=ice-pwd:kP3rZ9wq1YbLm2Tn8cVd5Hs0", "a=ice-pwd:short"), "a=ice-pwd must be 22 to 256");
        assertMessage(OFFER.replace("a=fingerprint:sha-256 3B:A1", "a=fingerprint:sha-256 3B-A1"), "malformed a=fingerprint");
        assertMessage(OFFER.replace("a=fingerprint:sha-256 3B:A1:", "a=fingerprint:sha-256 "), "sha-256 must have 32 bytes");
        assertMessage(OFFER.replace("a=mid:1\r\n", ""), "m-section 2 (video) has no a=mid");
        assertMessage(OFFER.replace("a=mid:1\r\n", "a=mid:0\r\n"), "mid 0 is used twice");
        assertMessage(OFFER.replaceFirst("a=setup:actpass", "a=setup:passive"), "mid 0: a=setup:passive");
        assertMessage(OFFER.replace("m=video 9 UDP/TLS/RTP/SAVPF", "m=video 9 RTP/AVP"), "mid 1: transport RTP/AVP is not UDP/TLS/RTP/SAVPF");
        assertMessage(OFFER.replaceAll("a=rtcp-mux\r\n", ""), "no a=rtcp-mux");
        assertMessage(OFFER.replace("a=group:BUNDLE 0 1\r\n", ""), "must bundle");
        assertMessage(OFFER.substring(0, OFFER.indexOf("m=audio")), "no media sections");
        assertMessage(OFFER.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus"), "malformed a=rtpmap");
        assertMessage(OFFER.replace("a=extmap:2 ", "a=extmap:1 "), "a=extmap id 1 used twice");
        assertMessage(OFFER.replace("a=ssrc-group:FID 1620494337 3408150722", "a=ssrc-group:FID 1620494337 99999999999"), "SSRC out of range");
    }

    @Test
    void errorMessagesDoNotEchoLongInput() {
        String longMid = "m".repeat(5000);
        SdpException e = assertThrows(SdpException.class,
                () -> answer(OFFER.replace("a=mid:1\r\n", "a=mid:0\r\n").replace("a=mid:0\r\n", "a=mid:" + longMid + "\r\n")
                        .replaceFirst("a=mid:" + longMid, "a=mid:x")
                        .replaceFirst("a=setup:actpass", "a=setup:" + longMid)));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    private static void assertMessage(String offer, String expectedPart) {
        SdpException e = assertThrows(SdpException.class, () -> answer(offer));
        assertTrue(e.getMessage().contains(expectedPart), () -> "message \"" + e.getMessage() + "\" lacks \"" + expectedPart + "\"");
    }

    @Test
    void aNewBrowserUfragRestartsIceWithFreshServerCredentialsOnce() throws SdpException {
        var fresh = new org.salotto.media.params.IceParameters("nEw1", "freshpasswordfreshpassword");
        int[] restarts = {0};
        var negotiation = new PublisherNegotiation(Fixtures.SERVER, 7, () -> {
            restarts[0]++;
            return fresh;
        });
        String first = negotiation.answer(OFFER, Map.of()).sdp();
        assertTrue(first.contains("a=ice-ufrag:sLtO"), first);
        // The same credentials again (a plain renegotiation): nothing restarts.
        assertTrue(negotiation.answer(OFFER, Map.of()).sdp().contains("a=ice-ufrag:sLtO"));
        assertEquals(0, restarts[0]);
        // The browser restarts ICE: new ufrag and pwd in its offer, new ones of ours in the answer.
        String restarted = OFFER.replace("a=ice-ufrag:Xq7v", "a=ice-ufrag:Zz9k")
                .replaceAll("a=ice-pwd:\\S+", "a=ice-pwd:anotherclientpasswordabcd");
        PublisherAnswer answer = negotiation.answer(restarted, Map.of());
        assertEquals(1, restarts[0]);
        assertEquals("Zz9k", answer.clientIce().ufrag());
        assertTrue(answer.sdp().contains("a=ice-ufrag:nEw1") && answer.sdp().contains("a=ice-pwd:" + fresh.pwd()), answer.sdp());
        assertFalse(answer.sdp().contains("a=ice-ufrag:sLtO"));
    }
}
