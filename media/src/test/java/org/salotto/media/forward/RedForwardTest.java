package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.transport.Datagrams;
import org.salotto.media.transport.DropReason;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;

/**
 * RED (RFC 2198) over real loopback sockets: a publisher sends Opus wrapped in RED (PT 63, blocks of PT 111, as
 * Chromium does when the answer puts red first), with its audio level. A subscriber that negotiated RED (with other
 * payload types: Opus 109, RED 100) gets each packet whole, its payload types ours, the blocks' too; one that offered
 * Opus only gets the primary block alone as Opus, its header extensions kept; one that was offered RED but whose
 * answer left it out gets plain Opus from then on. A malformed RED packet reaches nobody and is counted; plain Opus
 * from the publisher reaches everyone as Opus.
 */
class RedForwardTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final int PUBLISHER_SSRC = 0x0A0B0C0D;
    private static final RtpCodec OPUS = new RtpCodec("audio/opus", 111, 48000, 2, "minptime=10;useinbandfec=1",
            List.of("transport-cc"), -1);
    private static final RtpCodec RED = new RtpCodec(RtpCodec.RED, 63, 48000, 2, "111/111", List.of(), -1);
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
    private final MediaCounters counters = new MediaCounters();
    private MediaLoop loop;
    private DatagramChannel publisherSocket;
    private SrtpContext publisherOut;
    private int seq = 1000;

    @BeforeEach
    void setUp() throws Exception {
        new java.util.Random(11).nextBytes(keys);
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), counters);
        publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        publisherOut = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[1];
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        publisherSocket.close();
        control.close();
    }

    /** A subscriber: its endpoint, its socket and its SRTP context to read what it gets. */
    private final class Subscriber implements AutoCloseable {
        final Endpoint endpoint;
        final DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        final SrtpContext in = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[0];
        final Consumer consumer;

        Subscriber(String id, Producer producer, int ssrc, List<RtpCodec> codecs) throws Exception {
            endpoint = new Endpoint(WebRtcTransport.create(id, loop, IDENTITY, control, QUIET));
            consumer = endpoint.consume("c-" + id, producer, new TrackParameters("0", MediaKind.AUDIO, "mic", codecs,
                    List.of(new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 1)), List.of(new RtpEncoding(ssrc, 0))));
            connect(endpoint, socket);
        }

        /** The next RTP packet it gets, decrypted, or null when none comes within a second. */
        byte[] next() throws Exception {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < deadline) {
                if (Datagrams.receive(socket, buf, Duration.ofNanos(deadline - System.nanoTime())) == null) return null;
                byte[] b = buf.array();
                if (!RtpPacket.isRtp(b, 0, buf.limit())) continue;
                int n = in.unprotectRtp(b, 0, buf.limit());
                if (n >= 0) return Arrays.copyOf(b, n);
            }
            return null;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private void connect(Endpoint e, DatagramChannel socket) throws Exception {
        InetSocketAddress to = (InetSocketAddress) socket.getLocalAddress();
        loop.submit(() -> {
            e.transport().connectWithKeys(PROFILE, keys, to);
            return null;
        }).get(2, TimeUnit.SECONDS);
    }

    private void barrier() throws Exception {
        loop.submit(() -> null).get(2, TimeUnit.SECONDS);
    }

    /** The 20-byte header the publisher sends: PT, the next sequence number, audio level -30 dBov with voice. */
    private byte[] header(int pt) {
        byte[] b = new byte[20];
        RtpPacket.writeHeader(b, 0, false, pt, seq, seq * 960L, PUBLISHER_SSRC);
        seq++;
        b[0] |= 0x10;
        byte[] ext = {(byte) 0xBE, (byte) 0xDE, 0, 1, 0x10, (byte) 0x9E, 0, 0};
        System.arraycopy(ext, 0, b, 12, ext.length);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    private void send(byte[] packet) throws Exception {
        byte[] b = Arrays.copyOf(packet, packet.length + 64);
        int n = publisherOut.protectRtp(b, 0, packet.length);
        publisherSocket.send(ByteBuffer.wrap(b, 0, n), loop.localAddress());
    }

    @Test
    void redGoesWholeToWhoNegotiatedItAndAsItsPrimaryToTheOthers() throws Exception {
        Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, IDENTITY, control, QUIET));
        Producer producer = publisher.produce("mic", new TrackParameters("1", MediaKind.AUDIO, "mic", List.of(OPUS, RED),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 1)),
                List.of(new RtpEncoding(PUBLISHER_SSRC, 0))));
        connect(publisher, publisherSocket);
        RtpCodec opus109 = new RtpCodec("audio/opus", 109, 48000, 2, "", List.of(), -1);
        RtpCodec red100 = new RtpCodec(RtpCodec.RED, 100, 48000, 2, "109/109", List.of(), -1);
        try (Subscriber red = new Subscriber("red", producer, 0x5001, List.of(opus109, red100));
             Subscriber plain = new Subscriber("plain", producer, 0x5002, List.of(OPUS));
             Subscriber refused = new Subscriber("refused", producer, 0x5003, List.of(OPUS, RED))) {
            refused.consumer.setRedNegotiated(false); // its answer kept Opus only
            barrier();

            // One redundant block (20 ms old, 3 bytes), then the primary (4 bytes).
            byte[] redPayload = bytes(0xEF, 0x0F, 0x00, 0x03, 0x6F, 0xAA, 0xBB, 0xCC, 0x01, 0x02, 0x03, 0x04);
            byte[] first = concat(header(63), redPayload);
            send(first);

            byte[] got = red.next();
            byte[] expected = first.clone();
            RtpPacket.setSsrc(expected, 0, 0x5001);
            RtpPacket.setPayloadType(expected, 0, 100);
            expected[20] = (byte) 0xED; // the blocks carry its Opus payload type: 109, follow bits kept
            expected[24] = 0x6D;
            assertArrayEquals(expected, got, "the RED subscriber gets the RED packet whole, with its payload types");

            byte[] primary = concat(Arrays.copyOf(first, 20), bytes(0x01, 0x02, 0x03, 0x04));
            RtpPacket.setPayloadType(primary, 0, 111);
            RtpPacket.setSsrc(primary, 0, 0x5002);
            assertArrayEquals(primary, plain.next(), "the Opus-only subscriber gets the primary block as Opus");
            RtpPacket.setSsrc(primary, 0, 0x5003);
            byte[] refusedGot = refused.next();
            assertArrayEquals(primary, refusedGot, "so does the one whose answer left RED out");
            assertEquals(30, RtpHeaderExtensions.audioLevel(refusedGot, 0, refusedGot.length, 1), "its level kept");

            // A RED packet whose redundant block runs past the payload: nobody gets it, it is counted.
            send(concat(header(63), bytes(0xEF, 0x0F, 0x00, 0x40, 0x6F, 0xAA)));
            // A RED packet with a block of another codec inside: the same.
            send(concat(header(63), bytes(0xEF, 0x0F, 0x00, 0x01, 0x00, 0xAA, 0x05)));
            // Plain Opus from the publisher: Opus for everyone, with their Opus payload types.
            byte[] opus = concat(header(111), bytes(0x07, 0x08));
            send(opus);
            byte[] redGot = red.next();
            assertEquals(109, RtpPacket.payloadType(redGot, 0), "plain Opus reaches the RED subscriber as its Opus");
            assertEquals(seq - 1, RtpPacket.sequenceNumber(redGot, 0), "the malformed ones never reached it");
            assertArrayEquals(bytes(0x07, 0x08), Arrays.copyOfRange(redGot, 20, redGot.length));
            byte[] plainGot = plain.next();
            assertEquals(seq - 1, RtpPacket.sequenceNumber(plainGot, 0));
            assertEquals(111, RtpPacket.payloadType(plainGot, 0));
            assertEquals(seq - 1, RtpPacket.sequenceNumber(refused.next(), 0));
            assertEquals(2, counters.drops(DropReason.RED_MALFORMED));

            // Padding on a RED packet (P bit, 2 bytes): the Opus-only subscriber gets the primary without it.
            byte[] padded = concat(header(63), bytes(0x6F, 0x09, 0x0A, 0x00, 0x02));
            padded[0] |= 0x20;
            send(padded);
            byte[] paddedRed = red.next();
            assertEquals(padded.length, paddedRed.length, "RED goes whole, padding included");
            byte[] paddedPlain = plain.next();
            assertFalse(RtpPacket.hasPadding(paddedPlain, 0));
            assertArrayEquals(bytes(0x09, 0x0A), Arrays.copyOfRange(paddedPlain, 20, paddedPlain.length));
            assertNull(plain.next(), "one packet out for each in");
            assertFalse(RtpPacket.hasPadding(refused.next(), 0), "nor for the one whose answer left RED out");

            // A bandwidth probe on the microphone's SSRC, as Chromium sends one: RED's payload type, no payload, 50
            // bytes of padding. Not malformed; every subscriber gets it cut to one byte of padding, numbered next.
            byte[] probe = concat(header(63), new byte[50]);
            probe[0] |= 0x20;
            probe[probe.length - 1] = 50;
            send(probe);
            int[] payloadTypes = {100, 111, 111}; // RED whole for the RED subscriber, its Opus number for the others
            List<Subscriber> all = List.of(red, plain, refused);
            for (int i = 0; i < all.size(); i++) {
                byte[] out = all.get(i).next();
                assertEquals(seq - 1, RtpPacket.sequenceNumber(out, 0), "numbered with no gap: " + i);
                assertEquals(payloadTypes[i], RtpPacket.payloadType(out, 0));
                assertEquals(0, RtpPacket.payloadLength(out, 0, out.length), "no payload");
                assertEquals(21, out.length, "its header and one byte of padding");
            }
            assertEquals(2, counters.drops(DropReason.RED_MALFORMED), "a probe is not counted as an attack");
        }
    }
}
