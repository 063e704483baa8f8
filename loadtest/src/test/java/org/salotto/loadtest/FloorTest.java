package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The floor benchmark ({@code loadtest/floor/floor.c}): its SRTP is the real thing (RFC 3711's vectors, and Salotto's
 * own {@link SrtpContext} accepts what it sends and finds the publisher's payload), it drops what an SFU must drop,
 * and {@code salotto loadtest floor} reads its output and a Salotto run's report right. Needs gcc and libssl-dev
 * (.ci/run and {@code ./salotto test} install them): without them this fails, it does not skip.
 */
class FloorTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    /** How long a sink waits for a datagram the floor should have sent: loopback, so a lost one fails fast. */
    private static final int RECEIVE_TIMEOUT_MILLIS = 5_000;
    private static final long PROCESS_TIMEOUT_SECONDS = 30;

    private static Path binary;

    @BeforeAll
    static void build() throws Exception {
        binary = FloorBinary.build(FloorBinary.defaultSource());
    }

    @Test
    void keyDerivationAndKeystreamMatchRfc3711() throws Exception {
        Process p = new ProcessBuilder(binary.toString(), "selftest").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    /**
     * A publisher's 20 packets, across a sequence number wrap, go through the floor to 3 subscribers, each with its
     * own key: each subscriber's {@link SrtpContext} authenticates and decrypts all 20, with the rewritten SSRC,
     * sequence number and timestamp and the publisher's header extension and payload. A packet with a bad tag and a
     * replayed one are dropped and counted.
     */
    @Test
    void salottosSrtpAcceptsWhatTheFloorSends() throws Exception {
        SecureRandom random = new SecureRandom();
        int n = 3, packets = 20, firstSeq = 65_530;
        long firstTs = 0xFFFF_F000L;
        byte[] publisherKey = new byte[PROFILE.keyLength() + PROFILE.saltLength()];
        random.nextBytes(publisherKey);
        List<DatagramSocket> sinks = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "forward",
                "--publisher", HexFormat.of().formatHex(publisherKey), "--packets", Integer.toString(packets + 2)));
        for (int i = 0; i < n; i++) {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            s.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
            sinks.add(s);
            byte[] k = new byte[publisherKey.length];
            random.nextBytes(k);
            keys.add(k);
            command.add("--sink");
            command.add(s.getLocalPort() + ":" + HexFormat.of().formatHex(k));
        }
        Process floor = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (DatagramSocket publisher = new DatagramSocket();
             BufferedReader out = new BufferedReader(new InputStreamReader(floor.getInputStream(), StandardCharsets.UTF_8))) {
            String portLine = out.readLine();
            assertTrue(portLine != null && portLine.startsWith("port "), "the floor says its port: " + portLine);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(portLine.substring(5)));
            SrtpContext publisherSrtp = context(publisherKey);
            List<byte[]> clear = new ArrayList<>();
            byte[] replay = null;
            for (int k = 0; k <= packets; k++) {
                byte[] packet = rtp((firstSeq + k) & 0xFFFF, (firstTs + 960L * k) & 0xFFFF_FFFFL, random);
                if (k < packets) clear.add(packet.clone());
                byte[] buf = Arrays.copyOf(packet, packet.length + PROFILE.rtpAuthTagLength());
                int len = publisherSrtp.protectRtp(buf, 0, packet.length);
                assertTrue(len > 0);
                if (k == packets) buf[len - 1] ^= 1; // the last one's tag is wrong
                if (k == 5) replay = Arrays.copyOf(buf, len);
                publisher.send(new DatagramPacket(buf, len, to));
            }
            publisher.send(new DatagramPacket(replay, replay.length, to)); // packet 5 again
            assertTrue(floor.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS), "the floor forwarded its packets and ended");
            String counters = out.readLine();
            assertEquals(0, floor.exitValue());
            assertTrue(counters.contains("packets_in=20 "), counters);
            assertTrue(counters.contains("datagrams_sent=60 "), counters);
            assertTrue(counters.contains("dropped_auth=1 "), counters);
            assertTrue(counters.contains("dropped_replay=1 "), counters);

            for (int i = 0; i < n; i++) {
                SrtpContext subscriber = context(keys.get(i));
                byte[] buf = new byte[1500];
                for (int k = 0; k < packets; k++) {
                    DatagramPacket d = new DatagramPacket(buf, buf.length);
                    sinks.get(i).receive(d);
                    byte[] sent = clear.get(k);
                    assertEquals(sent.length + PROFILE.rtpAuthTagLength(), d.getLength());
                    int len = subscriber.unprotectRtp(buf, 0, d.getLength());
                    assertEquals(sent.length, len, "subscriber " + i + " authenticates packet " + k);
                    assertEquals(0x1000_0000 + i, readInt(buf, 8), "SSRC");
                    assertEquals((firstSeq + k + 7919 * i) & 0xFFFF, (buf[2] & 0xFF) << 8 | buf[3] & 0xFF, "sequence");
                    assertEquals((firstTs + 960L * k + 90_000L * i) & 0xFFFF_FFFFL, readInt(buf, 4) & 0xFFFF_FFFFL, "timestamp");
                    assertArrayEquals(Arrays.copyOfRange(sent, 12, sent.length), Arrays.copyOfRange(buf, 12, len),
                            "extension block and payload, subscriber " + i + ", packet " + k);
                }
            }
        } finally {
            floor.destroyForcibly();
            sinks.forEach(DatagramSocket::close);
        }
    }

    @Test
    void readsTheFloorsLine() {
        FloorResult r = FloorResult.parse("floor subscribers=300 rate=50.0 payload=100 extension_bytes=12 "
                + "datagram_bytes=134 seconds=8.020 packets_in=401 datagrams_sent=120300 sink_received=120555 "
                + "cpu_user_s=0.054140 cpu_system_s=0.335166 us_per_packet_sent=3.2361 dropped_auth=0 "
                + "dropped_replay=0 send_errors=0\n");
        assertEquals(300, r.subscribers());
        assertEquals(134, r.datagramBytes());
        assertEquals(120_300, r.datagramsSent());
        assertEquals(0.389306, r.cpuUserSeconds() + r.cpuSystemSeconds(), 1e-9);
        assertEquals(3.2361, r.microsPerPacketSent(), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> FloorResult.parse("port 4000"));
        assertThrows(IllegalArgumentException.class, () -> FloorResult.parse("floor subscribers=3 rate=50"),
                "a line without the CPU figures");
        assertThrows(IllegalArgumentException.class, () -> FloorResult.parse(
                "floor subscribers=x rate=50 datagram_bytes=1 seconds=1 packets_in=1 datagrams_sent=1 "
                        + "sink_received=1 cpu_user_s=1 cpu_system_s=1 dropped_auth=0"));
    }

    @Test
    void theShapeIsTheSalottoRunsUnlessAFlagSaysOtherwise() throws Exception {
        JsonNode audio = report(3, 297, 0, 20.4, 3060, 7.5);
        FloorProbe.Shape s = probe().shape(audio);
        assertEquals(299, s.subscribers(), "each packet goes to the listeners and the 2 other speakers");
        assertEquals(150.0, s.rate(), 1e-9);
        assertEquals(100, s.payload());
        assertEquals(12, s.extensionBytes());
        assertEquals(20, s.seconds());
        FloorProbe flags = probe("--subscribers", "10", "--rate", "1000", "--seconds", "2");
        assertEquals(new FloorProbe.Shape(10, 1000, 100, 12, 2), flags.shape(audio));
        assertEquals(new FloorProbe.Shape(100, 50, 100, 12, 20), probe().shape(null), "no run: the defaults");

        JsonNode video = report(1, 300, 500, 20, 2000, 8);
        assertThrows(IllegalArgumentException.class, () -> probe().shape(video), "video packets vary in size");
        assertEquals(1100, probe("--payload", "1100", "--extension-bytes", "8").shape(video).payload());
        assertThrows(IllegalArgumentException.class, () -> probe().shape(report(1, 10, 0, 0, 0, -1)),
                "no steady state: no rate");
        assertThrows(IllegalArgumentException.class,
                () -> probe().shape(SignalingClient.JSON.readTree("{\"client\":{}}")), "not a report");
        assertThrows(IllegalArgumentException.class, () -> probe("--extension-bytes", "4").shape(null));
    }

    /** The whole command, small: the floor runs in the report's shape and the ratio is Salotto's figure over it. */
    @Test
    void theCommandComparesASalottoRunWithTheFloor(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("salotto/report.json");
        Files.createDirectories(run.getParent());
        Files.writeString(run, report(1, 5, 0, 10, 2000, 40.0).toString());
        int status = LoadTest.commandLine().execute("floor", "--salotto", run.toString(), "--seconds", "1",
                "--warmup", "0.2", "--source", FloorBinary.defaultSource().toString());
        assertEquals(0, status);
        JsonNode c = SignalingClient.JSON.readTree(Files.readString(dir.resolve("floor-comparison.json")));
        JsonNode floor = c.path("floor");
        assertEquals(5, floor.path("subscribers").asInt());
        assertEquals(200.0, floor.path("rate").asDouble(), 1e-9, "2000 packets in 10 s");
        assertEquals(134, floor.path("datagramBytes").asInt(), "the generator's audio datagram");
        assertTrue(floor.path("datagramsSent").asLong() > 0);
        double floorMicros = c.path("floorCpuMicrosPerPacketSent").asDouble();
        assertTrue(floorMicros > 0, c.toString());
        assertEquals(40.0 / floorMicros, c.path("ratio").asDouble(), 1e-9);
        assertTrue(Files.isRegularFile(dir.resolve("floor.json")));
        assertTrue(c.path("janusOverFloor").isMissingNode(), "no Janus run, no Janus figure");

        Path janus = dir.resolve("janus/report.json");
        Files.createDirectories(janus.getParent());
        Files.writeString(janus, report(1, 5, 0, 10, 2000, 80.0).toString());
        assertEquals(0, LoadTest.commandLine().execute("floor", "--salotto", run.toString(), "--janus", janus.toString(),
                "--seconds", "1", "--warmup", "0.2"));
        c = SignalingClient.JSON.readTree(Files.readString(dir.resolve("floor-comparison.json")));
        floorMicros = c.path("floorCpuMicrosPerPacketSent").asDouble();
        assertEquals(80.0 / floorMicros, c.path("janusOverFloor").asDouble(), 1e-9);
        assertEquals(40.0 / floorMicros, c.path("salottoOverFloorPerDatagramReceived").asDouble(), 1e-9);
        assertEquals(0.5, c.path("salottoOverJanus").asDouble(), 1e-9);
        assertEquals(2, LoadTest.commandLine().execute("floor", "--janus", janus.toString()),
                "a Janus run is compared with a Salotto run");
    }

    private static FloorProbe probe(String... args) {
        FloorProbe p = new FloorProbe();
        new picocli.CommandLine(p).parseArgs(args);
        return p;
    }

    /** The parts of a report.json the floor reads. */
    private static JsonNode report(int publishers, int subscribers, int videoKbps, double steadySeconds, long sent,
                                   double micros) throws Exception {
        return SignalingClient.JSON.readTree("""
                {"config": {"publishers": %d, "subscribers": %d, "audio": true, "videoKbps": %d},
                 "client": {"lossPercent": 0.0},
                 "server": {"steady": {"settled": true, "seconds": %s, "packetsSentByClients": %d,
                                       "cpuMicrosPerPacketSent": %s, "cpuMicrosPerDatagramReceived": %s}}}
                """.formatted(publishers, subscribers, videoKbps, steadySeconds, sent, micros, micros));
    }

    private static SrtpContext context(byte[] keyAndSalt) {
        return new SrtpContext(PROFILE, Arrays.copyOf(keyAndSalt, PROFILE.keyLength()),
                Arrays.copyOfRange(keyAndSalt, PROFILE.keyLength(), keyAndSalt.length));
    }

    /** As the load generator's audio: header, a one-byte extension block (audio level, transport-wide sequence), 100 bytes. */
    private static byte[] rtp(int seq, long ts, SecureRandom random) {
        byte[] p = new byte[12 + 12 + 100];
        p[0] = (byte) 0x90;
        p[1] = 111;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        writeInt(p, 4, (int) ts);
        writeInt(p, 8, 0x0AB0_CAFE);
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 2;
        p[16] = 1 << 4;
        p[17] = (byte) (0x80 | 30);
        p[18] = 3 << 4 | 1;
        p[19] = (byte) (seq >> 8);
        p[20] = (byte) seq;
        byte[] payload = new byte[100];
        random.nextBytes(payload);
        System.arraycopy(payload, 0, p, 24, 100);
        return p;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
