package org.salotto.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;

class SubscriberOfferTest {
    static final List<SubscriberSlot> SLOTS = List.of(
            new SubscriberSlot.Send("0", MediaKind.AUDIO, "p-alice", "t-mic", List.of(SubscriberCodecs.OPUS),
                    new RtpEncoding(0x11111111, 0)),
            new SubscriberSlot.Send("1", MediaKind.VIDEO, "p-alice", "t-cam", List.of(SubscriberCodecs.VP8),
                    new RtpEncoding(0x22222222, (int) 0xF3333333L)),
            new SubscriberSlot.Inactive("2", MediaKind.VIDEO));

    @Test
    void matchesTheGoldenOffer() {
        assertEquals(Fixtures.read("salotto-subscriber-offer.sdp"), SubscriberOffer.build(Fixtures.SERVER, 9, 3, SLOTS));
    }

    @Test
    void audioIsOfferedAsOpusAndRedAroundIt() throws SdpException {
        List<SubscriberSlot> slots = List.of(new SubscriberSlot.Send("0", MediaKind.AUDIO, "p-alice", "t-mic",
                SubscriberCodecs.codecs(MediaKind.AUDIO), new RtpEncoding(0x11111111, 0)));
        MediaDescription audio = SdpParser.parse(SubscriberOffer.build(Fixtures.SERVER, 9, 3, slots)).mediaByMid("0");
        assertEquals(List.of("111", "63"), audio.formats());
        assertEquals(List.of("111 opus/48000/2", "63 red/48000/2"), audio.attributeValues("rtpmap"));
        assertEquals(List.of("111 minptime=10;useinbandfec=1", "63 111/111"), audio.attributeValues("fmtp"));
        assertEquals(List.of("111 transport-cc"), audio.attributeValues("rtcp-fb"));
    }

    @Test
    void parsesBackToWhatWasAsked() throws SdpException {
        SessionDescription sd = SdpParser.parse(SubscriberOffer.build(Fixtures.SERVER, 9, 3, SLOTS));
        assertEquals(Origin.of(9, 3), sd.origin());
        assertTrue(sd.hasAttribute("ice-lite"));
        assertEquals("BUNDLE 0 1 2", sd.attribute("group").orElseThrow());
        for (MediaDescription m : sd.media()) {
            assertEquals("actpass", m.attribute("setup").orElseThrow());
            assertEquals(7881, m.port());
            assertEquals("sLtO", m.attribute("ice-ufrag").orElseThrow());
            assertEquals(List.of("1 1 udp 2130706431 203.0.113.7 7881 typ host"), m.attributeValues("candidate"));
            for (String v : m.attributeValues("rtcp-fb")) assertFalse(v.contains("goog-remb"), v);
            for (String v : m.attributeValues("extmap")) assertFalse(v.contains("sdes:mid"), v);
            assertTrue(m.attributeValues("extmap").contains(
                    "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"), m.toString());
        }

        MediaDescription audio = sd.mediaByMid("0");
        assertEquals(Direction.SENDONLY, audio.direction(sd));
        assertEquals(List.of("111"), audio.formats());
        assertEquals(List.of("111 transport-cc"), audio.attributeValues("rtcp-fb"));
        assertEquals("p-alice t-mic", audio.attribute("msid").orElseThrow());
        assertEquals(List.of("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"), audio.attributeValues("extmap"));
        assertEquals(List.of("286331153 cname:p-alice", "286331153 msid:p-alice t-mic"), audio.attributeValues("ssrc"));
        assertFalse(audio.hasAttribute("ssrc-group"));

        // Read back with the same code that reads publisher offers: the SSRCs and codecs come out as they went in.
        MediaDescription video = sd.mediaByMid("1");
        assertEquals(List.of("96", "97"), video.formats());
        assertEquals(List.of("96 nack", "96 nack pli", "96 ccm fir", "96 transport-cc"), video.attributeValues("rtcp-fb"));
        assertEquals(List.of(new RtpEncoding(0x22222222, (int) 0xF3333333L)), RtpSectionReader.encodings(video));
        assertEquals("FID 572662306 4080218931", video.attribute("ssrc-group").orElseThrow());
        RtpFormat vp8 = RtpSectionReader.formats(video).getFirst();
        assertEquals("VP8", vp8.encodingName());
        assertEquals(96, RtpSectionReader.formats(video).get(1).associatedPayloadType()); // rtx 97 repairs 96

        MediaDescription inactive = sd.mediaByMid("2");
        assertEquals("video", inactive.media());
        assertEquals(Direction.INACTIVE, inactive.direction(sd));
        assertEquals(List.of("96", "97", "102", "103"), inactive.formats());
        assertFalse(inactive.hasAttribute("msid"));
        assertFalse(inactive.hasAttribute("ssrc"));
    }

    @Test
    void anOfferWithNoSlotsIsStillValid() throws SdpException {
        SessionDescription sd = SdpParser.parse(SubscriberOffer.build(Fixtures.SERVER, 9, 1, List.of()));
        assertTrue(sd.media().isEmpty());
        assertTrue(sd.hasAttribute("ice-lite"));
        assertFalse(sd.hasAttribute("group"));
    }

    @Test
    void h264SlotCarriesTheFixedProfile() throws SdpException {
        var slot = new SubscriberSlot.Send("0", MediaKind.VIDEO, "p", "t", List.of(SubscriberCodecs.H264), new RtpEncoding(5, 6));
        MediaDescription m = SdpParser.parse(SubscriberOffer.build(Fixtures.SERVER, 1, 1, List.of(slot))).media().getFirst();
        assertEquals(List.of("102", "103"), m.formats());
        assertEquals(List.of("102 packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1", "103 apt=102"),
                m.attributeValues("fmtp"));
    }

    @Test
    void mapsPublisherCodecsToTheSubscriberTable() {
        RtpCodec chromeVp8 = new RtpCodec("video/VP8", 120, 90000, 1, "", List.of("nack"), 121);
        assertEquals(SubscriberCodecs.VP8, SubscriberCodecs.forPublisherCodec(chromeVp8));
        RtpCodec h264 = new RtpCodec("video/h264", 106, 90000, 1, "packetization-mode=1", List.of(), 107);
        assertEquals(SubscriberCodecs.H264, SubscriberCodecs.forPublisherCodec(h264));
        assertEquals(SubscriberCodecs.OPUS, SubscriberCodecs.forPublisherCodec(
                new RtpCodec("audio/opus", 109, 48000, 2, "", List.of(), -1)));
        assertEquals(null, SubscriberCodecs.forPublisherCodec(new RtpCodec("video/AV1", 45, 90000, 1, "", List.of(), -1)));
    }

    @Test
    void refusesSlotsThatCannotBeWritten() {
        assertThrows(IllegalArgumentException.class, () -> new SubscriberSlot.Send("0", MediaKind.AUDIO, "p", "t",
                List.of(SubscriberCodecs.VP8), new RtpEncoding(1, 0)));
        assertThrows(IllegalArgumentException.class, () -> new SubscriberSlot.Send("0", MediaKind.AUDIO, "has space", "t",
                List.of(SubscriberCodecs.OPUS), new RtpEncoding(1, 0)));
        assertThrows(IllegalArgumentException.class, () -> SubscriberOffer.build(Fixtures.SERVER, 1, 1,
                List.of(new SubscriberSlot.Inactive("0", MediaKind.AUDIO), new SubscriberSlot.Inactive("0", MediaKind.VIDEO))));
    }
}
