package org.salotto.media.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import org.salotto.media.bwe.SendSideBandwidthEstimator;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.dtls.DtlsRecords;
import org.salotto.media.dtls.DtlsServerSession;
import org.salotto.media.ice.IceCredentials;
import org.salotto.media.pacer.Pacer;
import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpError;
import org.salotto.media.srtp.SrtpProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ICE-lite / DTLS-SRTP transport (one RTCPeerConnection's bundle) on the shared port.
 *
 * <p>State changes happen on the loop thread; control methods post to it. The DTLS handshake runs on its own
 * virtual thread and hands its keys back to the loop.
 */
public final class WebRtcTransport {
    /** Consent freshness (RFC 7675 §5.1): no valid check for this long and the transport is closed (the default). */
    public static final long CONSENT_TIMEOUT_NANOS = 30_000_000_000L;
    private static final int MAX_EARLY_DTLS = 8;
    /** SRTP packets held at most while the handshake's outcome is on its way to the loop. */
    private static final int MAX_EARLY_SRTP = 32;
    private static final Logger log = LoggerFactory.getLogger(WebRtcTransport.class);

    public enum State { NEW, CHECKED, CONNECTED, CLOSED }

    private final String id;
    private final MediaLoop loop;
    private final MediaCounters counters;
    private final DtlsIdentity identity;
    private final Executor control;
    private final TransportListener listener;

    private IceParameters localIce;
    private String remoteUfrag;
    private String previousRemoteUfrag;
    private DtlsParameters remoteDtls;
    /** The addresses that passed a check, and when each last did (same index); loop thread. */
    private final List<InetSocketAddress> addresses = new ArrayList<>(2);
    private long[] addressCheckedNanos = new long[2];
    private InetSocketAddress selected;
    private long lastConsentNanos;
    private DtlsServerSession dtls;
    private final List<byte[]> earlyDtls = new ArrayList<>();
    /**
     * SRTP that came after the handshake ended but before its outcome reached the loop: the peer may send as soon as it
     * reads our last flight, which leaves from the handshake thread a task ahead of our keys. Held (a copy each, at
     * connection time only) and unprotected once the keys are in, so that a publisher's first packets (a keyframe's
     * start) are not lost. Loop thread only.
     */
    private final List<EarlySrtp> earlySrtp = new ArrayList<>(0);

    private record EarlySrtp(byte[] packet, InetSocketAddress from) {
    }
    private SrtpContext srtpIn;
    private SrtpContext srtpOut;
    private PacketHandler handler = PacketHandler.NONE;
    private State state = State.NEW;
    private long createdNanos;
    /** An ICE restart whose first check has not arrived yet (loop thread). */
    private boolean iceRestarting;
    /** The downlink estimate; made when the peer negotiates transport-cc on what we send it (loop thread). */
    private volatile SendSideBandwidthEstimator bandwidth;
    /** Spreads the video sent to the peer at a multiple of its estimate; made with the estimate (loop thread). */
    private Pacer pacer;
    /** The pacer's way out: numbered for transport-cc, protected and queued for the socket when it leaves. */
    private final Pacer.Sink pacedOut = this::sendNow;
    /** Where this transport sits in the loop's tick list, or -1 (the loop's field, loop thread only). */
    int tickIndex = -1;
    /**
     * A link to another node of a cluster ({@link #connectRelay}): no ICE consent (its life is the cluster's to end),
     * and its RTP counted both ways for the metrics of the audience relay.
     */
    private boolean relay;
    /** Relay links only: RTP packets sent and received (written by the loop, read racily for metrics). */
    private volatile long relayRtpSent;
    private volatile long relayRtpReceived;

    WebRtcTransport(String id, MediaLoop loop, DtlsIdentity identity, Executor control, TransportListener listener) {
        this.id = id;
        this.loop = loop;
        this.counters = loop.counters();
        this.identity = identity;
        this.control = control;
        this.listener = listener;
        this.localIce = IceCredentials.generate();
        this.createdNanos = loop.nanoTime();
    }

    /**
     * Creates a transport and registers it with the loop; returns at once.
     *
     * @throws MediaBusyException when the loop's queue is full (then there is no transport)
     */
    public static WebRtcTransport create(String id, MediaLoop loop, DtlsIdentity identity, Executor control,
                                         TransportListener listener) {
        WebRtcTransport t = new WebRtcTransport(id, loop, identity, control, listener);
        loop.execute(() -> loop.register(t));
        return t;
    }

    public String id() {
        return id;
    }

    public MediaLoop loop() {
        return loop;
    }

    /** The local credentials. Read from any thread; they change only by {@link #restartIce()}. */
    public synchronized IceParameters localIce() {
        return localIce;
    }

    public String localFingerprintSha256() {
        return identity.fingerprintSha256();
    }

    /**
     * Sets what the peer's SDP says; the DTLS handshake may start once both this and an ICE check have happened.
     * Like every control method here, throws {@link MediaBusyException} when the loop's queue is full.
     */
    public void setRemote(IceParameters remoteIce, DtlsParameters remoteDtlsParameters) {
        loop.execute(() -> {
            if (state == State.CLOSED) return;
            if (remoteUfrag != null && !remoteUfrag.equals(remoteIce.ufrag())) previousRemoteUfrag = remoteUfrag;
            remoteUfrag = remoteIce.ufrag();
            if (remoteDtls == null) {
                remoteDtls = remoteDtlsParameters;
                if (!earlyDtls.isEmpty() && selected != null) startDtls();
            }
        });
    }

    /**
     * New local credentials (ICE restart, RFC 8445 §9); the DTLS association and SRTP keys carry on. When the loop
     * refuses the change ({@link MediaBusyException}) the old credentials stay.
     */
    public IceParameters restartIce() {
        IceParameters fresh = IceCredentials.generate();
        String old;
        IceParameters previous;
        synchronized (this) {
            previous = localIce;
            old = previous.ufrag();
            localIce = fresh;
        }
        try {
            loop.execute(() -> {
                loop.changeLocalUfrag(old, this);
                iceRestarting = true;
            });
        } catch (MediaBusyException e) {
            synchronized (this) {
                if (localIce == fresh) localIce = previous; // refused: the old credentials still hold
            }
            throw e;
        }
        return fresh;
    }

    public void setPacketHandler(PacketHandler handler) {
        loop.execute(() -> this.handler = handler);
    }

    public State state() {
        return state;
    }

    public void close() {
        if (loop.inLoop()) closeInLoop("closed by the server");
        else loop.execute(() -> closeInLoop("closed by the server"));
    }

    // ---- loop thread ----

    /** Accepts checks whose remote ufrag is the current one, or any while the peer's SDP has not arrived yet. */
    public boolean acceptsRemoteUfrag(String ufrag) {
        return remoteUfrag == null || remoteUfrag.equals(ufrag) || ufrag.equals(previousRemoteUfrag);
    }

    public void onConnectivityCheck(InetSocketAddress from, boolean nominated, long nowNanos) {
        if (state == State.CLOSED) return;
        lastConsentNanos = nowNanos;
        int at = addresses.indexOf(from);
        if (at < 0) {
            at = addresses.size();
            addresses.add(from);
            if (at == addressCheckedNanos.length) addressCheckedNanos = Arrays.copyOf(addressCheckedNanos, at * 2);
        }
        addressCheckedNanos[at] = nowNanos;
        // ICE-lite: the controlling browser nominates; until it does, use the latest address that passed a check.
        if (nominated || selected == null) selected = from;
        if (state == State.NEW) state = State.CHECKED;
        if (iceRestarting && state == State.CONNECTED) {
            // The peer is back on the new credentials, perhaps from a new address: media may have been lost meanwhile.
            iceRestarting = false;
            handler.onConnected(nowNanos);
        }
    }

    /**
     * Whether this transport still holds an address: it is open and the peer's consent through that address is fresh
     * (a valid check from it within the consent timeout, RFC 7675). Another transport's checks cannot take it then.
     */
    boolean holdsAddress(InetSocketAddress address, long nowNanos) {
        if (state == State.CLOSED) return false;
        int at = addresses.indexOf(address);
        return at >= 0 && nowNanos - addressCheckedNanos[at] <= loop.consentTimeoutNanos();
    }

    /** Where media to the peer goes, or null (for tests). Loop thread only. */
    InetSocketAddress selectedAddress() {
        return selected;
    }

    void forgetAddress(InetSocketAddress address) {
        int at = addresses.indexOf(address);
        if (at < 0) return;
        addresses.remove(at);
        System.arraycopy(addressCheckedNanos, at + 1, addressCheckedNanos, at, addresses.size() - at);
        if (address.equals(selected)) selected = addresses.isEmpty() ? null : addresses.getLast();
    }

    void onDtls(byte[] buf, int off, int len, InetSocketAddress from) {
        if (state == State.CLOSED) return;
        if (!DtlsRecords.acceptable(buf, off, len, state == State.CONNECTED)) {
            counters.drop(DropReason.DTLS_INVALID_RECORD, from); // RFC 6347 §4.1.2.7: discarded, never fatal
            return;
        }
        if (dtls == null) {
            if (earlyDtls.size() < MAX_EARLY_DTLS) earlyDtls.add(Arrays.copyOfRange(buf, off, off + len));
            else counters.drop(DropReason.DTLS_QUEUE_FULL, from);
            if (remoteDtls != null) startDtls();
            return;
        }
        if (!dtls.offer(buf, off, len)) counters.drop(DropReason.DTLS_QUEUE_FULL, from);
    }

    private void startDtls() {
        dtls = new DtlsServerSession(identity, remoteDtls.algorithm(), remoteDtls.fingerprint(),
                (b, o, l) -> {
                    InetSocketAddress to = selected;
                    if (to != null) loop.send(b, o, l, to);
                },
                new DtlsServerSession.Listener() {
                    @Override
                    public void onConnected(int profileId, byte[] keyingMaterial) {
                        fromHandshake(() -> onDtlsConnected(profileId, keyingMaterial));
                    }

                    @Override
                    public void onFailed(String reason, Throwable cause) {
                        log.info("transport {}: DTLS failed: {}", id, reason);
                        fromHandshake(() -> closeInLoop("DTLS failed: " + reason));
                    }

                    @Override
                    public void onClosed() {
                        fromHandshake(() -> closeInLoop("DTLS closed by the peer"));
                    }

                    @Override
                    public void onRecordDiscarded() {
                        counters.drop(DropReason.DTLS_UNAUTHENTIC, WebRtcTransport.this);
                    }
                });
        dtls.start();
        for (byte[] early : earlyDtls) dtls.offer(early, 0, early.length);
        earlyDtls.clear();
    }

    /**
     * Hands a handshake outcome to the loop. The handshake thread has nobody to answer: if the loop stays full past
     * its wait, the refusal is counted by the loop and logged here, and the peer's consent or DTLS timers end it.
     */
    private void fromHandshake(Runnable outcome) {
        try {
            loop.execute(outcome);
        } catch (MediaBusyException e) {
            log.error("transport {}: a DTLS outcome was refused: {}", id, e.getMessage());
        }
    }

    private void onDtlsConnected(int profileId, byte[] keyingMaterial) {
        if (state == State.CLOSED) return;
        SrtpProfile profile = SrtpProfile.fromId(profileId);
        if (profile == null) {
            closeInLoop("DTLS negotiated an SRTP profile we do not support: " + profileId);
            return;
        }
        SrtpContext[] contexts = SrtpContext.fromKeyingMaterial(profile, keyingMaterial, true);
        srtpIn = contexts[0];
        srtpOut = contexts[1];
        state = State.CONNECTED;
        iceRestarting = false;
        log.debug("transport {} connected with {}", id, profile);
        handler.onConnected(System.nanoTime());
        control.execute(() -> listener.onConnected(this));
        for (EarlySrtp e : earlySrtp) onSrtp(e.packet(), 0, e.packet().length, e.from());
        earlySrtp.clear();
    }

    /**
     * Connects without ICE and DTLS, with keys given by the caller: for benchmarks and the load generator's
     * in-process checks, never for a real peer. Loop thread only.
     */
    public void connectWithKeys(SrtpProfile profile, byte[] keyingMaterial, InetSocketAddress remote) {
        long now = loop.nanoTime();
        loop.bindAddress(remote, this, now);
        onConnectivityCheck(remote, true, now);
        if (remoteDtls == null) remoteDtls = new DtlsParameters("sha-256", "00");
        onDtlsConnected(profile.id(), keyingMaterial);
    }

    /**
     * Connects as a link between two nodes of a cluster (the audience relay, docs/scale.md): no ICE and no DTLS, the
     * SRTP keys given by the caller (agreed between the two nodes out of band), the peer's media socket fixed. The two
     * ends share one keying material and take opposite sides ({@code first} on one, not on the other), so that what one
     * protects with its write key the other checks with the same. ICE consent does not apply: the link lives until
     * the control side closes it (the peer node lost, nothing left to relay). Loop thread only.
     */
    public void connectRelay(SrtpProfile profile, byte[] keyingMaterial, boolean first, InetSocketAddress peer) {
        if (state == State.CLOSED) return;
        relay = true;
        long now = loop.nanoTime();
        if (!loop.bindAddress(peer, this, now)) {
            closeInLoop("the relay peer's address is held by another transport");
            return;
        }
        onConnectivityCheck(peer, true, now);
        if (remoteDtls == null) remoteDtls = new DtlsParameters("sha-256", "00");
        SrtpContext[] contexts = SrtpContext.fromKeyingMaterial(profile, keyingMaterial, first);
        srtpIn = contexts[0];
        srtpOut = contexts[1];
        state = State.CONNECTED;
        handler.onConnected(now);
        control.execute(() -> listener.onConnected(this));
    }

    /** Whether this is a link between two nodes ({@link #connectRelay}). */
    public boolean isRelay() {
        return relay;
    }

    /** A relay link's RTP packets sent since it connected (0 for another transport). Any thread, racy. */
    public long relayRtpSent() {
        return relayRtpSent;
    }

    /** A relay link's RTP packets received and authenticated since it connected. Any thread, racy. */
    public long relayRtpReceived() {
        return relayRtpReceived;
    }

    void onSrtp(byte[] buf, int off, int len, InetSocketAddress from) {
        SrtpContext in = srtpIn;
        if (in == null) {
            if (dtls != null && state != State.CLOSED && earlySrtp.size() < MAX_EARLY_SRTP) {
                earlySrtp.add(new EarlySrtp(Arrays.copyOfRange(buf, off, off + len), from));
            } else {
                counters.drop(DropReason.SRTP_NOT_READY, from);
            }
            return;
        }
        // RFC 5761 §4: payload types 64-95 in the second byte are RTCP.
        int pt = buf[off + 1] & 0x7F;
        boolean rtcp = pt >= 64 && pt <= 95;
        int clear = rtcp ? in.unprotectRtcp(buf, off, len) : in.unprotectRtp(buf, off, len);
        if (clear < 0) {
            counters.drop(clear == SrtpError.REPLAYED || clear == SrtpError.TOO_OLD
                    ? DropReason.SRTP_REPLAYED : DropReason.SRTP_AUTH_FAILED, from);
            return;
        }
        long now = loop.nanoTime(); // the loop's clock, as the ticks: a packet's time and a timer's compare
        if (rtcp) {
            handler.onRtcp(buf, off, clear, now);
        } else {
            if (relay) relayRtpReceived++;
            handler.onRtp(buf, off, clear, now);
        }
    }

    /**
     * Protects and sends an RTP packet built in buf (which must have {@link SrtpContext#maxOverhead()} bytes of room
     * after it). Loop thread only. Returns false when the transport cannot send yet.
     */
    public boolean sendRtp(byte[] buf, int off, int len) {
        SrtpContext out = srtpOut;
        InetSocketAddress to = selected;
        if (out == null || to == null) return false;
        SendSideBandwidthEstimator bwe = bandwidth;
        if (bwe != null) {
            len = bwe.onSend(buf, off, len, buf.length - off - SrtpContext.maxOverhead(), loop.nanoTime());
        }
        int n = out.protectRtp(buf, off, len);
        if (n < 0) return false;
        loop.send(buf, off, n, to);
        if (relay) relayRtpSent++;
        return true;
    }

    /**
     * Sends a video packet through the pacer ({@link Pacer}): at once while nothing waits and the pacing budget allows,
     * else copied into the pacer's queue and sent from it on a later packet or tick, at the pacing rate; numbered for
     * transport-cc and protected when it really leaves, so that the estimate sees its true send time. {@code kind} is
     * {@link Pacer#MEDIA}, {@link Pacer#RETRANSMISSION} (sent before queued media) or {@link Pacer#PADDING} (only when
     * nothing waits; false otherwise). Without transport-cc there is no estimate and no pacing: it goes at once. A
     * packet the full queue drops is counted ({@link DropReason#PACER_QUEUE_FULL}) and false returned. Same buffer
     * rules as {@link #sendRtp}; loop thread only.
     */
    public boolean sendPaced(byte[] buf, int off, int len, int kind, long nowNanos) {
        Pacer p = pacer;
        if (p == null) return sendRtp(buf, off, len);
        if (srtpOut == null || selected == null) return false;
        int outcome = p.send(buf, off, len, kind, nowNanos);
        if (outcome == Pacer.DROPPED) counters.drop(DropReason.PACER_QUEUE_FULL, this);
        return outcome >= 0;
    }

    /** The pacer's sink: what {@link #sendRtp} does, at the pacer's time. */
    private void sendNow(byte[] buf, int off, int len, long nowNanos) {
        SrtpContext out = srtpOut;
        InetSocketAddress to = selected;
        if (out == null || to == null) return;
        SendSideBandwidthEstimator bwe = bandwidth;
        if (bwe != null) len = bwe.onSend(buf, off, len, buf.length - off - SrtpContext.maxOverhead(), nowNanos);
        int n = out.protectRtp(buf, off, len);
        if (n >= 0) loop.send(buf, off, n, to);
    }

    /**
     * The estimate the pacer paces at a multiple of (bits per second): the one the subscriber's allocator shares out,
     * given every tick. Loop thread only.
     */
    public void setPacingEstimate(long bitsPerSecond) {
        if (pacer != null) pacer.setEstimate(bitsPerSecond);
    }

    /** The pacer, or null while there is no estimate (for tests and diagnostics). Loop thread only. */
    public Pacer pacer() {
        return pacer;
    }

    /** Whether no paced packet waits (a transport with some must keep ticking). Loop thread only. */
    public boolean pacerIdle() {
        return pacer == null || pacer.isEmpty();
    }

    /** Protects and sends an RTCP compound packet; same rules as {@link #sendRtp}. */
    public boolean sendRtcp(byte[] buf, int off, int len) {
        SrtpContext out = srtpOut;
        InetSocketAddress to = selected;
        if (out == null || to == null) return false;
        int n = out.protectRtcp(buf, off, len);
        if (n < 0) return false;
        loop.send(buf, off, n, to);
        return true;
    }

    /**
     * Numbers every RTP packet sent from now on in the transport-cc header extension {@code id} (the one the peer
     * negotiated; the same for all its m-sections, as they are bundled) and starts estimating its downlink from its
     * feedback. Loop thread only; a second call with another id changes only the id.
     */
    public void enableTransportCc(int id) {
        if (id <= 0) return;
        if (bandwidth == null) {
            bandwidth = new SendSideBandwidthEstimator(loop.bandwidthSettings());
            pacer = new Pacer(loop.pacerSettings(), MediaLoop.BUFFER_SIZE, pacedOut);
            pacer.setEstimate(bandwidth.availableBitrate());
        }
        bandwidth.setExtensionId(id);
    }

    /**
     * Transport-wide congestion control feedback from the peer (an RTPFB FMT 15 packet of an unprotected compound
     * RTCP packet). Loop thread only. Malformed feedback is dropped and counted; feedback when we number nothing is
     * ignored.
     */
    public void onTransportCcFeedback(byte[] buf, int off, int len) {
        SendSideBandwidthEstimator bwe = bandwidth;
        if (bwe == null) return;
        int matched = bwe.onFeedback(buf, off, len, loop.nanoTime());
        if (matched < 0) {
            counters.drop(DropReason.RTCP_MALFORMED, this);
            return;
        }
        counters.downlinkEstimates().countFeedback();
        if (matched > 0) counters.downlinkEstimates().observe(bwe.availableBitrate());
    }

    /**
     * The estimate of what the peer's downlink carries, in bits per second, for the code that shares it among the
     * peer's tracks; -1 when the peer negotiated no transport-cc on what we send it (no estimate). Any thread.
     */
    public long availableBitrate() {
        SendSideBandwidthEstimator b = bandwidth;
        return b == null ? -1 : b.availableBitrate();
    }

    /** The estimator itself (loop thread), or null: for tests and diagnostics. */
    public SendSideBandwidthEstimator bandwidthEstimator() {
        return bandwidth;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Where this transport's events go (the control side's executor): what runs there must not be the loop's work. */
    public java.util.concurrent.Executor control() {
        return control;
    }

    /**
     * Whether the packet handler's {@link PacketHandler#onTick} should run every 10 ms; off by default, so that a
     * transport with nothing timed to do (a listener's) costs nothing per tick. Loop thread only.
     */
    public void setTicking(boolean on) {
        if (state != State.CLOSED) loop.setTicking(this, on);
    }

    void onTick(long nowNanos) {
        if (state != State.CONNECTED) return;
        handler.onTick(nowNanos);
        if (pacer != null) pacer.drain(nowNanos); // after the handler: its padding and estimate are this tick's
    }

    /** Closes the transport when its peer has stopped proving consent (RFC 7675), or never started. */
    void checkConsent(long nowNanos) {
        if (state == State.CLOSED || relay) return;
        long since = nowNanos - (state == State.NEW ? createdNanos : lastConsentNanos);
        if (since > loop.consentTimeoutNanos()) {
            closeInLoop(state == State.NEW ? "no ICE check in time" : "ICE consent expired");
        }
    }

    private void closeInLoop(String reason) {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        loop.unregister(this);
        if (dtls != null) dtls.close();
        for (EarlySrtp e : earlySrtp) counters.drop(DropReason.SRTP_NOT_READY, e.from());
        earlySrtp.clear();
        srtpIn = null;
        srtpOut = null;
        if (pacer != null) pacer.clear();
        log.debug("transport {} closed: {}", id, reason);
        control.execute(() -> listener.onClosed(this, reason));
    }

    @Override
    public String toString() {
        return "WebRtcTransport[" + id + "]";
    }
}
