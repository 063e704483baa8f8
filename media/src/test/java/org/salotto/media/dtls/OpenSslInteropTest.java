package org.salotto.media.dtls;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent implementation on the other end: the {@code openssl s_client} command over a real UDP socket. It
 * checks what a test against BouncyCastle's own client cannot: that our exporter label, profile ids and key lengths
 * agree with another stack's. Skipped where there is no {@code openssl} command.
 */
@Timeout(30)
class OpenSslInteropTest {
    private static final Pattern KEYING_MATERIAL = Pattern.compile("Keying material: ([0-9A-Fa-f]+)");
    private static final Pattern SRTP_PROFILE = Pattern.compile("SRTP Extension negotiated, profile=(\\S+)");

    @TempDir
    Path dir;

    @Test
    void opensslClientExportsTheSameGcmKeys() throws Exception {
        assertSameKeysAs("SRTP_AEAD_AES_128_GCM", 0x0007, "SRTP_AEAD_AES_128_GCM", 56);
    }

    @Test
    void opensslClientExportsTheSameAesCmKeys() throws Exception {
        assertSameKeysAs("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", 0x0001, "SRTP_AES128_CM_SHA1_80", 60);
    }

    private void assertSameKeysAs(String offered, int expectedProfile, String expectedName, int length)
            throws Exception {
        assertTrue(opensslAvailable(), "this test drives the openssl command as the DTLS client: apt-get install openssl "
                + "(.ci/run installs it)");
        Path key = dir.resolve("client.key");
        Path cert = dir.resolve("client.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=browser", "-days", "2"));
        byte[] clientDer;
        try (InputStream in = Files.newInputStream(cert)) {
            clientDer = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
        }

        RecordingListener listener = new RecordingListener();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            AtomicReference<SocketAddress> peer = new AtomicReference<>();
            DtlsServerSession session = new DtlsServerSession(DtlsIdentity.generate(), "sha-256",
                    CertificateFingerprint.format("sha-256", clientDer),
                    (buf, off, len) -> {
                        try {
                            socket.send(new DatagramPacket(buf, off, len, peer.get()));
                        } catch (IOException e) {
                            // lost, as on the wire
                        }
                    },
                    listener);
            Thread loop = Thread.ofVirtual().name("test-udp-loop").start(() -> {
                byte[] buf = new byte[1500];
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                try {
                    while (true) {
                        socket.receive(packet);
                        peer.compareAndSet(null, packet.getSocketAddress());
                        session.offer(buf, 0, packet.getLength());
                    }
                } catch (SocketException closed) {
                    // the test is over
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            session.start();

            // stdin at EOF: s_client prints its summary after the handshake, then sends close_notify and quits.
            String output = run(List.of("openssl", "s_client", "-dtls1_2", "-mtu", "1200",
                    "-connect", "127.0.0.1:" + socket.getLocalPort(), "-cert", cert.toString(), "-key", key.toString(),
                    "-use_srtp", offered, "-keymatexport", "EXTRACTOR-dtls_srtp",
                    "-keymatexportlen", Integer.toString(length)));

            RecordingListener.Connected connected = listener.connected.get(5, SECONDS);
            Matcher profile = SRTP_PROFILE.matcher(output);
            Matcher material = KEYING_MATERIAL.matcher(output);
            assertTrue(profile.find() && material.find(), output);
            assertEquals(expectedName, profile.group(1));
            assertEquals(expectedProfile, connected.profile());
            assertEquals(material.group(1).toUpperCase(), HexFormat.of().withUpperCase().formatHex(connected.keyingMaterial()));

            listener.closed.get(5, SECONDS); // s_client's close_notify
            assertTrue(session.awaitTermination(Duration.ofSeconds(5)));
            socket.close();
            loop.join(Duration.ofSeconds(5));
        }
    }

    private static boolean opensslAvailable() {
        try {
            run(List.of("openssl", "version"));
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("exit " + process.exitValue() + ": " + command + "\n" + output);
        }
        return output;
    }
}
