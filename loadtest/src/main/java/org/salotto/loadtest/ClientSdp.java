package org.salotto.loadtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.signaling.sdp.Attribute;
import org.salotto.signaling.sdp.Direction;
import org.salotto.signaling.sdp.MediaDescription;
import org.salotto.signaling.sdp.SessionDescription;

/**
 * The SDP a browser would write, reduced to what Salotto reads (see docs/sdp.md): the publisher connection's offer and
 * the subscriber connection's answer, and the streams a subscribe offer announces.
 */
final class ClientSdp {
    static final int AUDIO_LEVEL_ID = 1;
    static final int TRANSPORT_CC_ID = 3;
    /** The rtp-stream-id element's id, Chromium's (RFC 8852; a simulcast layer's packets carry its rid). */
    static final int RID_ID = 10;
    static final int OPUS_PT = 111;
    static final int VP8_PT = 96;
    static final int RTX_PT = 97;
    static final String AUDIO_MID = "0";
    static final String VIDEO_MID = "1";

    /** One stream a subscribe offer announces: whose track, which SSRC, at what RTP clock rate. */
    record Stream(int ssrc, String ownerId, String trackId, boolean video) {
        int clockRate() {
            return video ? 90000 : 48000;
        }
    }

    private ClientSdp() {
    }

    /**
     * The publisher offer: audio Opus/111 and/or video VP8/96 with RTX/97, {@code sendonly}, bundled, rtcp-mux, SSRCs
     * announced, transport-wide-cc negotiated, our one host candidate. Mid 0 is audio, mid 1 video (when present).
     * {@code setup} is {@code actpass} as a browser writes it, or {@code active} to stay the DTLS client towards a
     * server that would otherwise pick that role for itself.
     */
    static String publisherOffer(ClientConnection c, ClientIdentity identity, String cname, String setup,
                                 int audioSsrc, int videoSsrc, int rtxSsrc) throws IOException {
        return publisherOffer(c, identity, cname, setup, audioSsrc, videoSsrc, rtxSsrc, false);
    }

