package org.salotto.signaling.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;

/**
 * Answers the offers of one publisher peer connection (the browser sends, Salotto receives).
 *
 * <p>What Salotto accepts, per m-section (JSEP, RFC 8829 section 5.3): audio or video over {@code UDP/TLS/RTP/SAVPF}
 * that the browser sends ({@code sendonly} or {@code sendrecv}); answered {@code recvonly}. Audio: Opus, with RED
 * (RFC 2198) around it when offered as Chromium does ({@code red/48000/2}, fmtp {@code 111/111}) and this negotiation
 * takes it (media.red-for-opus): the answer then lists red first, which is what makes Chromium send it (it sends the
 * answer's first codec; with red first, RED around the next one). Video:
 * VP8, else H.264 in the Baseline family (what subscribers are offered, see {@link SubscriberCodecs}), preferring
 * packetization-mode=1 with profile-level-id 42e01f; each with its RTX when offered. Simulcast (RFC 8853): a video
 * section that sends two or three rids ({@code a=simulcast:send} and {@code a=rid:<id> send}) and offers the
 * rtp-stream-id header extension is answered {@code a=simulcast:recv} with those rids and {@code a=rid:<id> recv},
 * with the rtp-stream-id and repaired-rtp-stream-id extensions; its track's encodings are the rids, lowest first as
 * listed, whose SSRCs the media layer learns from the packets. Without the extension, the simulcast attributes are
 * left out and the browser sends one encoding. Any other m-section is rejected (port 0, {@code a=inactive}); an offer Salotto cannot set up a transport
 * for at all fails with {@link SdpException}.
 *
 * <p>The answer is ICE-lite with one host candidate, bundles every accepted m-section, and takes the DTLS server role
 * ({@code a=setup:passive}). Its o= line keeps one session id and increases the version with every answer, as RFC 3264
 * section 8 asks of a description that changes. Thread-safe; one instance per publisher peer connection.
 */
public final class PublisherNegotiation {
    static final String PROTO = "UDP/TLS/RTP/SAVPF";

    private static final List<String> AUDIO_FEEDBACK = List.of("transport-cc");
    private static final List<String> VIDEO_FEEDBACK = List.of("nack", "nack pli", "ccm fir", "transport-cc");
    private static final List<String> AUDIO_EXTENSIONS = List.of(RtpHeaderExtension.AUDIO_LEVEL,
            RtpHeaderExtension.ABS_SEND_TIME, RtpHeaderExtension.TRANSPORT_CC, RtpHeaderExtension.MID);
    private static final List<String> VIDEO_EXTENSIONS = List.of(RtpHeaderExtension.ABS_SEND_TIME,
            RtpHeaderExtension.TRANSPORT_CC, RtpHeaderExtension.MID);
    private static final List<String> SIMULCAST_EXTENSIONS = List.of(RtpHeaderExtension.ABS_SEND_TIME,
            RtpHeaderExtension.TRANSPORT_CC, RtpHeaderExtension.MID, RtpHeaderExtension.RID,
            RtpHeaderExtension.REPAIRED_RID);
    private static final String PREFERRED_H264_PROFILE = "42e01f";

    private ServerTransport server;
    private final long sessionId;
    private final IceRestart iceRestart;
    private final boolean redForOpus;
    private long sessionVersion;
    private String clientUfrag;

    /** Gives Salotto's end new ICE credentials when the browser restarts ICE (RFC 8445 section 9). */
    @FunctionalInterface
    public interface IceRestart {
        IceParameters restart();
    }

    /**
     * @param server    Salotto's end of this peer connection
     * @param sessionId the o= session id of every answer on this connection, 0 to 2^63-1
     */
    public PublisherNegotiation(ServerTransport server, long sessionId) {
        this(server, sessionId, null);
    }

    /**
     * @param iceRestart called when an offer carries new ICE credentials of the browser's; its result goes into this
     *                   answer and the ones after. Null: Salotto's credentials never change.
     */
    public PublisherNegotiation(ServerTransport server, long sessionId, IceRestart iceRestart) {
        this(server, sessionId, iceRestart, true);
    }

    /**
     * @param redForOpus whether an offer of RED around Opus (RFC 2198) is taken: the publisher then sends each audio
     *                   packet with a copy of the one before, about twice the audio bitrate on its uplink, and a lost
     *                   packet is repaired from the next without a round trip
     */
    public PublisherNegotiation(ServerTransport server, long sessionId, IceRestart iceRestart, boolean redForOpus) {
        this.redForOpus = redForOpus;
        this.server = Objects.requireNonNull(server, "server");
        if (sessionId < 0) throw new IllegalArgumentException("sessionId must not be negative");
        this.sessionId = sessionId;
        this.iceRestart = iceRestart;
    }

