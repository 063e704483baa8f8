package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessage;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;

/**
 * ICE-lite on a real loopback socket: what a browser's connectivity checks get back, and what gets in. Runs on both
 * socket implementations (batched native calls and the DatagramChannel fallback).
 */
@ParameterizedClass
@EnumSource(value = UdpIo.class, names = {"NATIVE", "NIO"})
class IceLiteTest {
    @Parameter
    UdpIo io;
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private final ManualClock clock = new ManualClock();
    private MediaLoop loop;
    private DatagramChannel client;
    private WebRtcTransport transport;
    private final java.util.concurrent.CompletableFuture<String> closedReason = new java.util.concurrent.CompletableFuture<>();
    private final IceParameters clientIce = new IceParameters("cli1", "clientpasswordclientpassword");

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters(), io,
                MediaLoop.DEFAULT_QUEUE_CAPACITY, clock);
        assertEquals(io, loop.udpIo());
        client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client.connect(loop.localAddress());
        loop.setConsentTimeout(java.time.Duration.ofMillis(1500));
        TransportListener quiet = new TransportListener() {
            @Override public void onConnected(WebRtcTransport t) { }
            @Override public void onClosed(WebRtcTransport t, String reason) { closedReason.complete(reason); }
        };
        transport = WebRtcTransport.create("t", loop, IDENTITY, Executors.newVirtualThreadPerTaskExecutor(), quiet);
        transport.setRemote(clientIce, new DtlsParameters("sha-256", "AA"));
        loop.submit(() -> null).get(2, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        client.close();
    }

    private byte[] check(String username, String password, boolean useCandidate) {
        StunMessageWriter w = new StunMessageWriter(StunMessageType.BINDING_REQUEST, new byte[12]);
        if (username != null) w.addUsername(username);
        w.addPriority(1853817087L).addAttribute(StunAttribute.ICE_CONTROLLING, new byte[8]);
        if (useCandidate) w.addAttribute(StunAttribute.USE_CANDIDATE, new byte[0]);
        if (password != null) w.addMessageIntegrity(password.getBytes(StandardCharsets.UTF_8));
        return w.addFingerprint().toByteArray();
    }

    private StunMessage exchange(byte[] request) throws Exception {
        return exchange(client, request);
    }

    private static StunMessage exchange(DatagramChannel from, byte[] request) throws Exception {
        from.write(ByteBuffer.wrap(request));
        ByteBuffer in = Datagrams.receive(from, java.time.Duration.ofSeconds(2));
        if (in == null) throw new SocketTimeoutException("no answer");
        StunMessage m = StunMessage.parse(in.array(), 0, in.limit());
        assertNotNull(m, "the answer must be a well-formed STUN message");
        assertTrue(m.verifyFingerprint());
        return m;
    }

    private String localUfrag() {
        return transport.localIce().ufrag();
    }

    @Test
    void aGoodCheckIsAnsweredWithTheMappedAddressAndIntegrity() throws Exception {
        StunMessage answer = exchange(check(localUfrag() + ":cli1", transport.localIce().pwd(), true));
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, answer.type());
        assertEquals(client.getLocalAddress(), answer.xorMappedAddress());
        assertTrue(answer.verifyMessageIntegrity(transport.localIce().pwd().getBytes(StandardCharsets.UTF_8)));
        assertEquals(WebRtcTransport.State.CHECKED, loop.submit(transport::state).get());
    }

    /**
     * Sends a request that must go unanswered and waits until the loop has counted it under {@code reason}; then a
     * good check from the same socket is answered, so the silence was not a lost datagram or a stalled loop.
     */
    private void assertUnanswered(byte[] request, DropReason reason) throws Exception {
        long before = drops(reason);
        client.write(ByteBuffer.wrap(request));
        StunMessage next = exchange(check(localUfrag() + ":cli1", transport.localIce().pwd(), false));
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, next.type(), "the first answer is the good check's");
        assertEquals(before + 1, drops(reason));
    }

    /** A drop counter read on the loop thread, after everything the loop has handled so far. */
    private long drops(DropReason reason) throws Exception {
        return loop.submit(() -> loop.counters().drops(reason)).get(2, TimeUnit.SECONDS);
    }

    /** Waits until the loop has handled what the client sent so far ({@link LoopProbe}, from a socket of its own). */
    private void awaitHandled() throws Exception {
        try (LoopProbe probe = new LoopProbe(loop);
             DatagramChannel probeSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            probeSocket.connect(loop.localAddress());
            probe.awaitHandled(probeSocket);
        }
    }

    @Test
    void aBareBindingRequestGetsNothingBack() throws Exception {
        // RFC 5769-style 20-byte header alone: the amplification probe (it used to get a 400 three times its size)
        byte[] bare = new StunMessageWriter(StunMessageType.BINDING_REQUEST, new byte[12]).toByteArray();
        assertEquals(20, bare.length);
        assertUnanswered(bare, DropReason.STUN_BAD_REQUEST);
    }

    @Test
    void aCheckWithoutUsernameGetsNothingBack() throws Exception {
        assertUnanswered(check(null, transport.localIce().pwd(), false), DropReason.STUN_BAD_REQUEST);
    }

    @Test
    void aWrongPasswordGetsNothingBackAndDoesNotValidateTheAddress() throws Exception {
        client.write(ByteBuffer.wrap(check(localUfrag() + ":cli1", "notthepasswordnotthepassword", true)));
        awaitDrop(DropReason.STUN_BAD_INTEGRITY, 1);
        assertEquals(WebRtcTransport.State.NEW, loop.submit(transport::state).get());
        assertUnanswered(check(localUfrag() + ":cli1", "notthepasswordnotthepassword", true),
                DropReason.STUN_BAD_INTEGRITY);
    }

    @Test
    void anUnknownUfragGetsNothingBack() throws Exception {
        assertUnanswered(check("nobody:cli1", transport.localIce().pwd(), true), DropReason.STUN_UNKNOWN_USERNAME);
    }

    private void awaitDrop(DropReason reason, long count) throws Exception {
        awaitHandled();
        assertEquals(count, drops(reason));
    }

    @Test
    void rtpFromAnAddressThatNeverPassedIceIsDroppedAndCounted() throws Exception {
        byte[] rtp = new byte[100];
        RtpPacket.writeHeader(rtp, 0, false, 96, 1, 1, 1234);
        client.write(ByteBuffer.wrap(rtp));
        awaitDrop(DropReason.UNVALIDATED_SOURCE, 1);
    }

    @Test
    void iceRestartAnswersTheNewCredentialsAndNotTheOld() throws Exception {
        String oldUfrag = localUfrag();
        String oldPwd = transport.localIce().pwd();
        IceParameters fresh = transport.restartIce();
        transport.setRemote(new IceParameters("cli2", "clientpasswordclientpassword2"), new DtlsParameters("sha-256", "AA"));
        loop.submit(() -> null).get();
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE,
                exchange(check(fresh.ufrag() + ":cli2", fresh.pwd(), true)).type());
        client.write(ByteBuffer.wrap(check(oldUfrag + ":cli1", oldPwd, true)));
        awaitDrop(DropReason.STUN_UNKNOWN_USERNAME, 1); // the old credentials are nobody's now
    }

    @Test
    void aPeerWhoseChecksStopIsDroppedWhenConsentExpires() throws Exception {
        exchange(check(localUfrag() + ":cli1", transport.localIce().pwd(), true));
        for (int i = 0; i < 3; i++) { // checks every 0.7 s (on the loop's clock) keep a 1.5 s consent alive past it...
            clock.advance(java.time.Duration.ofMillis(700));
            exchange(check(localUfrag() + ":cli1", transport.localIce().pwd(), false));
            assertNotEquals(WebRtcTransport.State.CLOSED, loop.submit(transport::state).get());
        }
        assertFalse(closedReason.isDone(), "consent expired although checks kept coming");
        // ...and when they stop, the transport is closed and its address forgotten
        clock.advance(java.time.Duration.ofMillis(1501));
        assertEquals("ICE consent expired", closedReason.get(5, TimeUnit.SECONDS));
        assertEquals(WebRtcTransport.State.CLOSED, loop.submit(transport::state).get());
        client.write(ByteBuffer.wrap(check(localUfrag() + ":cli1", transport.localIce().pwd(), true)));
        awaitDrop(DropReason.STUN_UNKNOWN_USERNAME, 1);
    }
}
