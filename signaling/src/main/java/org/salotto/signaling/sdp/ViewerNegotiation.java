package org.salotto.signaling.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpHeaderExtension;

/**
 * Answers the one offer of a viewer's connection (WHEP, draft-ietf-wish-whep): the client offers, it receives, and
 * Salotto sends. Unlike the subscriber connection of the WebSocket protocol there is no renegotiation afterwards, so
 * the m-sections the client offered are all the slots it will ever have; the conference fills them with the tracks
 * on the stage and refills a slot when its track ends (same SSRC, see docs/api.md "WHIP and WHEP").
 *
 * <p>Per m-section that the client receives on ({@code recvonly} or {@code sendrecv}): audio takes Opus, video takes
 * VP8 or H.264 Constrained Baseline with packetization-mode 1 ({@code preferredVideo}: the n-th video m-section
 * tries the codec of the stage's n-th camera first, when offered), each with the client's payload types and its RTX when offered. The answer is
 * {@code sendonly} with {@code a=msid} and the SSRCs announced (RFC 5576), ICE-lite with the one host candidate, and
 * Salotto the DTLS server ({@code a=setup:passive}). Anything else is rejected (port 0).
 */
public final class ViewerNegotiation {
    private static final List<String> VIDEO_FEEDBACK = List.of("nack", "nack pli", "ccm fir", "transport-cc");
    /** transport-cc: the server numbers what it sends and estimates the viewer's downlink from its feedback. */
    private static final List<String> WANTED_EXTENSIONS = List.of(RtpHeaderExtension.AUDIO_LEVEL,
            RtpHeaderExtension.ABS_SEND_TIME, RtpHeaderExtension.TRANSPORT_CC);
    /** The stream id of every track a viewer gets ({@code a=msid}). */
    public static final String STREAM_ID = "salotto";

    private ViewerNegotiation() {
    }

    /** One m-section Salotto will send on: what the client accepted of it and the SSRCs chosen. */
    public record Slot(String mid, MediaKind kind, RtpCodec codec, List<RtpHeaderExtension> extensions, int ssrc,
                       int rtxSsrc) {
    }

    /** The answer, the client's transport, and the slots to fill. */
    public record Answer(String sdp, IceParameters clientIce, DtlsParameters clientDtls, List<Slot> slots) {
    }

    /**
     * @param offerSdp       the client's offer, untrusted
     * @param server         Salotto's end of this connection
     * @param sessionId      the o= session id, 0 to 2^63-1
     * @param preferredVideo "video/VP8" or "video/H264": tried first when the client offers both; null for VP8
     * @param ssrcs          new SSRCs, non-zero (duplicates are skipped here)
     * @throws SdpException when the offer cannot be read, has no ICE credentials or fingerprint, asks Salotto to be the
     *                      DTLS client, or has no m-section Salotto can send on
     */
    public static Answer answer(String offerSdp, ServerTransport server, long sessionId, String preferredVideo,
                                IntSupplier ssrcs) throws SdpException {
        return answer(offerSdp, server, sessionId, n -> preferredVideo, ssrcs);
    }

    /**
     * As above, with a preference per video m-section: the n-th video m-section offered tries the n-th codec of
     * {@code preferredVideo} first (the codecs of the stage's cameras in the order they came, so that each camera has
     * a slot of its codec when the client offers both); beyond the list, VP8 first.
     */
    public static Answer answer(String offerSdp, ServerTransport server, long sessionId, List<String> preferredVideo,
                                IntSupplier ssrcs) throws SdpException {
        List<String> codecs = List.copyOf(preferredVideo);
        return answer(offerSdp, server, sessionId, n -> n < codecs.size() ? codecs.get(n) : null, ssrcs);
    }

