package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.dtls.TestDtlsClient;
import org.salotto.media.forward.Endpoint;
import org.salotto.media.forward.Producer;
import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessage;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;

/**
 * ICE over TCP on loopback: a client that only has a TCP connection to the server's passive candidate (as a browser
 * whose UDP is blocked) passes its ICE check, completes the DTLS handshake and receives the RTP a UDP publisher sends,
 * all in RFC 4571 frames; and the edge: a bad frame, too many connections from one address, a connection that never
 * checks, and a connection that closes.
 */
class IceTcpTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final DtlsIdentity SERVER_IDENTITY = DtlsIdentity.generate();
    private static final IceParameters CLIENT_ICE = new IceParameters("cli1", "clientpasswordclientpassword");
    private static final RtpCodec OPUS = new RtpCodec("audio/opus", 111, 48000, 2, "", List.of(), -1);
    private static final int PUBLISHED_SSRC = 0x11111111;
    private static final int FORWARDED_SSRC = 0x5000;

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final TransportListener listener = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) {
            if (t.id().equals("sub")) connected.countDown();
        }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };
    private MediaLoop loop;

    @AfterEach
    void tearDown() {
        if (loop != null) loop.close();
        control.close();
    }

    private InetSocketAddress open(TcpSettings settings, java.util.function.LongSupplier clock) throws IOException {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters(), UdpIo.AUTO,
                MediaLoop.DEFAULT_QUEUE_CAPACITY, clock);
        return loop.openTcp(settings);
    }

    private static TcpSettings onLoopback() {
        return TcpSettings.on(new InetSocketAddress("127.0.0.1", 0));
    }

    private static TrackParameters audio(String mid, int ssrc) {
        return new TrackParameters(mid, MediaKind.AUDIO, "mic", List.of(OPUS), List.of(), List.of(new RtpEncoding(ssrc, 0)));
    }

    static byte[] check(IceParameters server, byte[] transaction) {
        return new StunMessageWriter(StunMessageType.BINDING_REQUEST, transaction)
                .addUsername(server.ufrag() + ":" + CLIENT_ICE.ufrag())
                .addPriority(1853817087L).addAttribute(StunAttribute.ICE_CONTROLLING, new byte[8])
                .addAttribute(StunAttribute.USE_CANDIDATE, new byte[0])
                .addMessageIntegrity(server.pwd().getBytes(StandardCharsets.UTF_8))
                .addFingerprint().toByteArray();
    }

    /** Sends a check over the connection and returns the server's answer. */
    private static StunMessage checkOver(FramedTcpClient client, IceParameters server) throws Exception {
        byte[] transaction = new byte[12];
        new java.util.Random().nextBytes(transaction);
        byte[] request = check(server, transaction);
        client.send(request, 0, request.length);
        byte[] answer = client.stun.poll(5, TimeUnit.SECONDS);
        assertNotNull(answer, "no answer to the ICE check over TCP");
        StunMessage m = StunMessage.parse(answer, 0, answer.length);
        assertNotNull(m);
        assertArrayEquals(transaction, m.transactionId());
        return m;
    }

    private <T> T inLoop(java.util.function.Supplier<T> work) throws Exception {
        return loop.submit(work).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aClientWithOnlyTcpCompletesIceAndDtlsAndReceivesForwardedRtp() throws Exception {
        InetSocketAddress tcp = open(onLoopback(), System::nanoTime);
        // A publisher on UDP, connected with known keys; the subscriber is the TCP client.
        byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
        new java.util.Random(3).nextBytes(keys);
        SrtpContext publisherOut = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[1];
        Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, SERVER_IDENTITY, control, listener));
        Producer producer = publisher.produce("mic", audio("1", PUBLISHED_SSRC));
        DtlsIdentity clientIdentity = DtlsIdentity.generate();
        Endpoint subscriber = new Endpoint(WebRtcTransport.create("sub", loop, SERVER_IDENTITY, control, listener));
        subscriber.transport().setRemote(CLIENT_ICE, new DtlsParameters("sha-256", clientIdentity.fingerprintSha256()));
        subscriber.consume("c", producer, audio("0", FORWARDED_SSRC));

        try (DatagramChannel publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             FramedTcpClient client = new FramedTcpClient(tcp)) {
            InetSocketAddress publisherAddress = (InetSocketAddress) publisherSocket.getLocalAddress();
            inLoop(() -> {
                publisher.transport().connectWithKeys(PROFILE, keys, publisherAddress);
                return null;
            });

            StunMessage answer = checkOver(client, subscriber.transport().localIce());
            assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, answer.type());
            assertTrue(answer.verifyFingerprint());
            assertTrue(answer.verifyMessageIntegrity(subscriber.transport().localIce().pwd().getBytes(StandardCharsets.UTF_8)));
            assertEquals(client.localAddress(), answer.xorMappedAddress(), "the mapped address is the client's real one");

            TestDtlsClient dtls = new TestDtlsClient(clientIdentity, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
            new DTLSClientProtocol().connect(dtls, client.dtls());
            assertTrue(connected.await(5, TimeUnit.SECONDS), "the server's transport did not connect");
            assertTrue(inLoop(() -> subscriber.transport().isConnected()));
            SrtpContext clientIn = SrtpContext.fromKeyingMaterial(SrtpProfile.fromId(dtls.selectedSrtpProfile),
                    dtls.keyingMaterial, false)[0];

            publisherSocket.connect(loop.localAddress());
            byte[] buf = new byte[MediaLoop.BUFFER_SIZE];
            int received = 0;
            for (int seq = 0; seq < 10; seq++) {
                int len = RtpPacket.writeHeader(buf, 0, false, 111, seq, seq * 960L, PUBLISHED_SSRC);
                for (int i = 0; i < 100; i++) buf[len + i] = (byte) (seq + i);
                len = publisherOut.protectRtp(buf, 0, len + 100);
                publisherSocket.write(ByteBuffer.wrap(buf, 0, len));
                // Each packet waits for its copy over TCP (RTCP the server sends meanwhile is passed over).
                for (byte[] frame; (frame = client.srtp.poll(5, TimeUnit.SECONDS)) != null; ) {
                    int pt = frame[1] & 0x7F;
                    if (pt >= 64 && pt <= 95) continue;
                    int clear = clientIn.unprotectRtp(frame, 0, frame.length);
                    assertTrue(clear > 0, "an RTP packet over TCP that does not authenticate");
                    assertEquals(FORWARDED_SSRC, RtpPacket.ssrc(frame, 0));
                    assertEquals((byte) (seq + 7), frame[clear - 100 + 7], "the payload came through");
                    received++;
                    break;
                }
            }
            assertEquals(10, received, "forwarded RTP packets received over TCP");
            assertTrue(loop.counters().tcpFramesOut() >= received);
            assertEquals(0, loop.counters().drops(DropReason.TCP_BAD_FRAME));
        }
    }

    @Test
    void aPeerThatDoesNotReadLosesWholePacketsAndTheLoopNeverWaitsForIt() throws Exception {
        InetSocketAddress tcp = open(onLoopback(), System::nanoTime);
        byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
        new java.util.Random(5).nextBytes(keys);
        SrtpContext publisherOut = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[1];
        Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, SERVER_IDENTITY, control, listener));
        Producer producer = publisher.produce("mic", audio("1", PUBLISHED_SSRC));
        Endpoint subscriber = new Endpoint(WebRtcTransport.create("sub", loop, SERVER_IDENTITY, control, listener));
        subscriber.transport().setRemote(CLIENT_ICE, new DtlsParameters("sha-256", "00"));
        subscriber.consume("c", producer, audio("0", FORWARDED_SSRC));
        try (DatagramChannel publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             java.net.Socket slow = new java.net.Socket()) {
            slow.setReceiveBufferSize(4096); // before connecting: a small window, so the server's side fills soon
            slow.connect(tcp, 5000);
            slow.setSoTimeout(5000);
            java.io.DataInputStream in = new java.io.DataInputStream(slow.getInputStream());
            byte[] check = check(subscriber.transport().localIce(), new byte[12]);
            slow.getOutputStream().write(FrameReaderTest.framed(check));
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, StunMessage.parse(answer, 0, answer.length).type());
            InetSocketAddress publisherAddress = (InetSocketAddress) publisherSocket.getLocalAddress();
            inLoop(() -> {
                publisher.transport().connectWithKeys(PROFILE, keys, publisherAddress);
                subscriber.transport().connectWithKeys(PROFILE, keys, subscriber.transport().selectedAddress());
                return null;
            });

            // The publisher sends on and on; the subscriber reads nothing.
            publisherSocket.connect(loop.localAddress());
            byte[] buf = new byte[MediaLoop.BUFFER_SIZE];
            int seq = 0;
            while (loop.counters().drops(DropReason.TCP_SEND_BUFFER_FULL) == 0 && seq < 200_000) {
                long target = loop.counters().datagramsIn() + 200;
                for (int k = 0; k < 200; k++, seq++) {
                    int len = RtpPacket.writeHeader(buf, 0, false, 111, seq & 0xFFFF, seq * 960L, PUBLISHED_SSRC);
                    len = publisherOut.protectRtp(buf, 0, len + 1000);
                    publisherSocket.write(ByteBuffer.wrap(buf, 0, len));
                }
                // Passes of the loop until it has read some of them: a pass may run its tasks before the datagrams
                // are readable, so one pass proves nothing; a loop stuck on the slow peer reads none in any pass.
                for (int pass = 0; pass < 1000 && loop.counters().datagramsIn() <= target - 200; pass++) inLoop(() -> null);
                assertTrue(loop.counters().datagramsIn() > target - 200, "the loop stopped reading its socket");
            }
            assertTrue(loop.counters().drops(DropReason.TCP_SEND_BUFFER_FULL) > 0,
                    "no packet dropped for the full output buffer after " + seq + " packets");
            long start = System.nanoTime();
            inLoop(() -> null);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "the loop waited for the slow peer");

            // What did get through is whole frames: each an SRTP or SRTCP packet the client's keys authenticate.
            SrtpContext clientIn = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[0];
            int rtp = 0;
            for (int i = 0; i < 500; i++) {
                int length = in.readUnsignedShort();
                assertTrue(length >= 12 && length <= MediaLoop.MAX_DATAGRAM, "frame " + i + " of " + length + " bytes");
                byte[] frame = new byte[length];
                in.readFully(frame);
                assertTrue((frame[0] & 0xC0) == 0x80, "frame " + i + " is not RTP or RTCP");
                int pt = frame[1] & 0x7F;
                if (pt >= 64 && pt <= 95) continue;
                assertTrue(clientIn.unprotectRtp(frame, 0, length) > 0, "frame " + i + " does not authenticate");
                rtp++;
            }
            assertTrue(rtp > 400, "RTP frames among the first 500: " + rtp);
        }
    }

    @Test
    void aClosedConnectionIsAnAddressGoneAndTheTransportStaysForConsentToDecide() throws Exception {
        InetSocketAddress tcp = open(onLoopback(), System::nanoTime);
        WebRtcTransport t = WebRtcTransport.create("t", loop, SERVER_IDENTITY, control, listener);
        t.setRemote(CLIENT_ICE, new DtlsParameters("sha-256", "00"));
        FramedTcpClient client = new FramedTcpClient(tcp);
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, checkOver(client, t.localIce()).type());
        InetSocketAddress bound = inLoop(t::selectedAddress);
        assertNotNull(bound);
        assertTrue(bound.isUnresolved(), "a connection's own address, never a UDP one: " + bound);
        assertEquals(t, inLoop(() -> loop.transportAt(bound)));

        client.close();
        // The loop forgets the address once media-tcp has seen the end of the stream; each look is one loop pass.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inLoop(() -> loop.transportAt(bound)) != null && System.nanoTime() < deadline) {
            inLoop(() -> null);
        }
        assertNull(inLoop(() -> loop.transportAt(bound)), "the closed connection's address is still bound");
        assertNull(inLoop(t::selectedAddress), "the transport still sends to a closed connection");
        assertEquals(WebRtcTransport.State.CHECKED, t.state(), "consent, not the connection, ends the transport");
    }

    @Test
    void aFrameLongerThanADatagramClosesTheConnectionAndIsCounted() throws Exception {
        InetSocketAddress tcp = open(onLoopback(), System::nanoTime);
        try (FramedTcpClient client = new FramedTcpClient(tcp)) {
            client.sendRaw(new byte[] {(byte) (1501 >>> 8), (byte) 1501, 0, 1, 2});
            assertTrue(client.closedByServerWithin(5000), "the connection stayed open after an oversized frame");
        }
        assertEquals(1, loop.counters().drops(DropReason.TCP_BAD_FRAME));
    }

    @Test
    void aFrameOfLengthZeroClosesTheConnection() throws Exception {
        InetSocketAddress tcp = open(onLoopback(), System::nanoTime);
        try (FramedTcpClient client = new FramedTcpClient(tcp)) {
            client.sendRaw(new byte[] {0, 0});
            assertTrue(client.closedByServerWithin(5000));
        }
        assertEquals(1, loop.counters().drops(DropReason.TCP_BAD_FRAME));
    }

    @Test
    void connectionsOverTheLimitOfOneAddressAreRefused() throws Exception {
        InetSocketAddress tcp = open(new TcpSettings(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(30), 2, 100),
                System::nanoTime);
        WebRtcTransport t = WebRtcTransport.create("t", loop, SERVER_IDENTITY, control, listener);
        t.setRemote(CLIENT_ICE, new DtlsParameters("sha-256", "00"));
        try (FramedTcpClient first = new FramedTcpClient(tcp);
             FramedTcpClient second = new FramedTcpClient(tcp);
             FramedTcpClient third = new FramedTcpClient(tcp)) {
            assertTrue(third.closedByServerWithin(5000), "a third connection from one address was kept");
            assertEquals(1, loop.counters().drops(DropReason.TCP_REFUSED));
            // The two within the limit work.
            assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, checkOver(first, t.localIce()).type());
            assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, checkOver(second, t.localIce()).type());
            assertFalse(first.closedByServerWithin(0));
            // One closing makes room for another.
            first.close();
            FramedTcpClient fourth = null;
            for (int attempt = 0; attempt < 50; attempt++) { // the close reaches media-tcp asynchronously
                fourth = new FramedTcpClient(tcp);
                byte[] request = check(t.localIce(), new byte[12]);
                fourth.send(request, 0, request.length);
                if (fourth.stun.poll(200, TimeUnit.MILLISECONDS) != null) break;
                fourth.close();
                fourth = null;
            }
            assertNotNull(fourth, "no room for a connection after one of the two closed");
            fourth.close();
        }
    }

    @Test
    void aConnectionWithoutAnIceCheckInTimeIsClosedAndOneWithACheckIsNot() throws Exception {
        ManualClock clock = new ManualClock();
        InetSocketAddress tcp = open(new TcpSettings(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(10), 16, 100),
                clock);
        loop.setConsentTimeout(Duration.ofSeconds(30));
        WebRtcTransport t = WebRtcTransport.create("t", loop, SERVER_IDENTITY, control, listener);
        t.setRemote(CLIENT_ICE, new DtlsParameters("sha-256", "00"));
        try (FramedTcpClient silent = new FramedTcpClient(tcp);
             FramedTcpClient checking = new FramedTcpClient(tcp)) {
            assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, checkOver(checking, t.localIce()).type());
            // The silent connection must be known to media-tcp before the clock moves: a check on a third proves
            // that accept has run for connections made before it.
            try (FramedTcpClient witness = new FramedTcpClient(tcp)) {
                assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, checkOver(witness, t.localIce()).type());
            }
            clock.advance(Duration.ofSeconds(11));
            assertTrue(silent.closedByServerWithin(5000), "a connection without a check outlived the check timeout");
            assertTrue(loop.counters().tcpConnectionsTimedOut() >= 1);
            assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, checkOver(checking, t.localIce()).type(),
                    "a checked connection was closed by the check timeout");
        }
    }
}