    /**
     * As above; with {@code simulcast} the video goes in {@link SimulcastLayer#ALL}'s three layers as Chromium offers
     * them (RFC 8853): {@code a=rid:q send}, {@code h}, {@code f}, {@code a=simulcast:send q;h;f}, the rtp-stream-id
     * extension, and no SSRC (the server learns each layer's from the rid its first packets carry; {@code videoSsrc}
     * only says that there is video).
     */
    static String publisherOffer(ClientConnection c, ClientIdentity identity, String cname, String setup,
                                 int audioSsrc, int videoSsrc, int rtxSsrc, boolean simulcast) throws IOException {
        List<String> mids = new ArrayList<>();
        if (audioSsrc != 0) mids.add(AUDIO_MID);
        if (videoSsrc != 0) mids.add(VIDEO_MID);
        StringBuilder b = new StringBuilder();
        b.append("v=0\r\no=- ").append(Math.abs((long) cname.hashCode())).append(" 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        b.append("a=group:BUNDLE ").append(String.join(" ", mids)).append("\r\n");
        b.append("a=msid-semantic: WMS ").append(cname).append("\r\n");
        if (audioSsrc != 0) {
            section(b, "audio", "111", AUDIO_MID, c, identity, setup);
            b.append("a=extmap:").append(AUDIO_LEVEL_ID).append(' ').append(RtpHeaderExtension.AUDIO_LEVEL).append("\r\n");
            b.append("a=extmap:").append(TRANSPORT_CC_ID).append(' ').append(RtpHeaderExtension.TRANSPORT_CC).append("\r\n");
            b.append("a=sendonly\r\na=msid:").append(cname).append(" audio-").append(cname).append("\r\n");
            b.append("a=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n");
            b.append("a=fmtp:111 minptime=10;useinbandfec=1\r\n");
            ssrc(b, audioSsrc, cname, "audio-" + cname);
        }
        if (videoSsrc != 0) {
            section(b, "video", "96 97", VIDEO_MID, c, identity, setup);
            b.append("a=extmap:").append(TRANSPORT_CC_ID).append(' ').append(RtpHeaderExtension.TRANSPORT_CC).append("\r\n");
            if (simulcast) b.append("a=extmap:").append(RID_ID).append(' ').append(RtpHeaderExtension.RID).append("\r\n");
            b.append("a=sendonly\r\na=msid:").append(cname).append(" video-").append(cname).append("\r\n");
            b.append("a=rtcp-mux\r\na=rtcp-rsize\r\na=rtpmap:96 VP8/90000\r\n");
            b.append("a=rtcp-fb:96 goog-remb\r\na=rtcp-fb:96 transport-cc\r\na=rtcp-fb:96 ccm fir\r\n");
            b.append("a=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n");
            if (simulcast) {
                StringBuilder rids = new StringBuilder();
                for (SimulcastLayer l : SimulcastLayer.ALL) {
                    b.append("a=rid:").append(l.rid()).append(" send\r\n");
                    rids.append(rids.isEmpty() ? "" : ";").append(l.rid());
                }
                b.append("a=simulcast:send ").append(rids).append("\r\n");
                return b.toString();
            }
            b.append("a=ssrc-group:FID ").append(Integer.toUnsignedString(videoSsrc)).append(' ')
                    .append(Integer.toUnsignedString(rtxSsrc)).append("\r\n");
            ssrc(b, videoSsrc, cname, "video-" + cname);
            ssrc(b, rtxSsrc, cname, "video-" + cname);
        }
        return b.toString();
    }

    /**
     * The answer to a subscribe offer: the same m-sections, {@code recvonly} where the server sends and
     * {@code inactive} where it does not, with our credentials and {@code a=setup:active} (Salotto is the DTLS server).
     */
    static String subscriberAnswer(SessionDescription offer, ClientConnection c, ClientIdentity identity)
            throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("v=0\r\no=- ").append(offer.origin().sessionId()).append(' ').append(offer.origin().sessionVersion())
                .append(" IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        List<String> mids = new ArrayList<>();
        for (MediaDescription m : offer.media()) if (!m.isRejected()) mids.add(m.mid());
        if (!mids.isEmpty()) b.append("a=group:BUNDLE ").append(String.join(" ", mids)).append("\r\n");
        for (MediaDescription m : offer.media()) {
            if (m.isRejected()) {
                b.append("m=").append(m.media()).append(" 0 ").append(m.proto()).append(' ').append(m.formats().getFirst())
                        .append("\r\nc=IN IP4 0.0.0.0\r\na=mid:").append(m.mid()).append("\r\na=inactive\r\n");
                continue;
            }
            b.append("m=").append(m.media()).append(" 9 ").append(m.proto()).append(' ')
                    .append(String.join(" ", m.formats())).append("\r\nc=IN IP4 0.0.0.0\r\n");
            credentials(b, c, identity, "active");
            b.append("a=mid:").append(m.mid()).append("\r\na=rtcp-mux\r\n");
            boolean sends = m.direction(offer) == Direction.SENDONLY;
            b.append(sends ? "a=recvonly\r\n" : "a=inactive\r\n");
            for (Attribute a : m.attributes()) {
                switch (a.name()) {
                    case "rtpmap", "fmtp", "rtcp-fb", "extmap", "rtcp-rsize" -> b.append("a=").append(a).append("\r\n");
                    default -> { }
                }
            }
        }
        return b.toString();
    }

    /** The streams the server will send, by SSRC: each sendonly m-section's first a=ssrc and its a=msid owner. */
    static List<Stream> streams(SessionDescription offer) {
        List<Stream> out = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            if (m.isRejected() || m.direction(offer) != Direction.SENDONLY) continue;
            String[] msid = m.attribute("msid").orElse("? ?").split(" ");
            List<String> ssrcs = m.attributeValues("ssrc");
            if (ssrcs.isEmpty()) continue;
            int ssrc = Integer.parseUnsignedInt(ssrcs.getFirst().split(" ")[0]);
            out.add(new Stream(ssrc, msid[0], msid.length > 1 ? msid[1] : "?", m.media().equals("video")));
        }
        return out;
    }

    private static void section(StringBuilder b, String kind, String formats, String mid, ClientConnection c,
                                ClientIdentity identity, String setup) throws IOException {
        b.append("m=").append(kind).append(" 9 UDP/TLS/RTP/SAVPF ").append(formats).append("\r\n");
        b.append("c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n");
        credentials(b, c, identity, setup);
        b.append("a=mid:").append(mid).append("\r\n");
    }

    /** ICE credentials and our one host candidate (complete: no trickle), the fingerprint, the DTLS role. */
    private static void credentials(StringBuilder b, ClientConnection c, ClientIdentity identity, String setup)
            throws IOException {
        b.append("a=ice-ufrag:").append(c.localUfrag).append("\r\na=ice-pwd:").append(c.localPwd).append("\r\n");
        InetSocketAddress local = c.localAddress();
        b.append("a=candidate:1 1 udp 2130706431 ").append(local.getAddress().getHostAddress()).append(' ')
                .append(local.getPort()).append(" typ host\r\na=end-of-candidates\r\n");
        b.append("a=ice-options:trickle\r\na=fingerprint:sha-256 ").append(identity.fingerprintSha256()).append("\r\n");
        b.append("a=setup:").append(setup).append("\r\n");
    }

    private static void ssrc(StringBuilder b, int ssrc, String cname, String track) {
        String s = Integer.toUnsignedString(ssrc);
        b.append("a=ssrc:").append(s).append(" cname:").append(cname).append("\r\n");
        b.append("a=ssrc:").append(s).append(" msid:").append(cname).append(' ').append(track).append("\r\n");
    }
}
