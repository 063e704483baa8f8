package org.salotto.loadtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessage;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;

/**
 * One simulated peer connection, client side: a {@link ClientLink} to the server's media port (its own socket, or its
 * own loopback address on a shared one), ICE (RFC 8445), a DTLS client, and the two SRTP contexts that come out of it.
 *
 * <p>ICE: towards an ICE-lite server (Salotto) the connection is the controlling agent and only sends checks, each
 * with USE-CANDIDATE. Towards a full agent (Janus) it also answers the server's checks, takes the role its side of the
 * offer/answer gives it (controlling when it made the offer, controlled when it answered; a 487 role conflict swaps
 * it, RFC 8445 section 7.3.1.1), and starts DTLS only once the server has validated the pair too: a check of the
 * server's answered and, when controlled, a nomination (USE-CANDIDATE) received. Before that the server's ICE agent
 * drops DTLS, and the handshake would wait a whole retransmission timeout.
 *
 * <p>Datagrams are read by the {@link MediaReceiver} thread that owns this connection's link and sorted by their
 * first byte (RFC 7983): STUN answers wake {@link #connect}, DTLS records go to the handshake, SRTP to the
 * {@link PacketHandler}. The outbound SRTP context is used only by one {@link Pacer} thread.
 */
final class ClientConnection implements AutoCloseable {
    /** What to do with SRTP and SRTCP once the connection is up; runs on the receiver thread. */
    interface PacketHandler {
        void onSrtp(ClientConnection connection, byte[] buf, int off, int len, long nowNanos);
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /** A peer-reflexive candidate's priority (RFC 8445 section 5.1.2.1), as a browser puts in its checks. */
    private static final long PRIORITY = 1853824767L;

    final String localUfrag = randomIce(8);
    final String localPwd = randomIce(24);
    private final ClientLink link;
    private volatile InetSocketAddress remoteAddress;
    private final QueuedDtlsTransport dtls;
    private final long tieBreaker = RANDOM.nextLong();
    private final CountDownLatch iceAnswered = new CountDownLatch(1);
    private final CountDownLatch serverChecked = new CountDownLatch(1);
    private final boolean fullIceServer;
    private final int[] srtpProfiles;
    private volatile boolean controlling;
    private volatile String remoteUfrag;
    private volatile byte[] remotePwd;
    private volatile PacketHandler handler;
    volatile SrtpContext srtpIn;
    volatile SrtpContext srtpOut;
    /** Transport-wide sequence number of the next packet; only the pacer thread touches it. */
    int transportSequence;

    /**
     * A connection on {@code link}; {@link #setRemote} points it at the server once the server's SDP names its address.
     *
     * @param controlling   the ICE role to start with (an ICE-lite server's peer is always controlling)
     * @param fullIceServer whether the server is a full ICE agent whose checks must be answered
     * @param srtpProfiles  the DTLS-SRTP profiles to offer, in order of preference (RFC 5764 ids)
     */
    ClientConnection(ClientLink link, boolean controlling, boolean fullIceServer, int[] srtpProfiles) {
        this.link = link;
        this.controlling = controlling;
        this.fullIceServer = fullIceServer;
        this.srtpProfiles = srtpProfiles;
        if (!fullIceServer) serverChecked.countDown();
        dtls = new QueuedDtlsTransport(link);
    }

    ClientLink link() {
        return link;
    }

    /** The address the server sees, for the host candidate in our SDP. */
    InetSocketAddress localAddress() {
        return link.localAddress();
    }

    void setRemote(RemoteTransport remote, PacketHandler handler) throws IOException {
        link.connect(remote.address());
        remoteAddress = remote.address();
        this.remoteUfrag = remote.ufrag();
        this.remotePwd = remote.pwd().getBytes(StandardCharsets.UTF_8);
        this.handler = handler;
    }


