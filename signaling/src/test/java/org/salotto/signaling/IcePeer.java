package org.salotto.signaling;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessage;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;
import org.salotto.media.transport.Datagrams;
import org.salotto.signaling.sdp.MediaDescription;
import org.salotto.signaling.sdp.SdpException;
import org.salotto.signaling.sdp.SdpParser;

/**
 * The ICE side of a client connection on a real loopback socket: connectivity checks to the server (RFC 8445), and
 * the consent refresh that keeps a connection alive (RFC 7675) until {@link #stop()}. No DTLS: enough to open,
 * keep or let expire a server transport.
 */
final class IcePeer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DatagramChannel socket;
    private final InetSocketAddress server;
    private volatile String serverUfrag;
    private volatile String serverPwd;
    private final String clientUfrag;
    private volatile Thread refresher;
    /** A flag, not an interrupt: an interrupt during I/O would close the channel. */
    private volatile boolean stopped;

    IcePeer(InetSocketAddress server, String clientUfrag) throws IOException {
        this.socket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        this.server = server;
        this.clientUfrag = clientUfrag;
        socket.configureBlocking(false);
    }

    /** Takes the server's credentials from its SDP (an answer or an offer). */
    IcePeer towards(String serverSdp) throws SdpException {
        MediaDescription m = SdpParser.parse(serverSdp).media().getFirst();
        serverUfrag = m.attribute("ice-ufrag").orElseThrow();
        serverPwd = m.attribute("ice-pwd").orElseThrow();
        return this;
    }

    /** One nominating check; returns the server's answer: 0 for success, else the STUN error code. */
    int check() throws IOException, InterruptedException {
        return check(serverUfrag, serverPwd, clientUfrag);
    }

    /**
     * True when a check with these credentials gets no answer at all (the server drops checks whose username it does
     * not know, such as credentials replaced by an ICE restart), known without waiting out a timeout: one check is
     * sent, then {@code witness} checks with credentials the server knows. The server handles datagrams in the order
     * they reach its socket, so once the witness is answered, an answer to ours would already be here.
     */
    boolean unansweredBefore(IcePeer witness) throws IOException, InterruptedException {
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        socket.send(ByteBuffer.wrap(request(serverUfrag, serverPwd, clientUfrag, transaction)), server);
        if (witness.check() != 0) throw new IOException("the witness's check was refused");
        ByteBuffer in = ByteBuffer.allocate(1500);
        for (; socket.receive(in) != null; in.clear()) { // what is here now (a late answer to an earlier check is not ours)
            StunMessage m = StunMessage.parse(in.array(), 0, in.position());
            if (m != null && java.util.Arrays.equals(m.transactionId(), transaction)) return false;
        }
        return true;
    }

    private static byte[] request(String ufrag, String pwd, String ours, byte[] transaction) {
        return new StunMessageWriter(StunMessageType.BINDING_REQUEST, transaction)
                .addUsername(ufrag + ":" + ours)
                .addPriority(1853824767L)
                .addAttribute(StunAttribute.ICE_CONTROLLING, new byte[8])
                .addAttribute(StunAttribute.USE_CANDIDATE, new byte[0])
                .addMessageIntegrity(pwd.getBytes(StandardCharsets.UTF_8))
                .addFingerprint().toByteArray();
    }

    int check(String ufrag, String pwd, String ours) throws IOException, InterruptedException {
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        byte[] request = request(ufrag, pwd, ours, transaction);
        ByteBuffer in = ByteBuffer.allocate(1500);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        // Sent again every 200 ms, as a STUN client retransmits over UDP; each wait ends at the first datagram.
        for (long nextSend = System.nanoTime(); System.nanoTime() < deadline; ) {
            if (System.nanoTime() - nextSend >= 0) {
                socket.send(ByteBuffer.wrap(request), server);
                nextSend = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            }
            long wait = Math.min(nextSend, deadline) - System.nanoTime();
            if (wait <= 0 || Datagrams.receive(socket, in, Duration.ofNanos(wait)) == null) continue;
            StunMessage m = StunMessage.parse(in.array(), 0, in.limit());
            if (m == null || !java.util.Arrays.equals(m.transactionId(), transaction)) continue;
            return m.type() == StunMessageType.BINDING_SUCCESS_RESPONSE ? 0 : m.errorCode();
        }
        throw new IOException("no answer to a connectivity check");
    }

    /** Checks now and every 50 ms until {@link #stop()}, as a browser refreshes consent. */
    IcePeer keepAlive() throws IOException, InterruptedException {
        if (check() != 0) throw new IOException("the server refused the first check");
        stopped = false;
        refresher = Thread.ofVirtual().start(() -> {
            try {
                while (!stopped) {
                    Thread.sleep(50); // the pace is the point: a browser's consent refresh, not a wait for an event
                    check();
                }
            } catch (InterruptedException | IOException e) {
                // stopped, or the transport is gone
            }
        });
        return this;
    }

    void stop() throws InterruptedException {
        Thread t = refresher;
        stopped = true;
        if (t != null) t.join();
    }

    @Override
    public void close() throws Exception {
        stop();
        socket.close();
    }
}
