package org.salotto.media.transport;

/**
 * What a transport does with clear packets. Implemented by the forwarding layer; called on the loop thread only,
 * with views into a buffer that is reused as soon as the call returns.
 */
public interface PacketHandler {
    void onRtp(byte[] buf, int off, int len, long nowNanos);

    void onRtcp(byte[] buf, int off, int len, long nowNanos);

    /** Periodic work (feedback, reports), every 10 ms while the handler asked for it ({@link WebRtcTransport#setTicking}). */
    void onTick(long nowNanos);

    /**
     * The transport can carry media (again): DTLS has just connected, or the first check after an ICE restart has
     * arrived on a connected transport. What was sent before may not have reached the peer (keyframes).
     */
    default void onConnected(long nowNanos) {
    }

    PacketHandler NONE = new PacketHandler() {
        @Override
        public void onRtp(byte[] buf, int off, int len, long nowNanos) {
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len, long nowNanos) {
        }

        @Override
        public void onTick(long nowNanos) {
        }
    };
}
