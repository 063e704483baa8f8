package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.rtp.VideoPayloads;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.signaling.sdp.MediaDescription;
import org.salotto.signaling.sdp.SdpParser;
import org.salotto.signaling.sdp.SessionDescription;

/**
 * What a {@code --simulcast} publisher puts on the wire, byte for byte: the offer's three rids as Chromium writes them,
 * each layer's packets with its rid (until the server's report acknowledges the SSRC) and keyframes whose VP8 header
 * carries the layer's size, read back with the server's own parsers.
 */
class SimulcastPublisherTest {
    private static final byte[] KEY = new byte[16];
    private static final byte[] SALT = new byte[14];

    /** Keeps what the connection sends. */
    private static final class Captured implements ClientLink {
        final List<byte[]> datagrams = new ArrayList<>();

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public void connect(InetSocketAddress remote) {
        }

        @Override
        public boolean send(byte[] buf, int off, int len) {
            datagrams.add(Arrays.copyOfRange(buf, off, off + len));
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static ClientConnection connection(Captured link) {
        ClientConnection c = new ClientConnection(link, true, false, ServerKind.SALOTTO.srtpProfiles);
        c.srtpOut = new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, KEY, SALT);
        return c;
    }

    @Test
    void theOfferHasThreeRidsTheRidExtensionAndNoVideoSsrc() throws Exception {
        ClientConnection c = connection(new Captured());
        String sdp = ClientSdp.publisherOffer(c, ClientIdentity.generate(), "pub-0", "actpass", 11, 22, 33, true);
        SessionDescription offer = SdpParser.parse(sdp);
        MediaDescription video = offer.mediaByMid(ClientSdp.VIDEO_MID);
        assertEquals(List.of("q send", "h send", "f send"), video.attributeValues("rid"));
        assertEquals("send q;h;f", video.attribute("simulcast").orElseThrow());
        assertTrue(video.attributeValues("extmap").contains(ClientSdp.RID_ID + " " + RtpHeaderExtension.RID));
        assertTrue(video.attributeValues("ssrc").isEmpty(), "a simulcast video announces no SSRC: " + video.attributeValues("ssrc"));
        assertTrue(video.attribute("ssrc-group").isEmpty());
        assertEquals(List.of("11 cname:pub-0", "11 msid:pub-0 audio-pub-0"), offer.mediaByMid(ClientSdp.AUDIO_MID).attributeValues("ssrc"));
        // One encoding: as before, SSRCs and no rid.
        MediaDescription one = SdpParser.parse(ClientSdp.publisherOffer(c, ClientIdentity.generate(), "pub-0", "actpass",
                11, 22, 33, false)).mediaByMid(ClientSdp.VIDEO_MID);
        assertTrue(one.attributeValues("rid").isEmpty());
        assertEquals("FID 22 33", one.attribute("ssrc-group").orElseThrow());
    }

    @Test
    void aLayersPacketsCarryItsRidUntilAckedAndItsKeyframesItsSize() {
        Captured link = new Captured();
        ClientConnection c = connection(link);
        Metrics metrics = new Metrics();
        RtpWriter writer = new RtpWriter(c, metrics, ClientSdp.VP8_PT, 0x1234, false, "h");
        VideoSource h = new VideoSource(writer, metrics, SimulcastLayer.MEDIUM.kbps(500), 3, SimulcastLayer.MEDIUM);
        long now = 1_000_000_000L;
        now = h.run(now); // frame 0: a keyframe
        int keyframePackets = link.datagrams.size();
        assertTrue(keyframePackets >= 1);
        SrtpContext in = new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, KEY, SALT);
        byte[] first = clear(in, link.datagrams.getFirst());

        // The extension block: transport-cc (id 3, 2 bytes), rid (id 10, "h"), padding: 0xBEDE, 2 words.
        assertEquals(0x1234, RtpPacket.ssrc(first, 0));
        int ext = RtpPacket.FIXED_HEADER_LENGTH;
        assertEquals(List.of(0xBE, 0xDE, 0x00, 0x02), unsigned(first, ext, 4));
        assertEquals(0x31, first[ext + 4] & 0xFF, "transport-cc: id 3, 2 bytes");
        assertEquals(List.of(0xA0, (int) 'h', 0, 0, 0), unsigned(first, ext + 7, 5), "rid: id 10, 1 byte, then padding");
        long rid = RtpHeaderExtensions.locate(first, 0, first.length, ClientSdp.RID_ID);
        assertTrue(rid >= 0, "the rid element");
        assertEquals(1, rid & 0xFFFF);
        assertEquals('h', first[(int) (rid >>> 16)]);

