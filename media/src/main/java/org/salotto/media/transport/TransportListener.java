package org.salotto.media.transport;

/** Control-side events of a transport. Called on a virtual thread, never on the loop thread. */
public interface TransportListener {
    /** ICE and DTLS are done; media flows. */
    void onConnected(WebRtcTransport transport);

    /** The transport is gone: consent expired, DTLS failed or closed, or {@link WebRtcTransport#close()}. */
    void onClosed(WebRtcTransport transport, String reason);
}
