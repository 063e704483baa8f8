package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessage;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;

/**
 * Which transport an address belongs to, on a real loopback socket: a guest with valid ICE credentials of its own who
 * sends checks from a victim's address must not get the victim's media, while the victim's own move to a new address
 * (with its own credentials) still works and an address nobody holds any more can be taken. On loopback a datagram
 * sent from the victim's socket is exactly what a spoofed one looks like to the server.
 */
class AddressBindingTest {
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final Duration CONSENT = Duration.ofSeconds(30);
    private MediaLoop loop;
    private final List<DatagramChannel> sockets = new ArrayList<>();
    private WebRtcTransport victim;
    private WebRtcTransport attacker;
    private final CompletableFuture<String> victimClosed = new CompletableFuture<>();

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters());
        loop.setConsentTimeout(CONSENT);
        victim = transport("victim", "vic1", victimClosed);
        attacker = transport("attacker", "att1", new CompletableFuture<>());
        loop.submit(() -> null).get(2, TimeUnit.SECONDS);
    }

    private WebRtcTransport transport(String id, String remoteUfrag, CompletableFuture<String> closed) {
        TransportListener listener = new TransportListener() {
            @Override public void onConnected(WebRtcTransport t) { }
            @Override public void onClosed(WebRtcTransport t, String reason) { closed.complete(reason); }
        };
        WebRtcTransport t = WebRtcTransport.create(id, loop, IDENTITY, Executors.newVirtualThreadPerTaskExecutor(),
                listener);
        t.setRemote(new IceParameters(remoteUfrag, "remotepasswordremotepassword"), new DtlsParameters("sha-256", "AA"));
        return t;
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        for (DatagramChannel c : sockets) c.close();
    }

    private DatagramChannel socket() throws Exception {
        DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        c.connect(loop.localAddress());
        c.configureBlocking(false);
        sockets.add(c);
        return c;
    }

    /** A valid check for {@code t} with its current credentials, as the browser that owns {@code t} would send. */
    private static byte[] check(WebRtcTransport t, String remoteUfrag, boolean nominate) {
        IceParameters local = t.localIce();
        StunMessageWriter w = new StunMessageWriter(StunMessageType.BINDING_REQUEST, new byte[12])
                .addUsername(local.ufrag() + ":" + remoteUfrag)
                .addPriority(1853817087L)
                .addAttribute(StunAttribute.ICE_CONTROLLING, new byte[8]);
        if (nominate) w.addAttribute(StunAttribute.USE_CANDIDATE, new byte[0]);
        return w.addMessageIntegrity(local.pwd().getBytes(StandardCharsets.UTF_8)).addFingerprint().toByteArray();
    }

    private static StunMessage exchange(DatagramChannel c, byte[] request) throws Exception {
        c.write(ByteBuffer.wrap(request));
        ByteBuffer in = Datagrams.receive(c, Duration.ofSeconds(2));
        if (in == null) throw new SocketTimeoutException("no answer");
        return StunMessage.parse(in.array(), 0, in.limit());
    }

    private WebRtcTransport at(DatagramChannel c) throws Exception {
        InetSocketAddress a = (InetSocketAddress) c.getLocalAddress();
        return loop.submit(() -> loop.transportAt(a)).get(2, TimeUnit.SECONDS);
    }

    private InetSocketAddress selected(WebRtcTransport t) throws Exception {
        return loop.submit(t::selectedAddress).get(2, TimeUnit.SECONDS);
    }

    @Test
    void checksWithAnotherTransportsCredentialsDoNotTakeALiveAddress() throws Exception {
        DatagramChannel victimSocket = socket();
        DatagramChannel attackerSocket = socket();
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, exchange(victimSocket, check(victim, "vic1", true)).type());
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, exchange(attackerSocket, check(attacker, "att1", true)).type());

        // The attacker's valid checks, nominating, from the victim's address: a burst of them.
        for (int i = 0; i < 50; i++) victimSocket.write(ByteBuffer.wrap(check(attacker, "att1", true)));
        // Not one of the 50 was answered: the first answer on the victim's socket is to its own next check, and the
        // loop handles datagrams in order, so by then it has refused all 50.
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, exchange(victimSocket, check(victim, "vic1", false)).type());
        assertEquals(50, loop.submit(() -> loop.counters().drops(DropReason.ICE_ADDRESS_HELD)).get());

        assertSame(victim, at(victimSocket), "DTLS and SRTP from the victim's address still reach the victim");
        assertEquals(victimSocket.getLocalAddress(), selected(victim), "media to the victim still goes to the victim");
        assertEquals(attackerSocket.getLocalAddress(), selected(attacker));
        ByteBuffer extra = ByteBuffer.allocate(1500);
        assertNull(victimSocket.receive(extra), "nothing else came back");
    }

    @Test
    void aParticipantsOwnMoveToANewAddressStillWorks() throws Exception {
        DatagramChannel wifi = socket();
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, exchange(wifi, check(victim, "vic1", true)).type());

        // The network changes: the browser restarts ICE and checks from its new address with the new credentials.
        victim.restartIce();
        victim.setRemote(new IceParameters("vic2", "remotepasswordremotepassword2"), new DtlsParameters("sha-256", "AA"));
        DatagramChannel mobile = socket();
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, exchange(mobile, check(victim, "vic2", true)).type());

        assertSame(victim, at(mobile));
        assertEquals(mobile.getLocalAddress(), selected(victim));
        assertEquals(0, loop.counters().drops(DropReason.ICE_ADDRESS_HELD));
    }

    @Test
    void anAddressItsHolderHasBeenQuietOnForTheConsentTimeoutCanBeTaken() throws Exception {
        DatagramChannel shared = socket();
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, exchange(shared, check(victim, "vic1", true)).type());
        InetSocketAddress address = (InetSocketAddress) shared.getLocalAddress();

        // Time is injected: within the consent timeout the victim holds it, just past it the address is free
        // (say a NAT gave the port to someone else after the victim moved on).
        long now = System.nanoTime();
        assertFalse(loop.submit(() -> loop.bindAddress(address, attacker, now)).get());
        long later = now + CONSENT.toNanos() + TimeUnit.MILLISECONDS.toNanos(1);
        assertTrue(loop.submit(() -> loop.bindAddress(address, attacker, later)).get());
        assertSame(attacker, at(shared));
        assertNull(selected(victim), "the victim forgot the address it lost");
    }

    @Test
    void aClosedTransportsAddressCanBeTaken() throws Exception {
        DatagramChannel shared = socket();
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, exchange(shared, check(victim, "vic1", true)).type());
        victim.close();
        victimClosed.get(2, TimeUnit.SECONDS);

        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, exchange(shared, check(attacker, "att1", true)).type());
        assertSame(attacker, at(shared));
    }
}