        // The payload: descriptor (S), frame tag (key, show), start code, 640 and 360 little-endian.
        int payload = RtpPacket.headerLength(first, 0, first.length);
        assertEquals(List.of(0x10, 0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01), unsigned(first, payload, 11));
        int size = VideoPayloads.vp8KeyframeSize(first, payload, first.length - payload);
        assertEquals(640, size >>> 16);
        assertEquals(360, size & 0xFFFF);
        assertEquals(2, first[first.length - 9], "the layer index before the send time");

        // A delta frame: P = 1, no size; still the rid.
        h.run(now);
        byte[] delta = clear(in, link.datagrams.get(keyframePackets));
        int dp = RtpPacket.headerLength(delta, 0, delta.length);
        assertEquals(List.of(0x10, 0x11), unsigned(delta, dp, 2));
        assertEquals(-1, VideoPayloads.vp8KeyframeSize(delta, dp, delta.length - dp));
        assertTrue(RtpHeaderExtensions.locate(delta, 0, delta.length, ClientSdp.RID_ID) >= 0);

        // Acknowledged: no rid element any more, the payload where it was.
        writer.ridAcked = true;
        int before = link.datagrams.size();
        h.run(now + 40_000_000L);
        byte[] after = clear(in, link.datagrams.get(before));
        assertEquals(-1, RtpHeaderExtensions.locate(after, 0, after.length, ClientSdp.RID_ID));
        assertTrue(RtpHeaderExtensions.locate(after, 0, after.length, ClientSdp.TRANSPORT_CC_ID) >= 0);
        assertEquals(payload, RtpPacket.headerLength(after, 0, after.length));
    }

    @Test
    void aPausedLayerSendsNothingAndResumesOnAKeyframe() {
        Captured link = new Captured();
        ClientConnection c = connection(link);
        Metrics metrics = new Metrics();
        VideoSource f = new VideoSource(new RtpWriter(c, metrics, ClientSdp.VP8_PT, 7, false, "f"), metrics,
                SimulcastLayer.HIGH.kbps(500), 3, SimulcastLayer.HIGH);
        long now = f.run(1_000_000_000L);
        now = f.run(now);
        f.setPaused(true);
        int sent = link.datagrams.size();
        for (int i = 0; i < 5; i++) now = f.run(now);
        assertEquals(sent, link.datagrams.size(), "a paused layer sent");
        f.setPaused(false);
        f.run(now);
        assertTrue(link.datagrams.size() > sent);
        byte[] resumed = clear(new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, KEY, SALT), link.datagrams, sent);
        int p = RtpPacket.headerLength(resumed, 0, resumed.length);
        int size = VideoPayloads.vp8KeyframeSize(resumed, p, resumed.length - p);
        assertEquals(1280 << 16 | 720, size, "a resumed layer starts on a keyframe of its size");
        assertFalse(f.paused());
    }

    @Test
    void viewerSizesAreTakenByTurns() {
        List<LoadTestConfig.ViewerSize> turns = LoadTestConfig.viewerSizes("small:1,large:2,100x50");
        assertEquals(List.of("small", "large", "large", "100x50"), turns.stream().map(LoadTestConfig.ViewerSize::name).toList());
        assertEquals(320, turns.getFirst().width());
        assertTrue(LoadTestConfig.viewerSizes("").isEmpty());
        for (String bad : new String[] {"tiny", "small:x", "99999x1", "small:1:2", "small:0"}) {
            try {
                LoadTestConfig.viewerSizes(bad);
                throw new AssertionError(bad + " was taken");
            } catch (IllegalArgumentException expected) {
                // refused
            }
        }
    }

    /** Decrypts every datagram up to and including index i in order (SRTP's replay window), returns the i-th clear. */
    private static byte[] clear(SrtpContext in, List<byte[]> datagrams, int i) {
        byte[] out = null;
        for (int k = 0; k <= i; k++) out = clear(in, datagrams.get(k));
        return out;
    }

    private static byte[] clear(SrtpContext in, byte[] datagram) {
        byte[] b = datagram.clone();
        int n = in.unprotectRtp(b, 0, b.length);
        assertTrue(n > 0, "SRTP");
        return Arrays.copyOf(b, n);
    }

    private static List<Integer> unsigned(byte[] b, int off, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(b[off + i] & 0xFF);
        return out;
    }

}