    /** {@code preferredVideo}: the codec the n-th video m-section (from 0) tries first, or null for VP8. */
    private static Answer answer(String offerSdp, ServerTransport server, long sessionId,
                                 java.util.function.IntFunction<String> preferredVideo, IntSupplier ssrcs) throws SdpException {
        SessionDescription offer = SdpParser.parse(offerSdp);
        if (offer.media().isEmpty()) throw new SdpException("the offer has no media sections");
        Set<String> mids = new HashSet<>();
        Set<Integer> usedSsrcs = new HashSet<>();
        IceParameters clientIce = null;
        DtlsParameters clientDtls = null;
        List<MediaDescription> answerMedia = new ArrayList<>();
        List<Slot> slots = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        Set<String> bundle = bundleGroup(offer);
        Set<Integer> ambiguous = ambiguousExtensionIds(offer);
        int videoSections = 0;
        for (MediaDescription m : offer.media()) {
            String mid = m.mid();
            if (mid != null && !mids.add(mid)) throw new SdpException("mid " + SdpException.excerpt(mid) + " is used twice");
            MediaKind kind = PublisherNegotiation.kindOf(m.media());
            if (m.isRejected() || kind == null || mid == null || !Tokens.isToken(mid)
                    || !m.proto().equalsIgnoreCase(PublisherNegotiation.PROTO) || !m.direction(offer).receives()) {
                answerMedia.add(rejected(m, server));
                continue;
            }
            IceParameters ice = TransportReader.ice(m, offer);
            DtlsParameters dtls = TransportReader.fingerprint(m, offer);
            String setup = TransportReader.setup(m, offer);
            if (setup != null && !setup.equals("actpass") && !setup.equals("active")) {
                throw new SdpException("mid " + SdpException.excerpt(mid) + ": a=setup:" + SdpException.excerpt(setup)
                        + " — Salotto is always the DTLS server, so the offer must say actpass or active");
            }
            if (!m.hasAttribute("rtcp-mux")) {
                throw new SdpException("mid " + SdpException.excerpt(mid) + ": no a=rtcp-mux (Salotto has one port for RTP and RTCP)");
            }
            String preferred = kind == MediaKind.VIDEO ? preferredVideo.apply(videoSections) : null;
            RtpCodec codec = choose(kind, RtpSectionReader.formats(m), preferred);
            if (kind == MediaKind.VIDEO) videoSections++;
            if (codec == null) {
                answerMedia.add(rejected(m, server));
                continue;
            }
            if (clientIce == null) {
                clientIce = ice;
                clientDtls = dtls;
            }
            List<RtpHeaderExtension> extensions = new ArrayList<>();
            for (RtpHeaderExtension e : RtpSectionReader.headerExtensions(m)) {
                if (WANTED_EXTENSIONS.contains(e.uri()) && !ambiguous.contains(e.id())
                        && (kind == MediaKind.AUDIO || !e.uri().equals(RtpHeaderExtension.AUDIO_LEVEL))) {
                    extensions.add(e);
                }
            }
            int ssrc = newSsrc(ssrcs, usedSsrcs);
            int rtxSsrc = codec.hasRtx() ? newSsrc(ssrcs, usedSsrcs) : 0;
            Slot slot = new Slot(mid, kind, codec, List.copyOf(extensions), ssrc, rtxSsrc);
            slots.add(slot);
            accepted.add(mid);
            answerMedia.add(section(m, slot, server));
        }
        if (slots.isEmpty()) {
            throw new SdpException("the offer has no m-section Salotto can send on: offer to receive (recvonly) audio with "
                    + "Opus or video with VP8 or H.264 (Constrained Baseline, packetization-mode=1)");
        }
        if (accepted.size() > 1 && !bundle.containsAll(accepted)) {
            throw new SdpException("the offer must bundle its media (a=group:BUNDLE): Salotto has one transport per peer connection");
        }
        List<Attribute> session = new ArrayList<>();
        session.add(Attribute.flag("ice-lite"));
        List<String> bundled = accepted.stream().filter(bundle::contains).toList();
        if (!bundled.isEmpty()) session.add(Attribute.of("group", "BUNDLE " + String.join(" ", bundled)));
        session.add(Attribute.of("msid-semantic", " WMS *"));
        String sdp = SessionDescription.of(Origin.of(sessionId, 1), session, answerMedia).toSdp();
        return new Answer(sdp, clientIce, clientDtls, List.copyOf(slots));
    }

    /**
     * Header extension ids the offer gives to two different URIs in two m-sections. A bundle shares one id space
     * (RFC 8843 section 9.1.3.1), and some clients (aiortc 1.4) parse every packet with one map: an audio level under
     * the id of their video's abs-send-time makes them fail. Such ids are not used at all.
     */
    private static Set<Integer> ambiguousExtensionIds(SessionDescription offer) throws SdpException {
        java.util.Map<Integer, String> seen = new java.util.HashMap<>();
        Set<Integer> out = new HashSet<>();
        for (MediaDescription m : offer.media()) {
            if (m.isRejected() || PublisherNegotiation.kindOf(m.media()) == null) continue;
            for (RtpHeaderExtension e : RtpSectionReader.headerExtensions(m)) {
                String before = seen.putIfAbsent(e.id(), e.uri());
                if (before != null && !before.equals(e.uri())) out.add(e.id());
            }
        }
        return out;
    }

    private static int newSsrc(IntSupplier ssrcs, Set<Integer> used) {
        while (true) {
            int s = ssrcs.getAsInt();
            if (s != 0 && used.add(s)) return s;
        }
    }

