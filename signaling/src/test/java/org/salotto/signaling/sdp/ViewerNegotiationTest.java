package org.salotto.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpHeaderExtension;

/** The answer to a WHEP player's offer (docs/sdp.md "Viewer connection"). */
class ViewerNegotiationTest {
    private static final String FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    /** aiortc 1.4's recvonly offer, shortened: its video's abs-send-time and its audio level share id 2. */
    static final String AIORTC = String.join("\r\n",
            "v=0", "o=- 3907 3907 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE 0 1", "a=msid-semantic:WMS *",
            "m=video 9 UDP/TLS/RTP/SAVPF 97 98 99 100", "c=IN IP4 192.0.2.2", "a=recvonly", "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "a=rtcp-mux",
            "a=rtpmap:97 VP8/90000", "a=rtcp-fb:97 nack", "a=rtcp-fb:97 nack pli", "a=rtcp-fb:97 goog-remb",
            "a=rtpmap:98 rtx/90000", "a=fmtp:98 apt=97",
            "a=rtpmap:99 H264/90000", "a=fmtp:99 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
            "a=rtpmap:100 rtx/90000", "a=fmtp:100 apt=99",
            "a=ice-ufrag:GfXw", "a=ice-pwd:6CfRwdxzkfAWe0BGyUfDBe", "a=fingerprint:sha-256 " + FP, "a=setup:actpass",
            "m=audio 9 UDP/TLS/RTP/SAVPF 96 0 8", "c=IN IP4 192.0.2.2", "a=recvonly", "a=mid:1",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid", "a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=rtcp-mux", "a=rtpmap:96 opus/48000/2", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
            "a=ice-ufrag:GfXw", "a=ice-pwd:6CfRwdxzkfAWe0BGyUfDBe", "a=fingerprint:sha-256 " + FP, "a=setup:actpass",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 192.0.2.2", "a=mid:2", "") ;

    private static ViewerNegotiation.Answer answer(String offer, String preferredVideo) throws SdpException {
        AtomicInteger ssrcs = new AtomicInteger(1000);
        return ViewerNegotiation.answer(offer, Fixtures.SERVER, 42, preferredVideo, ssrcs::incrementAndGet);
    }

    @Test
    void aiortcsOfferGetsItsPayloadTypesAndNoAmbiguousExtension() throws Exception {
        ViewerNegotiation.Answer a = answer(AIORTC, null);
        assertEquals(2, a.slots().size());
        ViewerNegotiation.Slot video = a.slots().get(0);
        assertEquals(MediaKind.VIDEO, video.kind());
        assertEquals("video/VP8", video.codec().mimeType());
        assertEquals(97, video.codec().payloadType());
        assertEquals(98, video.codec().rtxPayloadType());
        assertEquals(List.of("nack", "nack pli"), video.codec().rtcpFeedback());
        assertEquals(List.of(), video.extensions(), "id 2 means two things in this bundle: not used");
        ViewerNegotiation.Slot audio = a.slots().get(1);
        assertEquals("audio/opus", audio.codec().mimeType());
        assertEquals(96, audio.codec().payloadType());
        assertEquals(List.of(), audio.extensions());
        assertEquals(1001, video.ssrc());
        assertEquals(1002, video.rtxSsrc());
        assertEquals(1003, audio.ssrc());
        assertEquals(0, audio.rtxSsrc());

        String sdp = a.sdp();
        assertTrue(sdp.contains("a=group:BUNDLE 0 1\r\n"), sdp);
        assertTrue(sdp.contains("m=video 40000 UDP/TLS/RTP/SAVPF 97 98\r\n") || sdp.contains(" UDP/TLS/RTP/SAVPF 97 98\r\n"), sdp);
        assertTrue(sdp.contains("a=sendonly\r\n") && sdp.contains("a=setup:passive\r\n") && sdp.contains("a=ice-lite\r\n"), sdp);
        assertTrue(sdp.contains("a=ssrc-group:FID 1001 1002\r\n"), sdp);
        assertTrue(sdp.contains("a=ssrc:1003 msid:salotto audio-1\r\n"), sdp);
        assertTrue(sdp.contains("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n"), "the data channel is rejected: " + sdp);
        assertFalse(sdp.contains("a=extmap"), sdp);
        assertEquals("GfXw", a.clientIce().ufrag());
    }

    @Test
    void theStagesCodecIsPreferredWhenOffered() throws Exception {
        ViewerNegotiation.Slot video = answer(AIORTC, "video/H264").slots().get(0);
        assertEquals("video/H264", video.codec().mimeType());
        assertEquals(99, video.codec().payloadType());
        assertEquals(100, video.codec().rtxPayloadType());
    }

    @Test
    void consistentExtensionIdsAreKept() throws Exception {
        String offer = AIORTC.replace("a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=extmap:3 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        ViewerNegotiation.Answer a = answer(offer, null);
        assertEquals(List.of(new RtpHeaderExtension(RtpHeaderExtension.ABS_SEND_TIME, 2)), a.slots().get(0).extensions());
        assertEquals(List.of(new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 3)), a.slots().get(1).extensions());
    }

    @Test
    void anOfferWithNothingToReceiveIsRefused() {
        String sendOnly = AIORTC.replace("a=recvonly", "a=sendonly");
        SdpException e = assertThrows(SdpException.class, () -> answer(sendOnly, null));
        assertTrue(e.getMessage().contains("recvonly"), e.getMessage());
        assertThrows(SdpException.class, () -> answer(AIORTC.replace("a=setup:actpass", "a=setup:passive"), null));
        assertThrows(SdpException.class, () -> answer(AIORTC.replace("a=group:BUNDLE 0 1\r\n", ""), null));
    }
}
