package org.salotto.media.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS 1.2 server side of DTLS-SRTP (RFC 5763, RFC 5764) for one WebRTC transport.
 *
 * <p>The handshake runs on its own virtual thread ({@link #start}). The media loop thread hands it each incoming DTLS
 * datagram with {@link #offer}, which copies into a bounded queue and never waits. When the handshake completes the
 * {@link Listener} gets the negotiated SRTP protection profile and the keying material to build SRTP contexts from.
 * The thread then stays to read alerts until the peer's close_notify or {@link #close}.
 *
 * <p>Application data (WebRTC data channels, SCTP over DTLS) is not supported yet: it is read and discarded.
 *
 * <p>The listener hears exactly one of {@link Listener#onFailed} or {@link Listener#onClosed}, after at most one
 * {@link Listener#onConnected}, all on the session's thread (except {@code onClosed} for a session closed before it
 * was started, which is called by {@link #close}).
 */
public final class DtlsServerSession {
    /** Sends a datagram to the peer on the shared UDP socket. Called from the session's thread. */
    @FunctionalInterface
    public interface DatagramSender {
        /**
         * Sends {@code len} bytes of {@code buf} from {@code off}; must copy them if it keeps them. Should not throw: a
         * datagram that cannot be sent is simply lost, and DTLS retransmits.
         */
        void send(byte[] buf, int off, int len);
    }

    /** What becomes of the session. Called on the session's thread; exceptions thrown here are logged and ignored. */
    public interface Listener {
        /**
         * The handshake completed and the client's certificate matched its fingerprint.
         *
         * @param srtpProtectionProfile the RFC 5764 profile id: 0x0007 AEAD_AES_128_GCM or 0x0001
         *                              AES128_CM_HMAC_SHA1_80
         * @param keyingMaterial        the RFC 5705 exporter output, label "EXTRACTOR-dtls_srtp", no context:
         *                              client key, server key, client salt, server salt (RFC 5764 section 4.2);
         *                              56 bytes for 0x0007, 60 for 0x0001. Owned by the receiver.
         */
        void onConnected(int srtpProtectionProfile, byte[] keyingMaterial);

        /** The handshake or the connection failed: timeout, fatal alert sent or received, bad fingerprint. */
        void onFailed(String reason, Throwable cause);

        /** The session ended cleanly: the peer's close_notify, or {@link #close()}. */
        void onClosed();

        /**
         * A record failed decryption or authentication and was discarded (RFC 6347 §4.1.2.7); the session carries on.
         * Called on the session's thread, once per record; must not block.
         */
        default void onRecordDiscarded() {}
    }

    /** Overall handshake limit; BouncyCastle retransmits flights within it (1 s, doubling). */
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(DtlsServerSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong IDS = new AtomicLong();
    /** How long the connected session waits per read; only bounds how often it re-checks its state. */
    private static final int CONNECTED_READ_WAIT_MILLIS = 60_000;

    private final DtlsIdentity identity;
    private final CertificateFingerprint remoteFingerprint;
    private final Listener listener;
    private final QueuedDatagramTransport transport;
    private final int handshakeTimeoutMillis;
    private final String name = "dtls-" + IDS.incrementAndGet();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closeRequested;
    private volatile boolean connected;
    private volatile Thread thread;
    private long discardedApplicationRecords; // session thread only
    private final AtomicLong discardedRecords = new AtomicLong();

    /**
     * @param identity                    our certificate and key, shared by all sessions
     * @param remoteFingerprintAlgorithm  the hash function from the peer's SDP {@code a=fingerprint}: sha-1, sha-256,
     *                                    sha-384 or sha-512
     * @param remoteFingerprint           the fingerprint from the peer's SDP, hex bytes separated by colons
     * @throws IllegalArgumentException   for an unsupported hash function or a malformed fingerprint
     */
    public DtlsServerSession(DtlsIdentity identity, String remoteFingerprintAlgorithm, String remoteFingerprint,
                             DatagramSender sender, Listener listener) {
        this(identity, remoteFingerprintAlgorithm, remoteFingerprint, sender, listener, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    DtlsServerSession(DtlsIdentity identity, String remoteFingerprintAlgorithm, String remoteFingerprint,
                      DatagramSender sender, Listener listener, Duration handshakeTimeout) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.remoteFingerprint = CertificateFingerprint.parse(remoteFingerprintAlgorithm, remoteFingerprint);
        this.transport = new QueuedDatagramTransport(Objects.requireNonNull(sender, "sender"));
        this.listener = Objects.requireNonNull(listener, "listener");
        this.handshakeTimeoutMillis = Math.toIntExact(handshakeTimeout.toMillis());
    }

    /**
     * Starts the handshake on a new virtual thread; datagrams offered before this wait in the queue.
     *
     * @throws IllegalStateException if called twice
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(name + " already started");
        }
        thread = Thread.ofVirtual().name(name).start(this::run);
    }

    /**
     * Queues a copy of one incoming DTLS datagram for the session's thread. Never blocks.
     *
     * @return false if the datagram was dropped: the queue is full, the session is closed, or it is larger than 1500
     *         bytes. The caller counts drops.
     */
    public boolean offer(byte[] buf, int off, int len) {
        return transport.offer(buf, off, len);
    }

    /**
     * Ends the session without waiting: if connected, the session's thread sends a close_notify; a handshake in
     * progress is abandoned. Then the thread ends and the listener hears {@link Listener#onClosed}. Idempotent.
     */
    public void close() {
        closeRequested = true;
        transport.requestStop();
        if (started.compareAndSet(false, true)) {
            notifyClosed(); // never started: no thread will report it
        }
    }

    /** Whether the handshake has completed and the session has not ended. */
    public boolean isConnected() {
        return connected;
    }

    /**
     * Waits for the session's thread to end, e.g. after {@link #close()} during shutdown.
     *
     * @return true if it has ended (or never started)
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Thread t = thread;
        return t == null || t.join(timeout);
    }

    /** Records that failed decryption or authentication and were discarded. */
    public long discardedRecords() {
        return discardedRecords.get();
    }

    private void recordDiscarded() {
        discardedRecords.incrementAndGet();
        try {
            listener.onRecordDiscarded();
        } catch (RuntimeException e) {
            LOG.warn("{}: listener failed in onRecordDiscarded", name, e);
        }
    }

    @Override
    public String toString() {
        return name + (connected ? " connected" : "");
    }

    private void run() {
        try {
            WebRtcDtlsServer server = new WebRtcDtlsServer(
                    new CompactTlsCrypto(RANDOM, this::recordDiscarded), identity, remoteFingerprint, handshakeTimeoutMillis);
            DTLSTransport dtls = new DTLSServerProtocol().accept(server, transport);
            connected = true;
            transport.releaseSpares(); // the handshake's buffers; a quiet connected session keeps none
            LOG.debug("{}: connected, SRTP profile 0x{}", name, Integer.toHexString(server.srtpProfile()));
            notifyConnected(server.srtpProfile(), server.keyingMaterial());
            readUntilClosed(dtls);
            notifyClosed();
        } catch (QueuedDatagramTransport.Stopped e) {
            if (closeRequested) {
                notifyClosed(); // close() during the handshake: BouncyCastle has already sent its alert
            } else {
                LOG.info("{}: DTLS failed: peer closed during the handshake", name);
                notifyFailed("peer closed the connection during the handshake", e);
            }
        } catch (IOException | RuntimeException e) {
            if (closeRequested) {
                notifyClosed();
            } else {
                String reason = describe(e);
                LOG.info("{}: DTLS failed: {}", name, reason);
                notifyFailed(reason, e);
            }
        } finally {
            connected = false;
            transport.close();
        }
    }

    /**
     * Reads, discarding application data, until the peer's close_notify or {@link #close()}. An invalid record does
     * not end this: BouncyCastle discards a record that fails with bad_record_mac, and our ciphers report every
     * failure as that ({@link RecordDiscardingCipher}); a bad epoch, sequence number or framing it discards by itself.
     */
    private void readUntilClosed(DTLSTransport dtls) throws IOException {
        byte[] buf = new byte[transport.getReceiveLimit()];
        while (!transport.isClosed()) {
            try {
                int received = dtls.receive(buf, 0, buf.length, CONNECTED_READ_WAIT_MILLIS);
                if (received >= 0 && discardedApplicationRecords++ == 0) {
                    LOG.debug("{}: discarding application data; data channels are not supported", name);
                }
            } catch (QueuedDatagramTransport.Stopped e) {
                if (!transport.isClosed()) {
                    dtls.close(); // our close(): BouncyCastle sends close_notify, then closes the transport
                }
                return;
            }
        }
        // BouncyCastle closed the transport after the peer's close_notify (and answered it).
    }

    private String describe(Throwable e) {
        return switch (e) {
            case TlsFatalAlertReceived received ->
                    "peer sent fatal alert " + AlertDescription.getText(received.getAlertDescription());
            case TlsFatalAlert raised -> "fatal alert " + AlertDescription.getText(raised.getAlertDescription())
                    + (raised.getMessage() == null ? "" : ": " + raised.getMessage());
            case TlsTimeoutException _ -> "handshake timed out after " + handshakeTimeoutMillis + " ms";
            default -> e.toString();
        };
    }

    private void notifyConnected(int profile, byte[] keyingMaterial) {
        try {
            listener.onConnected(profile, keyingMaterial);
        } catch (RuntimeException e) {
            LOG.warn("{}: listener failed in onConnected", name, e);
        }
    }

    private void notifyFailed(String reason, Throwable cause) {
        try {
            listener.onFailed(reason, cause);
        } catch (RuntimeException e) {
            LOG.warn("{}: listener failed in onFailed", name, e);
        }
    }

    private void notifyClosed() {
        try {
            listener.onClosed();
        } catch (RuntimeException e) {
            LOG.warn("{}: listener failed in onClosed", name, e);
        }
    }
}
