package org.salotto.media.transport;

import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.ice.IceLite;
import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.rtp.Bytes;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessage;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;

/**
 * Jazzer target for the ICE-lite path that answers STUN on the shared port: {@link IceLite#onStun} on a real media
 * loop with one transport, answering over loopback to a real socket. Each input is handed in twice, on the loop
 * thread as the socket would: as it is (what anyone on the internet can send), and re-signed with the transport's
 * credentials (its attributes kept, USERNAME made "localUfrag:theirs", MESSAGE-INTEGRITY and FINGERPRINT recomputed),
 * so that the fuzzer also reaches what only a peer with the password can. Contract: nothing is thrown on the loop
 * thread, and everything sent back is a well-formed STUN response to the request's transaction with a good FINGERPRINT.
 * Corpus: {@code src/test/resources/org/salotto/media/transport/IceLiteFuzzTestInputs/onStun/} (browser checks and the
 * RFC 5769 request).
 */
class IceLiteFuzzTest {
    private static final IceParameters CLIENT_ICE = new IceParameters("cli1", "clientpasswordclientpassword");
    private static Rig rig;

    /** One loop, transport and client socket for the whole run: fuzzing calls the target a million times. */
    private record Rig(MediaLoop loop, IceLite ice, WebRtcTransport transport, DatagramChannel client,
                       InetSocketAddress clientAddress) {
    }

    private static synchronized Rig rig() throws Exception {
        if (rig == null) {
            MediaLoop loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters(), UdpIo.NIO);
            loop.setConsentTimeout(Duration.ofHours(1)); // the transport must outlive a fuzzing run without checks
            DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            client.connect(loop.localAddress());
            client.configureBlocking(false);
            TransportListener quiet = new TransportListener() {
                @Override public void onConnected(WebRtcTransport t) { }
                @Override public void onClosed(WebRtcTransport t, String reason) { }
            };
            WebRtcTransport transport = WebRtcTransport.create("fuzz", loop, DtlsIdentity.generate(),
                    Executors.newVirtualThreadPerTaskExecutor(), quiet);
            transport.setRemote(CLIENT_ICE, new DtlsParameters("sha-256", "AA"));
            IceLite ice = new IceLite(loop, loop.counters());
            loop.submit(() -> null).get(5, TimeUnit.SECONDS);
            rig = new Rig(loop, ice, transport, client, (InetSocketAddress) client.getLocalAddress());
        }
        return rig;
    }

    @FuzzTest(maxDuration = "30s")
    void onStun(byte[] datagram) throws Exception {
        Rig r = rig();
        answer(r, datagram);
        byte[] signed = resign(datagram, r.transport.localIce());
        if (signed != null) answer(r, signed);
    }

    /** Runs onStun on the loop thread, then checks whatever has come back so far. */
    private static void answer(Rig r, byte[] datagram) throws Exception {
        if (!StunMessage.looksLikeStun(datagram, 0, datagram.length)) return; // the loop's demultiplexer stops it
        byte[] buf = Arrays.copyOf(datagram, 1500 + 1); // the loop's receive buffer
        try {
            r.loop.submit(() -> {
                r.ice.onStun(buf, datagram.length, r.clientAddress, System.nanoTime());
                return null;
            }).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("onStun threw on the loop thread", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("onStun did not return within 5 s", e);
        }
        checkReplies(r, Arrays.copyOfRange(datagram, 8, 20));
    }

    private static void checkReplies(Rig r, byte[] lastTransaction) {
        ByteBuffer in = ByteBuffer.allocate(2048);
        try {
            while (r.client.receive(in.clear()) != null) {
                in.flip();
                byte[] reply = new byte[in.remaining()];
                in.get(reply);
                StunMessage m = StunMessage.parse(reply, 0, reply.length);
                assertNotNull(m, "a reply that is not well-formed STUN");
                assertTrue(m.type() == StunMessageType.BINDING_SUCCESS_RESPONSE
                        || m.type() == StunMessageType.BINDING_ERROR_RESPONSE, "reply type " + m.type());
                assertTrue(m.hasFingerprint() && m.verifyFingerprint(), "a reply without a good FINGERPRINT");
                assertEquals(12, m.transactionId().length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The datagram's type, transaction and attributes, signed as the transport's peer would; null if not STUN. */
    static byte[] resign(byte[] datagram, IceParameters local) {
        if (!StunMessage.looksLikeStun(datagram, 0, datagram.length)) return null;
        int type = Bytes.u16(datagram, 0) & 0x3FFF;
        StunMessageWriter w = new StunMessageWriter(type, Arrays.copyOfRange(datagram, 8, 20));
        String remote = CLIENT_ICE.ufrag();
        int pos = StunMessage.HEADER_LENGTH;
        int attributes = 0;
        byte[][] kept = new byte[32][];
        int[] keptTypes = new int[32];
        while (pos + 4 <= datagram.length && attributes < 32) {
            int attrType = Bytes.u16(datagram, pos);
            int attrLength = Bytes.u16(datagram, pos + 2);
            if (pos + 4 + attrLength > datagram.length) break;
            byte[] value = Arrays.copyOfRange(datagram, pos + 4, pos + 4 + attrLength);
            if (attrType == StunAttribute.USERNAME) {
                String u = new String(value, StandardCharsets.UTF_8);
                int colon = u.indexOf(':');
                if (colon >= 0) remote = u.substring(colon + 1);
            } else if (attrType != StunAttribute.MESSAGE_INTEGRITY && attrType != StunAttribute.FINGERPRINT) {
                kept[attributes] = value;
                keptTypes[attributes++] = attrType;
            }
            pos += 4 + ((attrLength + 3) & ~3);
        }
        w.addUsername(local.ufrag() + ":" + remote);
        for (int i = 0; i < attributes && i < 29; i++) w.addAttribute(keptTypes[i], kept[i]);
        return w.addMessageIntegrity(local.pwd().getBytes(StandardCharsets.UTF_8)).addFingerprint().toByteArray();
    }

    /** Writes the corpus: the STUN target's browser checks and the RFC 5769 request (signed again by the target). */
    @Test
    void writeSeeds() {
        for (String[] seed : org.salotto.media.stun.StunFuzzTest.browserChecks()) {
            FuzzSeeds.write(IceLiteFuzzTest.class, "onStun", seed[0], java.util.HexFormat.of().parseHex(seed[1]));
        }
        FuzzSeeds.write(IceLiteFuzzTest.class, "onStun", "rfc5769-request", java.util.HexFormat.of().parseHex(
                "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff"
                + "80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b5"
                + "71a280280004e57a3bcf"));
    }
}