    /**
     * Answers an offer.
     *
     * @param offerSdp     the browser's offer, untrusted
     * @param sourcesByMid what each mid carries ("mic", "camera", "screen"), from the publish message; a mid missing
     *                     here is "mic" for audio and "camera" for video
     * @throws SdpException when the offer cannot be read, or lacks what any transport needs (ICE credentials, a
     *                      fingerprint, mids, the SAVPF profile, rtcp-mux), or asks Salotto to be the DTLS client
     */
    public synchronized PublisherAnswer answer(String offerSdp, Map<String, String> sourcesByMid) throws SdpException {
        return answer(offerSdp, sourcesByMid, null);
    }

    /**
     * As {@link #answer(String, Map)}, rejecting (port 0) the m-sections whose source {@code refused} says no to
     * instead of accepting them: a WHIP client cannot hear a refusal per track, so a space's WHIP publisher that
     * offers a camera publishes its microphone only. Null: every source is accepted here.
     */
    public synchronized PublisherAnswer answer(String offerSdp, Map<String, String> sourcesByMid,
                                               java.util.function.Predicate<String> refused) throws SdpException {
        SessionDescription offer = SdpParser.parse(offerSdp);
        String ufrag = offeredUfrag(offer);
        if (iceRestart != null && clientUfrag != null && ufrag != null && !ufrag.equals(clientUfrag)) {
            server = server.withIce(iceRestart.restart());
        }
        PublisherAnswer answer = negotiate(offer, sourcesByMid, refused, Origin.of(sessionId, sessionVersion + 1));
        sessionVersion++;
        clientUfrag = answer.clientIce().ufrag();
        return answer;
    }

    /** The browser's ufrag, from the first m-section it has not stopped; null when there is none. */
    private static String offeredUfrag(SessionDescription offer) throws SdpException {
        for (MediaDescription m : offer.media()) {
            if (!m.isRejected()) return TransportReader.ice(m, offer).ufrag();
        }
        return null;
    }

    private PublisherAnswer negotiate(SessionDescription offer, Map<String, String> sources,
                                      java.util.function.Predicate<String> refused, Origin origin)
            throws SdpException {
        if (offer.media().isEmpty()) throw new SdpException("the offer has no media sections");
        Set<String> offeredBundle = bundleGroup(offer);
        Set<String> mids = new HashSet<>();

        IceParameters clientIce = null;
        DtlsParameters clientDtls = null;
        List<MediaDescription> answerMedia = new ArrayList<>();
        List<TrackParameters> tracks = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        List<String> rejected = new ArrayList<>();

        for (MediaDescription m : offer.media()) {
            String mid = m.mid();
            if (mid != null && !mids.add(mid)) throw new SdpException("mid " + SdpException.excerpt(mid) + " is used twice");
            if (m.isRejected()) { // stopped by the browser: stays rejected (RFC 8829 section 5.3.1)
                answerMedia.add(rejectedSection(m));
                if (mid != null) rejected.add(mid);
                continue;
            }
            if (mid == null) throw new SdpException("m-section " + (answerMedia.size() + 1) + " (" + m.media() + ") has no a=mid");
            if (!Tokens.isToken(mid)) throw new SdpException("a=mid " + SdpException.excerpt(mid) + " is not a token");

            // The transport is shared (bundled): every live m-section must be able to describe it.
            IceParameters ice = TransportReader.ice(m, offer);
            DtlsParameters dtls = TransportReader.fingerprint(m, offer);
            String setup = TransportReader.setup(m, offer);
            if (setup != null && !setup.equals("actpass") && !setup.equals("active")) {
                throw new SdpException("mid " + SdpException.excerpt(mid) + ": a=setup:" + SdpException.excerpt(setup)
                        + " — Salotto is always the DTLS server, so the offer must say actpass or active");
            }
            if (clientIce == null) {
                clientIce = ice;
                clientDtls = dtls;
            }

            MediaKind kind = kindOf(m.media());
            if (kind == null) { // a data channel, or something else Salotto does not carry
                answerMedia.add(rejectedSection(m));
                rejected.add(mid);
                continue;
            }
            if (!m.proto().equalsIgnoreCase(PROTO)) {
                throw new SdpException("mid " + SdpException.excerpt(mid) + ": transport " + SdpException.excerpt(m.proto())
                        + " is not " + PROTO);
            }
            if (!m.hasAttribute("rtcp-mux")) {
                throw new SdpException("mid " + SdpException.excerpt(mid) + ": no a=rtcp-mux (Salotto has one port for RTP and RTCP)");
            }

            Chosen chosen = m.direction(offer).sends() ? choose(kind, RtpSectionReader.formats(m), redForOpus) : null;
            if (chosen == null) {
                answerMedia.add(rejectedSection(m));
                rejected.add(mid);
                continue;
            }
            List<RtpHeaderExtension> offeredExtensions = RtpSectionReader.headerExtensions(m);
            List<String> rids = kind == MediaKind.VIDEO ? RtpSectionReader.simulcastRids(m) : List.of();
            if (!rids.isEmpty() && offeredExtensions.stream().noneMatch(e -> e.uri().equals(RtpHeaderExtension.RID))) {
                rids = List.of();
            }
            List<RtpHeaderExtension> extensions = acceptedExtensions(kind, offeredExtensions, !rids.isEmpty());
            List<RtpEncoding> encodings = rids.isEmpty() ? RtpSectionReader.encodings(m)
                    : rids.stream().map(RtpEncoding::ofRid).toList();
            String source = sources == null ? null : sources.get(mid);
            if (source == null) source = kind == MediaKind.AUDIO ? "mic" : "camera";
            if (refused != null && refused.test(source)) {
                answerMedia.add(rejectedSection(m));
                rejected.add(mid);
                continue;
            }

            List<RtpCodec> codecs = chosen.red() == null ? List.of(chosen.codec()) : List.of(chosen.codec(), chosen.red());
            tracks.add(new TrackParameters(mid, kind, source, codecs, extensions, encodings));
            answerMedia.add(acceptedSection(m, chosen, extensions, rids));
            accepted.add(mid);
        }
        if (clientIce == null) throw new SdpException("the offer has no live media section (all have port 0)");
        if (accepted.size() > 1 && !offeredBundle.containsAll(accepted)) {
            throw new SdpException("the offer must bundle its media (a=group:BUNDLE): Salotto has one transport per peer connection");
        }

        List<Attribute> session = new ArrayList<>();
        session.add(Attribute.flag("ice-lite"));
        // An answer may only group what the offer grouped (RFC 8843 section 7.3).
        List<String> bundled = accepted.stream().filter(offeredBundle::contains).toList();
        if (!bundled.isEmpty()) session.add(Attribute.of("group", "BUNDLE " + String.join(" ", bundled)));
        String sdp = SessionDescription.of(origin, session, answerMedia).toSdp();
        return new PublisherAnswer(sdp, clientIce, clientDtls, tracks, rejected);
    }

