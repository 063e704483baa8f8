package org.salotto.signaling.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;

/**
 * Writes the offer of a subscriber peer connection (Salotto sends, the browser receives).
 *
 * <p>ICE-lite with one host candidate; {@code a=setup:actpass} as RFC 8842 asks of every offer, though Salotto needs the
 * browser to answer {@code active} (see {@link SubscriberAnswer}). Each {@link SubscriberSlot.Send} is {@code sendonly}
 * with {@code a=msid:<participantId> <trackId>} and its SSRCs announced (RFC 5576), so the browser maps packets to
 * tracks without the mid header extension. Each {@link SubscriberSlot.Inactive} keeps its port and its place in the
 * BUNDLE group: only port 0 takes an m-section out of a bundle (RFC 8843 section 7.3.3), and a port-0 m-section could
 * never be given a new track under the same mid.
 */
public final class SubscriberOffer {
    private SubscriberOffer() {
    }

    /**
     * @param server         Salotto's end of this peer connection
     * @param sessionId      the o= session id, the same for every offer on this connection, 0 to 2^63-1
     * @param sessionVersion the o= version, greater than that of the previous offer on this connection
     * @param slots          the m-sections in order; the same mids in the same places as before, new ones at the end
     * @return the offer SDP
     */
    public static String build(ServerTransport server, long sessionId, long sessionVersion, List<SubscriberSlot> slots) {
        return describe(server, sessionId, sessionVersion, slots).toSdp();
    }

    /** The offer as a {@link SessionDescription}; {@link #build} writes it. */
    public static SessionDescription describe(ServerTransport server, long sessionId, long sessionVersion,
                                              List<SubscriberSlot> slots) {
        if (sessionId < 0 || sessionVersion < 0) throw new IllegalArgumentException("negative session id or version");
        Set<String> mids = new HashSet<>();
        List<MediaDescription> media = new ArrayList<>();
        for (SubscriberSlot slot : slots) {
            if (!mids.add(slot.mid())) throw new IllegalArgumentException("mid " + slot.mid() + " used twice");
            media.add(section(server, slot));
        }
        List<Attribute> session = new ArrayList<>();
        session.add(Attribute.flag("ice-lite"));
        if (!slots.isEmpty()) {
            session.add(Attribute.of("group", "BUNDLE " + String.join(" ", slots.stream().map(SubscriberSlot::mid).toList())));
        }
        session.add(Attribute.of("msid-semantic", " WMS *")); // as browsers write it; older Chrome needs it with a=msid
        return SessionDescription.of(Origin.of(sessionId, sessionVersion), session, media);
    }

    private static MediaDescription section(ServerTransport server, SubscriberSlot slot) {
        List<RtpCodec> codecs = switch (slot) {
            case SubscriberSlot.Send send -> send.codecs();
            case SubscriberSlot.Inactive inactive -> SubscriberCodecs.codecs(inactive.kind());
        };
        List<String> formats = new ArrayList<>();
        for (RtpCodec c : codecs) {
            formats.add(Integer.toString(c.payloadType()));
            if (c.hasRtx()) formats.add(Integer.toString(c.rtxPayloadType()));
        }

        List<Attribute> a = new ArrayList<>();
        a.add(Attribute.of("mid", slot.mid()));
        a.addAll(server.credentials("actpass"));
        a.add(Attribute.flag("rtcp-mux"));
        a.add(Attribute.flag("rtcp-rsize"));
        if (slot instanceof SubscriberSlot.Send send) {
            a.add(Attribute.flag(Direction.SENDONLY.sdpName()));
            a.add(Attribute.of("msid", send.streamId() + " " + send.trackId()));
        } else {
            a.add(Attribute.flag(Direction.INACTIVE.sdpName()));
        }
        for (RtpHeaderExtension e : SubscriberCodecs.headerExtensions(slot.kind())) {
            a.add(Attribute.of("extmap", e.id() + " " + e.uri()));
        }
        for (RtpCodec c : codecs) RtpSdp.appendCodec(a, c, RtpSdp.encodingName(c));
        if (slot instanceof SubscriberSlot.Send send) {
            RtpEncoding enc = send.encoding();
            String msid = " msid:" + send.streamId() + " " + send.trackId();
            String cname = " cname:" + send.streamId();
            boolean rtx = enc.hasRtx() && codecs.stream().anyMatch(RtpCodec::hasRtx);
            if (rtx) a.add(Attribute.of("ssrc-group", "FID " + unsigned(enc.ssrc()) + " " + unsigned(enc.rtxSsrc())));
            a.add(Attribute.of("ssrc", unsigned(enc.ssrc()) + cname));
            a.add(Attribute.of("ssrc", unsigned(enc.ssrc()) + msid));
            if (rtx) {
                a.add(Attribute.of("ssrc", unsigned(enc.rtxSsrc()) + cname));
                a.add(Attribute.of("ssrc", unsigned(enc.rtxSsrc()) + msid));
            }
        }
        a.addAll(server.candidates());
        return MediaDescription.of(slot.kind().sdpName(), server.candidatePort(), PublisherNegotiation.PROTO, formats,
                server.connection(), a);
    }

    private static String unsigned(int ssrc) {
        return Integer.toUnsignedString(ssrc);
    }
}
