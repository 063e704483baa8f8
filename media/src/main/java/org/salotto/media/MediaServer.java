package org.salotto.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.forward.Endpoint;
import org.salotto.media.transport.MediaBusyException;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.UdpIo;
import org.salotto.media.transport.WebRtcTransport;

/**
 * The media plane's entry point: one UDP port, one DTLS identity, and endpoints created on demand. What it is given
 * are plain parameters; it knows nothing of SDP, rooms or people.
 */
public final class MediaServer implements AutoCloseable {
    private final MediaLoop loop;
    private final DtlsIdentity identity;
    private final Executor control;
    private final MediaCounters counters = new MediaCounters();
    private volatile org.salotto.media.forward.NackSettings nackSettings = org.salotto.media.forward.NackSettings.DEFAULTS;
    private volatile java.time.Duration pauseDelay = org.salotto.media.forward.Producer.DEFAULT_PAUSE_DELAY;

    private MediaServer(InetSocketAddress bind, Executor control, int queueCapacity) throws IOException {
        this.identity = DtlsIdentity.generate();
        this.control = control;
        this.loop = new MediaLoop(bind, counters, UdpIo.AUTO, queueCapacity);
    }

    /**
     * Binds the media port and starts the loop.
     *
     * @param bind    address and port of the UDP socket (port 0 for any)
     * @param control where transport events are delivered (a virtual-thread executor)
     */
    public static MediaServer start(InetSocketAddress bind, Executor control) throws IOException {
        return new MediaServer(bind, control, MediaLoop.DEFAULT_QUEUE_CAPACITY);
    }

    /** Like {@link #start(InetSocketAddress, Executor)} with a control queue of {@code queueCapacity} (tests). */
    public static MediaServer start(InetSocketAddress bind, Executor control, int queueCapacity) throws IOException {
        return new MediaServer(bind, control, queueCapacity);
    }

    /**
     * Refuses a new control request up front when the media loop is too busy to take it (counted; see
     * {@link MediaLoop#checkRoom}).
     *
     * @throws MediaBusyException when it is
     */
    public void checkRoom() {
        loop.checkRoom();
    }

    /** The loop (tests hold it or fill its queue). */
    public MediaLoop loop() {
        return loop;
    }

    /**
     * A new endpoint: an ICE-lite/DTLS transport with its producers and consumers.
     *
     * @throws MediaBusyException when the loop's queue is full
     */
    public Endpoint createEndpoint(String id, TransportListener listener) {
        return new Endpoint(WebRtcTransport.create(id, loop, identity, control, listener), nackSettings, pauseDelay);
    }

    /**
     * A link to another node's media socket for the audience relay: an endpoint whose transport is connected at once
     * with {@code keyingMaterial} (SRTP {@code profile}; the two nodes take opposite {@code first} sides), and sends to
     * and takes packets from {@code peer} only. Its consumers send a stage's tracks to that node, its producers receive
     * that node's. Closed by the caller ({@link Endpoint#close}); ICE consent does not apply.
     *
     * @throws MediaBusyException when the loop's queue is full
     */
    public Endpoint createRelayEndpoint(String id, org.salotto.media.srtp.SrtpProfile profile, byte[] keyingMaterial,
                                        boolean first, InetSocketAddress peer, TransportListener listener) {
        WebRtcTransport t = WebRtcTransport.create(id, loop, identity, control, listener);
        Endpoint e = new Endpoint(t, nackSettings, pauseDelay);
        byte[] keys = keyingMaterial.clone();
        loop.execute(() -> t.connectRelay(profile, keys, first, peer));
        return e;
    }

    /** How endpoints made from now on ask publishers for lost packets (NACK timings and limits). */
    public void setNackSettings(org.salotto.media.forward.NackSettings settings) {
        this.nackSettings = java.util.Objects.requireNonNull(settings);
    }

    /**
     * Dynacast: how long a simulcast layer nobody receives is still sent before its publisher is told to pause it
     * (media.dynacast-pause-delay), for endpoints made from now on.
     */
    public void setDynacastPauseDelay(java.time.Duration delay) {
        if (delay.isNegative()) throw new IllegalArgumentException("negative pause delay");
        this.pauseDelay = delay;
    }

    /** How long a transport may go without a valid ICE check before it is closed (RFC 7675: 30 s). */
    public void setConsentTimeout(java.time.Duration timeout) {
        loop.setConsentTimeout(timeout);
    }

    /** The bounds of each subscriber's downlink bandwidth estimate (media.min-bitrate, start-bitrate, max-bitrate). */
    public void setBandwidthSettings(org.salotto.media.bwe.BandwidthSettings settings) {
        loop.setBandwidthSettings(settings);
    }

    /** How each subscriber's video is paced (the transports connected afterwards). */
    public void setPacerSettings(org.salotto.media.pacer.PacerSettings settings) {
        loop.setPacerSettings(settings);
    }

    public InetSocketAddress localAddress() {
        return loop.localAddress();
    }

    /**
     * Opens the ICE-TCP port (RFC 6544 passive candidates, RFC 4571 framing) beside the UDP one, for peers whose UDP
     * does not get through; returns the address it listens on.
     */
    public InetSocketAddress openTcp(org.salotto.media.transport.TcpSettings settings) throws IOException {
        return loop.openTcp(settings);
    }

    /** Where the ICE-TCP port listens, or null when it is not open. */
    public InetSocketAddress tcpAddress() {
        return loop.tcpAddress();
    }

    public String fingerprintSha256() {
        return identity.fingerprintSha256();
    }

    public MediaCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        loop.close();
    }
}