    /**
     * The codec picked for one m-section, with the offered formats it came from; {@code red}: RED around it, or null.
     */
    private record Chosen(RtpCodec codec, RtpFormat format, RtpFormat rtx, RtpCodec red) {
    }

    private static Chosen choose(MediaKind kind, List<RtpFormat> formats, boolean redForOpus) {
        RtpFormat pick = null;
        String mime = null;
        if (kind == MediaKind.AUDIO) {
            for (RtpFormat f : formats) {
                if (f.isNamed("opus") && f.clockRate() == 48000) {
                    pick = f;
                    mime = "audio/opus";
                    break;
                }
            }
        } else {
            for (RtpFormat f : formats) {
                if (f.isNamed("VP8") && f.clockRate() == 90000) {
                    pick = f;
                    mime = "video/VP8";
                    break;
                }
            }
            if (pick == null) {
                int best = 0;
                for (RtpFormat f : formats) {
                    int score = f.isNamed("H264") && f.clockRate() == 90000 ? h264Score(f) : 0;
                    if (score > best) {
                        best = score;
                        pick = f;
                    }
                }
                mime = "video/H264";
            }
        }
        if (pick == null) return null;

        RtpFormat rtx = null;
        if (kind == MediaKind.VIDEO) {
            for (RtpFormat f : formats) {
                if (f.isNamed("rtx") && f.associatedPayloadType() == pick.payloadType()) {
                    rtx = f;
                    break;
                }
            }
        }
        List<String> feedback = new ArrayList<>();
        for (String fb : kind == MediaKind.AUDIO ? AUDIO_FEEDBACK : VIDEO_FEEDBACK) {
            if (pick.rtcpFeedback().contains(fb)) feedback.add(fb);
        }
        RtpCodec codec = new RtpCodec(mime, pick.payloadType(), pick.clockRate(),
                kind == MediaKind.AUDIO ? pick.channels() : 1, pick.fmtp(), feedback, rtx == null ? -1 : rtx.payloadType());
        RtpCodec red = null;
        if (kind == MediaKind.AUDIO && redForOpus) {
            for (RtpFormat f : formats) {
                if (f.isNamed("red") && f.clockRate() == 48000 && f.isRedOf(pick.payloadType())) {
                    red = new RtpCodec(RtpCodec.RED, f.payloadType(), f.clockRate(), f.channels(), f.fmtp(), List.of(), -1);
                    break;
                }
            }
        }
        return new Chosen(codec, pick, rtx, red);
    }

