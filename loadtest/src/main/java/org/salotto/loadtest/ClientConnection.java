package org.salotto.loadtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
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
 * One simulated peer connection, client side: its own UDP socket connected to the server's media port, ICE as the
 * controlling agent (RFC 8445; the server is ICE-lite), a DTLS client, and the two SRTP contexts that come out of it.
 *
 * <p>Datagrams are read by the {@link MediaReceiver} thread that owns this connection's socket and sorted by their
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
    private final DatagramChannel channel;
    private final QueuedDtlsTransport dtls;
    private final long tieBreaker = RANDOM.nextLong();
    private final CountDownLatch iceAnswered = new CountDownLatch(1);
    private volatile String remoteUfrag;
    private volatile byte[] remotePwd;
    private volatile PacketHandler handler;
    volatile SrtpContext srtpIn;
    volatile SrtpContext srtpOut;
    /** Transport-wide sequence number of the next packet; only the pacer thread touches it. */
    int transportSequence;

    /** A socket on {@code local}, any port; {@link #setRemote} connects it once the server's SDP names its address. */
    ClientConnection(InetAddress local) throws IOException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(local, 0));
        channel.configureBlocking(false);
        dtls = new QueuedDtlsTransport(channel);
    }

    DatagramChannel channel() {
        return channel;
    }

    void setRemote(RemoteTransport remote, PacketHandler handler) throws IOException {
        channel.connect(remote.address());
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
            while (!iceAnswered.await(100, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) throw new IOException("no answer to ICE checks");
                sendConnectivityCheck();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        sendConnectivityCheck(); // the nominating check that follows the first answer
        WebRtcDtlsClient client = new WebRtcDtlsClient(identity, serverFingerprint);
        new DTLSClientProtocol().connect(client, dtls);
        SrtpContext[] contexts = SrtpContext.fromKeyingMaterial(client.profile(), client.keyingMaterial(), false);
        srtpOut = contexts[1];
        srtpIn = contexts[0];
    }

    /** A Binding request with USE-CANDIDATE: a check before connecting, and the consent refresh (RFC 7675) after. */
    void sendConnectivityCheck() throws IOException {
        String ufrag = remoteUfrag;
        if (ufrag == null) return;
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        byte[] tie = new byte[8];
        for (int i = 0; i < 8; i++) tie[i] = (byte) (tieBreaker >>> (56 - 8 * i));
        byte[] request = new StunMessageWriter(StunMessageType.BINDING_REQUEST, transaction)
                .addUsername(ufrag + ":" + localUfrag)
                .addPriority(PRIORITY)
                .addAttribute(StunAttribute.ICE_CONTROLLING, tie)
                .addAttribute(StunAttribute.USE_CANDIDATE, new byte[0])
                .addMessageIntegrity(remotePwd)
                .addFingerprint()
                .toByteArray();
        channel.write(ByteBuffer.wrap(request));
    }

    /** Sends the view's remaining bytes as one datagram; the caller is the one thread sending media on it. */
    boolean send(ByteBuffer view) {
        try {
            return channel.write(view) > 0;
        } catch (IOException e) {
            return false; // media: the count of packets sent tells
        }
    }

    /** One datagram from the receiver thread. */
    void onDatagram(byte[] buf, int len, long nowNanos) {
        int first = buf[0] & 0xFF;
        if (first < 4) {
            StunMessage m = StunMessage.parse(buf, 0, len);
            if (m != null && m.type() == StunMessageType.BINDING_SUCCESS_RESPONSE) iceAnswered.countDown();
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
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    private static String randomIce(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
        return b.toString();
    }
}
