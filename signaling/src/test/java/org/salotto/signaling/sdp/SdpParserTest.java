package org.salotto.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SdpParserTest {

    @Test
    void chromeOfferRoundTripsByteForByte() throws SdpException {
        String text = Fixtures.read(Fixtures.CHROME_OFFER);
        SessionDescription sd = SdpParser.parse(text);
        assertEquals(text, SdpWriter.write(sd));
        assertEquals(sd, SdpParser.parse(sd.toSdp()));
    }

    @Test
    void readsTheStructureOfAChromeOffer() throws SdpException {
        SessionDescription sd = SdpParser.parse(Fixtures.read(Fixtures.CHROME_OFFER));
        assertEquals(0, sd.version());
        assertEquals("5204883727195513302", sd.origin().sessionId());
        assertEquals("2", sd.origin().sessionVersion());
        assertEquals("-", sd.sessionName());
        assertEquals(Timing.UNBOUNDED, sd.timing());
        assertEquals("BUNDLE 0 1", sd.attribute("group").orElseThrow());
        assertTrue(sd.hasAttribute("extmap-allow-mixed"));
        assertEquals(2, sd.media().size());

        MediaDescription audio = sd.media().get(0);
        assertEquals("audio", audio.media());
        assertEquals(9, audio.port());
        assertEquals("UDP/TLS/RTP/SAVPF", audio.proto());
        assertEquals(List.of("111", "63", "9", "0", "8", "13", "110", "126"), audio.formats());
        assertEquals(new Connection("IN", "IP4", "0.0.0.0"), audio.connection());
        assertEquals("0", audio.mid());
        assertEquals(Direction.SENDONLY, audio.direction(sd));
        assertTrue(audio.attributes().contains(Attribute.flag("rtcp-mux")));
        assertEquals(List.of("111 opus/48000/2", "63 red/48000/2", "9 G722/8000", "0 PCMU/8000", "8 PCMA/8000",
                "13 CN/8000", "110 telephone-event/48000", "126 telephone-event/8000"), audio.attributeValues("rtpmap"));

        MediaDescription video = sd.media().get(1);
        assertEquals("1", video.mid());
        assertEquals(13, video.attributeValues("extmap").size()); // ids 2-14; 1 (audio level) is audio's
        assertTrue(video.attributeValues("extmap").contains("10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"));
        assertSame(sd.mediaByMid("1"), video);
    }

    @Test
    void acceptsLineFeedsAndWritesCrlf() throws SdpException {
        String lf = "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nt=0 0\na=ice-lite\nm=audio 9 UDP/TLS/RTP/SAVPF 111\na=mid:0\n";
        SessionDescription sd = SdpParser.parse(lf);
        assertEquals(lf.replace("\n", "\r\n"), sd.toSdp());
    }

    @Test
    void acceptsAMissingFinalLineBreakAndOneTrailingBlankLine() throws SdpException {
        String base = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite";
        assertEquals(1, SdpParser.parse(base).attributes().size());
        assertEquals(1, SdpParser.parse(base + "\r\n\r\n").attributes().size());
    }

    @Test
    void flagsAndValuesAreDistinct() throws SdpException {
        SessionDescription sd = SdpParser.parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=x\r\nt=0 0\r\na=a\r\na=b:\r\na=c:d:e\r\n");
        assertEquals(List.of(Attribute.flag("a"), Attribute.of("b", ""), Attribute.of("c", "d:e")), sd.attributes());
        assertTrue(sd.attributes().getFirst().isFlag());
        assertFalse(sd.attributes().get(1).isFlag());
        assertTrue(sd.media().isEmpty());
    }

    @Test
    void keepsPortCountBandwidthAndInformation() throws SdpException {
        String text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=x\r\ni=about\r\nc=IN IP4 192.0.2.1\r\nb=AS:100\r\nt=0 0\r\n"
                + "m=video 5000/2 RTP/AVP 96\r\ni=cam\r\nc=IN IP4 192.0.2.2\r\nb=TIAS:64000\r\na=rtpmap:96 VP8/90000\r\n";
        SessionDescription sd = SdpParser.parse(text);
        assertEquals(2, sd.media().getFirst().portCount());
        assertEquals(List.of("TIAS:64000"), sd.media().getFirst().bandwidths());
        assertEquals("about", sd.information());
        assertEquals(text, sd.toSdp());
    }

    @Test
    void rejectsWhatIsNotSdp() {
        assertMessage(null, "empty SDP");
        assertMessage("", "empty SDP");
        assertMessage("hello", "v=0");
        assertMessage("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n", "v=0");
        assertMessage("v=1\r\n", "unsupported SDP version");
        assertMessage("v=0\r\ns=-\r\n", "o= must follow v=");
        assertMessage("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nt=0 0\r\n", "s= must follow o=");
        assertMessage("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n", "missing t=");
        assertMessage("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n", "missing t= before");
        assertMessage("v=0\r\no=- 1 IN IP4 0.0.0.0\r\n", "o= needs 6 fields");
        assertMessage("v=0\r\no=- x 1 IN IP4 0.0.0.0\r\n", "must be numbers");
        assertMessage(header() + "garbage\r\n", "line 5: not of the form x=...: \"garbage\"");
        assertMessage(header() + "\r\na=x\r\n", "line 5: not of the form x=");
        assertMessage(header() + "A=x\r\n", "not of the form x=");
        assertMessage(header() + "x=unknown\r\n", "line type x= not allowed at session level");
        assertMessage(header() + "m=audio 9 RTP/AVP 0\r\ns=again\r\n", "line type s= not allowed in a media section");
        assertMessage(header() + "m=audio 70000 RTP/AVP 0\r\n", "m= port out of range");
        assertMessage(header() + "m=audio 9 RTP/AVP\r\n", "m= needs media, port, proto and a format");
        assertMessage(header() + "m=audio  9 RTP/AVP 0\r\n", "malformed m= line");
        assertMessage(header() + "c=IN IP4\r\n", "c= needs 3 fields");
        assertMessage(header() + "a=bad name\r\n", "malformed attribute name");
        assertMessage(header() + "a=:x\r\n", "malformed attribute name");
        assertMessage(header() + "a=x\rb\r\n", "stray CR or NUL");
        assertMessage(header() + "a=x\u0000\r\n", "stray CR or NUL");
        assertMessage(header() + "b=AS\r\n", "b= must be");
    }

    @Test
    void rejectsInputOver64KiB() {
        StringBuilder b = new StringBuilder(header());
        while (b.length() <= SdpParser.MAX_BYTES) b.append("a=x-padding:0123456789abcdef0123456789abcdef\r\n");
        assertMessage(b.toString(), "larger than 65536 bytes");
        // 22k three-byte characters are 66k bytes although the string is short of 64k chars
        assertMessage(header() + "s=" + "\u20ac".repeat(22_000) + "\r\n", "larger than 65536 bytes");
    }

    @Test
    void rejectsMoreThan64MediaSections() throws SdpException {
        StringBuilder b = new StringBuilder(header());
        for (int i = 0; i < 64; i++) b.append("m=audio 9 RTP/AVP 0\r\na=mid:").append(i).append("\r\n");
        assertEquals(64, SdpParser.parse(b.toString()).media().size());
        b.append("m=audio 9 RTP/AVP 0\r\n");
        assertMessage(b.toString(), "more than 64 media sections");
    }

    private static String header() {
        return "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
    }

    private static void assertMessage(String sdp, String expectedPart) {
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse(sdp));
        assertTrue(e.getMessage().contains(expectedPart), () -> "message \"" + e.getMessage() + "\" lacks \"" + expectedPart + "\"");
    }
}