    /**
     * 0 when Salotto will not take this H.264 format; higher is better. Only the Baseline family (profile_idc 0x42,
     * RFC 6184 section 8.1) is taken, since that is what subscribers are offered; packetization-mode 1 beats 0 (a mode
     * 0 stream is also a valid mode 1 stream, so it can still be forwarded); 42e01f beats other Baseline profiles.
     */
    private static int h264Score(RtpFormat f) {
        Map<String, String> p = f.parameters();
        String mode = p.getOrDefault("packetization-mode", "0");
        String profile = p.getOrDefault("profile-level-id", "42000a").toLowerCase(Locale.ROOT);
        if (!mode.equals("0") && !mode.equals("1")) return 0;
        if (!profile.matches("[0-9a-f]{6}") || !profile.startsWith("42")) return 0;
        int score = 1;
        if (mode.equals("1")) score += 100;
        if (profile.equals(PREFERRED_H264_PROFILE)) score += 10;
        else if ((Integer.parseInt(profile.substring(2, 4), 16) & 0x40) != 0) score += 5; // constraint_set1: Constrained Baseline
        return score;
    }

    private static List<RtpHeaderExtension> acceptedExtensions(MediaKind kind, List<RtpHeaderExtension> offered,
                                                               boolean simulcast) {
        List<String> wanted = kind == MediaKind.AUDIO ? AUDIO_EXTENSIONS : simulcast ? SIMULCAST_EXTENSIONS : VIDEO_EXTENSIONS;
        List<RtpHeaderExtension> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (RtpHeaderExtension e : offered) {
            if (wanted.contains(e.uri()) && taken.add(e.uri())) out.add(e);
        }
        return out;
    }

    private MediaDescription acceptedSection(MediaDescription offered, Chosen chosen, List<RtpHeaderExtension> extensions,
                                             List<String> rids) {
        RtpCodec codec = chosen.codec();
        List<String> formats = new ArrayList<>();
        if (chosen.red() != null) formats.add(Integer.toString(chosen.red().payloadType())); // first: Chromium sends it
        formats.add(Integer.toString(codec.payloadType()));
        if (codec.hasRtx()) formats.add(Integer.toString(codec.rtxPayloadType()));

        List<Attribute> a = new ArrayList<>();
        a.add(Attribute.of("mid", offered.mid()));
        a.addAll(server.credentials("passive"));
        a.add(Attribute.flag("rtcp-mux"));
        if (offered.hasAttribute("rtcp-rsize")) a.add(Attribute.flag("rtcp-rsize")); // an answer may only accept it
        a.add(Attribute.flag(Direction.RECVONLY.sdpName()));
        for (RtpHeaderExtension e : extensions) a.add(Attribute.of("extmap", e.id() + " " + e.uri()));
        if (chosen.red() != null) RtpSdp.appendCodec(a, chosen.red(), "red");
        RtpSdp.appendCodec(a, codec, chosen.format().encodingName());
        if (!rids.isEmpty()) {
            for (String rid : rids) a.add(Attribute.of("rid", rid + " recv"));
            a.add(Attribute.of("simulcast", "recv " + String.join(";", rids)));
        }
        a.addAll(server.candidates());
        return MediaDescription.of(offered.media(), server.candidatePort(), offered.proto(), formats, server.connection(), a);
    }

    /** Port 0 and inactive; the m= line keeps the first offered format (RFC 3264 section 6). */
    private MediaDescription rejectedSection(MediaDescription offered) {
        List<Attribute> a = new ArrayList<>();
        if (offered.mid() != null) a.add(Attribute.of("mid", offered.mid()));
        a.add(Attribute.flag(Direction.INACTIVE.sdpName()));
        return MediaDescription.of(offered.media(), 0, offered.proto(), List.of(offered.formats().getFirst()),
                server.connection(), a);
    }

    /** The mids of the offer's first BUNDLE group (RFC 8843 section 7.2), empty when there is none. */
    private static Set<String> bundleGroup(SessionDescription offer) {
        for (String g : offer.attributeValues("group")) {
            String[] f = g.split(" ");
            if (f[0].equals("BUNDLE")) return new HashSet<>(List.of(f).subList(1, f.length));
        }
        return Set.of();
    }

    static MediaKind kindOf(String media) {
        return switch (media) {
            case "audio" -> MediaKind.AUDIO;
            case "video" -> MediaKind.VIDEO;
            default -> null;
        };
    }
}