    /** The codec for one m-section, with the client's payload types, or null when none is offered. */
    private static RtpCodec choose(MediaKind kind, List<RtpFormat> formats, String preferredVideo) {
        if (kind == MediaKind.AUDIO) {
            for (RtpFormat f : formats) {
                if (f.isNamed("opus") && f.clockRate() == 48000) {
                    List<String> feedback = f.rtcpFeedback().contains("transport-cc") ? List.of("transport-cc") : List.of();
                    return new RtpCodec("audio/opus", f.payloadType(), 48000, 2, f.fmtp(), feedback, -1);
                }
            }
            return null;
        }
        RtpFormat vp8 = null;
        RtpFormat h264 = null;
        for (RtpFormat f : formats) {
            if (f.clockRate() != 90000) continue;
            if (vp8 == null && f.isNamed("VP8")) vp8 = f;
            if (h264 == null && f.isNamed("H264") && isConstrainedBaselineMode1(f)) h264 = f;
        }
        RtpFormat pick = "video/H264".equalsIgnoreCase(preferredVideo) && h264 != null ? h264 : vp8 != null ? vp8 : h264;
        if (pick == null) return null;
        int rtx = -1;
        for (RtpFormat f : formats) {
            if (f.isNamed("rtx") && f.associatedPayloadType() == pick.payloadType()) {
                rtx = f.payloadType();
                break;
            }
        }
        List<String> feedback = new ArrayList<>();
        for (String fb : VIDEO_FEEDBACK) if (pick.rtcpFeedback().contains(fb)) feedback.add(fb);
        String mime = pick == vp8 ? "video/VP8" : "video/H264";
        return new RtpCodec(mime, pick.payloadType(), 90000, 1, pick.fmtp(), feedback, rtx);
    }

    /** What publishers' H.264 is forwarded as (see {@link SubscriberCodecs#H264}): Baseline family, mode 1. */
    private static boolean isConstrainedBaselineMode1(RtpFormat f) {
        String mode = f.parameters().getOrDefault("packetization-mode", "0");
        String profile = f.parameters().getOrDefault("profile-level-id", "42000a").toLowerCase(Locale.ROOT);
        return mode.equals("1") && profile.matches("42[0-9a-f]{4}");
    }

    private static MediaDescription section(MediaDescription offered, Slot slot, ServerTransport server) {
        RtpCodec codec = slot.codec();
        List<String> formats = new ArrayList<>();
        formats.add(Integer.toString(codec.payloadType()));
        if (codec.hasRtx()) formats.add(Integer.toString(codec.rtxPayloadType()));
        String trackId = slot.kind().sdpName() + "-" + slot.mid();
        List<Attribute> a = new ArrayList<>();
        a.add(Attribute.of("mid", slot.mid()));
        a.addAll(server.credentials("passive"));
        a.add(Attribute.flag("rtcp-mux"));
        if (offered.hasAttribute("rtcp-rsize")) a.add(Attribute.flag("rtcp-rsize"));
        a.add(Attribute.flag(Direction.SENDONLY.sdpName()));
        a.add(Attribute.of("msid", STREAM_ID + " " + trackId));
        for (RtpHeaderExtension e : slot.extensions()) a.add(Attribute.of("extmap", e.id() + " " + e.uri()));
        RtpSdp.appendCodec(a, codec, RtpSdp.encodingName(codec));
        String msid = " msid:" + STREAM_ID + " " + trackId;
        String cname = " cname:" + STREAM_ID;
        if (slot.rtxSsrc() != 0) {
            a.add(Attribute.of("ssrc-group", "FID " + unsigned(slot.ssrc()) + " " + unsigned(slot.rtxSsrc())));
        }
        a.add(Attribute.of("ssrc", unsigned(slot.ssrc()) + cname));
        a.add(Attribute.of("ssrc", unsigned(slot.ssrc()) + msid));
        if (slot.rtxSsrc() != 0) {
            a.add(Attribute.of("ssrc", unsigned(slot.rtxSsrc()) + cname));
            a.add(Attribute.of("ssrc", unsigned(slot.rtxSsrc()) + msid));
        }
        a.addAll(server.candidates());
        return MediaDescription.of(offered.media(), server.candidatePort(), offered.proto(), formats, server.connection(), a);
    }

    private static MediaDescription rejected(MediaDescription offered, ServerTransport server) {
        List<Attribute> a = new ArrayList<>();
        if (offered.mid() != null && Tokens.isToken(offered.mid())) a.add(Attribute.of("mid", offered.mid()));
        a.add(Attribute.flag(Direction.INACTIVE.sdpName()));
        return MediaDescription.of(offered.media(), 0, offered.proto(), List.of(offered.formats().getFirst()),
                server.connection(), a);
    }

    private static Set<String> bundleGroup(SessionDescription offer) {
        for (String g : offer.attributeValues("group")) {
            String[] f = g.split(" ");
            if (f[0].equals("BUNDLE")) return new HashSet<>(List.of(f).subList(1, f.length));
        }
        return Set.of();
    }

    private static String unsigned(int ssrc) {
        return Integer.toUnsignedString(ssrc);
    }
}
