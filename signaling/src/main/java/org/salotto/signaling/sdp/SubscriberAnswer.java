package org.salotto.signaling.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;

/**
 * The browser's answer to a {@link SubscriberOffer}, read.
 *
 * @param clientIce     the browser's ICE credentials; null only when the answer has no live m-section
 * @param clientDtls    the browser's certificate fingerprint; null only when the answer has no live m-section
 * @param acceptedByMid for every mid of the answer, in order: true when the browser receives it (port not 0 and
 *                      {@code recvonly} or {@code sendrecv}), false when it rejected it (port 0) or answered
 *                      {@code inactive} (as it must for an inactive slot)
 * @param formatsByMid  for every live mid of the answer, the payload types of its m= line: the codecs of the offer the
 *                      browser kept
 */
public record SubscriberAnswer(IceParameters clientIce, DtlsParameters clientDtls, Map<String, Boolean> acceptedByMid,
                               Map<String, List<Integer>> formatsByMid) {

    public SubscriberAnswer {
        acceptedByMid = Collections.unmodifiableMap(new LinkedHashMap<>(acceptedByMid));
        formatsByMid = Map.copyOf(formatsByMid);
    }

    /**
     * Reads an answer.
     *
     * @throws SdpException when it cannot be read, a live m-section lacks a mid, ICE credentials or a fingerprint, or
     *                      the browser did not take the DTLS client role ({@code a=setup:active}): Salotto is always
     *                      the DTLS server
     */
    public static SubscriberAnswer read(String answerSdp) throws SdpException {
        SessionDescription answer = SdpParser.parse(answerSdp);
        IceParameters ice = null;
        DtlsParameters dtls = null;
        Map<String, Boolean> accepted = new LinkedHashMap<>();
        Map<String, List<Integer>> formats = new LinkedHashMap<>();
        for (MediaDescription m : answer.media()) {
            String mid = m.mid();
            if (m.isRejected()) {
                if (mid != null) accepted.putIfAbsent(mid, false);
                continue;
            }
            if (mid == null) throw new SdpException("m-section " + (accepted.size() + 1) + " (" + m.media() + ") has no a=mid");
            if (accepted.containsKey(mid)) throw new SdpException("mid " + SdpException.excerpt(mid) + " is used twice");
            IceParameters i = TransportReader.ice(m, answer);
            DtlsParameters d = TransportReader.fingerprint(m, answer);
            String setup = TransportReader.setup(m, answer);
            if (!"active".equals(setup)) {
                throw new SdpException("mid " + SdpException.excerpt(mid) + ": a=setup:"
                        + (setup == null ? "(none)" : SdpException.excerpt(setup))
                        + " — Salotto is always the DTLS server, so the answer must say a=setup:active");
            }
            if (ice == null) {
                ice = i;
                dtls = d;
            }
            accepted.put(mid, m.direction(answer).receives());
            List<Integer> pts = new ArrayList<>();
            for (String f : m.formats()) if (Tokens.isDigits(f, 3) && Integer.parseInt(f) <= 127) pts.add(Integer.parseInt(f));
            formats.put(mid, List.copyOf(pts));
        }
        return new SubscriberAnswer(ice, dtls, accepted, formats);
    }

    /** Whether the browser kept payload type {@code payloadType} in the m-section with this mid. */
    public boolean keeps(String mid, int payloadType) {
        return formatsByMid.getOrDefault(mid, List.of()).contains(payloadType);
    }

    /** Whether the browser receives the m-section with this mid. */
    public boolean accepted(String mid) {
        return acceptedByMid.getOrDefault(mid, false);
    }

    /** Whether the answer describes a transport (it has at least one live m-section). */
    public boolean hasTransport() {
        return clientIce != null;
    }
}