    /**
     * ICE then DTLS, blocking (call it on a virtual thread): repeats the connectivity check every 100 ms until the
     * server answers, then runs the handshake and checks the server's certificate against {@code serverFingerprint}.
     */
    void connect(ClientIdentity identity, String serverFingerprint, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            sendConnectivityCheck();
            while (!iceAnswered.await(50, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) throw new IOException("no answer to ICE checks");
                sendConnectivityCheck();
            }
            while (!serverChecked.await(50, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) throw new IOException("the server's ICE agent never nominated");
                sendConnectivityCheck();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        sendConnectivityCheck(); // the nominating check that follows the first answer
        WebRtcDtlsClient client = new WebRtcDtlsClient(identity, serverFingerprint, srtpProfiles);
        new DTLSClientProtocol().connect(client, dtls);
        SrtpContext[] contexts = SrtpContext.fromKeyingMaterial(client.profile(), client.keyingMaterial(), false);
        srtpOut = contexts[1];
        srtpIn = contexts[0];
    }

    /**
     * A Binding request, with USE-CANDIDATE when controlling (aggressive nomination: the only pair is the one to use):
     * a check before connecting, and the consent refresh (RFC 7675) after.
     */
    void sendConnectivityCheck() throws IOException {
        String ufrag = remoteUfrag;
        if (ufrag == null) return;
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        byte[] tie = new byte[8];
        for (int i = 0; i < 8; i++) tie[i] = (byte) (tieBreaker >>> (56 - 8 * i));
        boolean c = controlling;
        StunMessageWriter w = new StunMessageWriter(StunMessageType.BINDING_REQUEST, transaction)
                .addUsername(ufrag + ":" + localUfrag)
                .addPriority(PRIORITY)
                .addAttribute(c ? StunAttribute.ICE_CONTROLLING : StunAttribute.ICE_CONTROLLED, tie);
        if (c) w.addAttribute(StunAttribute.USE_CANDIDATE, new byte[0]);
        byte[] check = w.addMessageIntegrity(remotePwd).addFingerprint().toByteArray();
        if (!link.send(check, 0, check.length)) throw new IOException("the socket refused a connectivity check");
    }

    /** A full ICE server's check (RFC 8445 section 7.3): answered with its address, signed with our password. */
    private void onBindingRequest(StunMessage m) {
        String username = m.username();
        if (!fullIceServer || username == null || !username.startsWith(localUfrag + ":")
                || !m.verifyMessageIntegrity(localPwd.getBytes(StandardCharsets.UTF_8))) {
            return;
        }
        boolean theyControl = m.hasAttribute(StunAttribute.ICE_CONTROLLING);
        if (theyControl == controlling) controlling = !theyControl; // a role conflict: we give way
        InetSocketAddress from = remoteAddress;
        if (from == null) return;
        byte[] response = new StunMessageWriter(StunMessageType.BINDING_SUCCESS_RESPONSE, m.transactionId())
                .addXorMappedAddress(from)
                .addMessageIntegrity(localPwd.getBytes(StandardCharsets.UTF_8))
                .addFingerprint()
                .toByteArray();
        if (!link.send(response, 0, response.length)) return; // the server checks again
        if (controlling || m.hasAttribute(StunAttribute.USE_CANDIDATE)) serverChecked.countDown();
    }

    /** Sends one datagram (media from the pacer thread); false when the socket refused it. */
    boolean send(byte[] buf, int off, int len) {
        return link.send(buf, off, len);
    }

    /** One datagram from the receiver thread. */
    void onDatagram(byte[] buf, int len, long nowNanos) {
        int first = buf[0] & 0xFF;
        if (first < 4) {
            StunMessage m = StunMessage.parse(buf, 0, len);
            if (m == null) return;
            switch (m.type()) {
                case StunMessageType.BINDING_SUCCESS_RESPONSE -> iceAnswered.countDown();
                case StunMessageType.BINDING_REQUEST -> onBindingRequest(m);
                case StunMessageType.BINDING_ERROR_RESPONSE -> {
                    if (m.errorCode() == 487) controlling = !controlling; // role conflict: the next check swaps
                }
                default -> { }
            }
        } else if (first >= 20 && first < 64) {
            dtls.offer(buf, 0, len);
        } else if (first >= 128 && first < 192 && srtpIn != null && handler != null) {
            handler.onSrtp(this, buf, 0, len, nowNanos);
        }
    }

    static boolean isRtcp(byte[] buf, int off) {
        int pt = buf[off + 1] & 0x7F; // RFC 5761 section 4
        return pt >= 64 && pt <= 95 && RtcpPacket.isRtcp(buf, off, 4);
    }

    @Override
    public void close() {
        link.close();
    }

    private static String randomIce(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
        return b.toString();
    }
}
