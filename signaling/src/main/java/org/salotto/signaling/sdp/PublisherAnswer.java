package org.salotto.signaling.sdp;

import java.util.List;

import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.params.TrackParameters;

/**
 * The outcome of answering a publisher offer.
 *
 * @param sdp          the answer to send back ({@code publishAnswer})
 * @param clientIce    the browser's ICE credentials (what its STUN checks must carry)
 * @param clientDtls   the browser's certificate fingerprint (what its DTLS certificate must match)
 * @param tracks       the accepted m-sections, in offer order, as the media layer takes them
 * @param rejectedMids the mids answered with port 0 (no codec in common, not sending, stopped, not audio/video)
 */
public record PublisherAnswer(String sdp, IceParameters clientIce, DtlsParameters clientDtls,
                              List<TrackParameters> tracks, List<String> rejectedMids) {
    public PublisherAnswer {
        tracks = List.copyOf(tracks);
        rejectedMids = List.copyOf(rejectedMids);
    }
}
