package org.salotto.loadtest;

/**
 * Which server a run measures, and the few media-side differences that follow from it. The media (packets, pacing,
 * DTLS, SRTP profile) is the same for both; only the signaling ({@link Signaling}) and ICE differ.
 */
enum ServerKind {
    /** Salotto: ICE-lite, always the DTLS server; the generator offers what a browser offers. */
    SALOTTO(false, "actpass", WebRtcDtlsClient.BROWSER_PROFILES),
    /**
     * Janus's videoroom: a full ICE agent that would be the DTLS client of an {@code actpass} offer, so the offer says
     * {@code active}; only AES-CM/HMAC-SHA1-80 is offered, the profile Salotto picks, so that both do the same SRTP.
     */
    JANUS(true, "active", WebRtcDtlsClient.AES_CM_ONLY);

    final boolean fullIce;
    final String publisherSetup;
    final int[] srtpProfiles;

    ServerKind(boolean fullIce, String publisherSetup, int[] srtpProfiles) {
        this.fullIce = fullIce;
        this.publisherSetup = publisherSetup;
        this.srtpProfiles = srtpProfiles;
    }
}
