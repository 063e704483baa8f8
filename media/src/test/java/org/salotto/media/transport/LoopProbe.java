package org.salotto.media.transport;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessage;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;

/**
 * A barrier through a media loop's socket. The loop handles datagrams in the order they reach its socket, so once a
 * valid ICE check sent after some datagrams is answered, those datagrams have been handled (dropped and counted, or
 * routed). The check is for a transport of the probe's own, so it changes no transport the test looks at; on
 * loopback a datagram is in the server's queue when its write returns, whichever socket sent it.
 */
public final class LoopProbe implements AutoCloseable {
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private final WebRtcTransport transport;
    private final byte[] check;

    public LoopProbe(MediaLoop loop) throws Exception {
        transport = WebRtcTransport.create("probe", loop, IDENTITY, Executors.newVirtualThreadPerTaskExecutor(),
                new TransportListener() {
                    @Override public void onConnected(WebRtcTransport t) { }
                    @Override public void onClosed(WebRtcTransport t, String reason) { }
                });
        loop.submit(() -> null).get(2, TimeUnit.SECONDS); // registered
        check = new StunMessageWriter(StunMessageType.BINDING_REQUEST, new byte[12])
                .addUsername(transport.localIce().ufrag() + ":prb1")
                .addPriority(1853817087L)
                .addAttribute(StunAttribute.ICE_CONTROLLING, new byte[8])
                .addMessageIntegrity(transport.localIce().pwd().getBytes(StandardCharsets.UTF_8))
                .addFingerprint().toByteArray();
    }

    /** The length of one probe datagram (for byte counts). */
    public int checkLength() {
        return check.length;
    }

    /** Sends a check from {@code from} (connected to the loop) and waits for its answer. */
    public void awaitHandled(DatagramChannel from) throws Exception {
        from.write(ByteBuffer.wrap(check));
        ByteBuffer in = Datagrams.receive(from, Duration.ofSeconds(5));
        if (in == null) throw new SocketTimeoutException("the loop did not answer the probe");
        StunMessage answer = StunMessage.parse(in.array(), 0, in.limit());
        if (answer == null || answer.type() != StunMessageType.BINDING_SUCCESS_RESPONSE) {
            throw new AssertionError("the probe's answer is not a binding success: " + answer);
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
