package org.salotto.media.dtls;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Full DTLS-SRTP handshakes against a BouncyCastle client over in-memory queues. */
@Timeout(20)
class DtlsServerSessionTest {
    private static final DtlsIdentity SERVER = DtlsIdentity.generate();
    private static final DtlsIdentity CLIENT = DtlsIdentity.generate();
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    private static final int GCM = 0x0007;
    private static final int CM_SHA1_80 = 0x0001;

    @Test
    void prefersAes128CmHmacSha1_80AndBothSidesExportTheSameKeys() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            // The client lists GCM first, as a preference of its own; the server's preference for AES-CM wins.
            TestDtlsClient client = new TestDtlsClient(CLIENT, GCM, CM_SHA1_80);
            link.connect(client).get(5, SECONDS);
            RecordingListener.Connected connected = link.listener.connected.get(5, SECONDS);

            assertEquals(CM_SHA1_80, connected.profile());
            assertEquals(CM_SHA1_80, client.selectedSrtpProfile);
            assertEquals(60, connected.keyingMaterial().length);
            assertArrayEquals(client.keyingMaterial, connected.keyingMaterial());
            assertFalse(Arrays.equals(new byte[60], connected.keyingMaterial()));
            assertTrue(link.session.isConnected());
            // The client saw the certificate our SDP will advertise.
            assertEquals(SERVER.fingerprintSha256(), CertificateFingerprint.format("sha-256", client.serverCertificateDer));
            assertTrue(link.largestServerDatagram.get() <= QueuedDatagramTransport.SEND_LIMIT,
                    "largest datagram " + link.largestServerDatagram.get());
        }
    }

    @Test
    void negotiatesAeadAes128GcmWhenThatIsAllTheClientOffers() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            TestDtlsClient client = new TestDtlsClient(CLIENT, GCM);
            link.connect(client).get(5, SECONDS);
            RecordingListener.Connected connected = link.listener.connected.get(5, SECONDS);

            assertEquals(GCM, connected.profile());
            assertEquals(GCM, client.selectedSrtpProfile);
            assertEquals(56, connected.keyingMaterial().length);
            assertArrayEquals(client.keyingMaterial, connected.keyingMaterial());
        }
    }

    @Test
    void retransmitsItsFinalFlightWhenTheClientDidNotGetIt() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            AtomicInteger lost = new AtomicInteger();
            // The server's Finished is its first record of epoch 1; lose it once. The server is connected by then,
            // so only its connected-phase reading can answer the client's retransmitted flight.
            link.loseServerDatagram = d -> d[0] == 22 && d[3] == 0 && d[4] == 1 && lost.getAndIncrement() == 0;
            link.session.start();
            TestDtlsClient client = new TestDtlsClient(CLIENT, GCM);
            link.connect(client).get(5, SECONDS);

            assertTrue(lost.get() >= 2, "the Finished was lost, then sent again");
            assertArrayEquals(client.keyingMaterial, link.listener.connected.get(5, SECONDS).keyingMaterial());
        }
    }

    @Test
    void acceptsAFingerprintWrittenWithAnotherHashFunctionAndInLowerCase() throws Exception {
        String sha512 = CertificateFingerprint.format("sha-512", CLIENT.certificateDer()).toLowerCase();
        try (InMemoryLink link = new InMemoryLink(SERVER, "SHA-512", sha512, HANDSHAKE_TIMEOUT)) {
            link.session.start();
            link.connect(new TestDtlsClient(CLIENT, GCM)).get(5, SECONDS);
            assertEquals(GCM, link.listener.connected.get(5, SECONDS).profile());
        }
    }

    @Test
    void rejectsAClientWhoseCertificateDoesNotMatchTheFingerprint() throws Exception {
        DtlsIdentity impostor = DtlsIdentity.generate();
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            CompletableFuture<DTLSTransport> client = link.connect(new TestDtlsClient(impostor, GCM, CM_SHA1_80));

            String reason = link.listener.awaitFailure();
            assertTrue(reason.contains("bad_certificate"), reason);
            assertClientGotFatalAlert(client, AlertDescription.bad_certificate);
            assertFalse(link.listener.connected.isDone(), "no keys for an unauthenticated peer");
            assertFalse(link.session.isConnected());
        }
    }

    @Test
    void rejectsAClientThatSendsNoCertificate() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            CompletableFuture<DTLSTransport> client = link.connect(new TestDtlsClient(null, GCM));

            String reason = link.listener.awaitFailure();
            assertTrue(reason.contains("no certificate"), reason);
            assertClientGotFatalAlert(client, AlertDescription.handshake_failure);
            assertFalse(link.listener.connected.isDone());
        }
    }

    @Test
    void rejectsAClientWithoutUseSrtp() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            CompletableFuture<DTLSTransport> client = link.connect(new TestDtlsClient(CLIENT, (int[]) null));

            String reason = link.listener.awaitFailure();
            assertTrue(reason.contains("use_srtp"), reason);
            assertClientGotFatalAlert(client, AlertDescription.handshake_failure);
            assertFalse(link.listener.connected.isDone());
        }
    }

    @Test
    void rejectsAClientWithNoSrtpProfileInCommon() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            CompletableFuture<DTLSTransport> client = link.connect(new TestDtlsClient(CLIENT,
                    SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32, SRTPProtectionProfile.SRTP_AEAD_AES_256_GCM));

            String reason = link.listener.awaitFailure();
            assertTrue(reason.contains("no SRTP protection profile in common"), reason);
            assertClientGotFatalAlert(client, AlertDescription.handshake_failure);
        }
    }

    @Test
    void ignoresDatagramsThatAreNotDtlsRecordsBeforeAndDuringTheHandshake() throws Exception {
        Random random = new Random(7);
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            for (int i = 0; i < 40; i++) {
                byte[] junk = junk(random);
                link.session.offer(junk, 0, junk.length);
            }
            link.session.start();
            link.clientTransport.interleave = () -> junk(random);
            TestDtlsClient client = new TestDtlsClient(CLIENT, GCM, CM_SHA1_80);
            link.connect(client).get(5, SECONDS);

            assertArrayEquals(client.keyingMaterial, link.listener.connected.get(5, SECONDS).keyingMaterial());
        }
    }

    @Test
    void malformedHandshakeRecordsEndTheSessionCleanly() throws Exception {
        Random random = new Random(11);
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), Duration.ofMillis(1500))) {
            link.session.start();
            for (int i = 0; i < 50; i++) {
                byte[] record = malformedClientHelloRecord(random, i);
                link.session.offer(record, 0, record.length);
            }

            link.listener.awaitFailure(); // a decode error, or the handshake timeout if every record was ignored
            assertFalse(link.listener.connected.isDone());
            assertTrue(link.session.awaitTermination(Duration.ofSeconds(5)));
            assertEquals(1, link.listener.endings.get());
        }
    }

    @Test
    void failsWhenNoClientTurnsUpInTime() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), Duration.ofMillis(300))) {
            link.session.start();
            String reason = link.listener.awaitFailure();
            assertTrue(reason.contains("timed out"), reason);
            assertTrue(link.session.awaitTermination(Duration.ofSeconds(5)));
            assertEquals(0, link.serverDatagrams.get(), "nothing is sent before a ClientHello");
        }
    }

    @Test
    void closeAfterConnectSendsCloseNotify() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            TestDtlsClient client = new TestDtlsClient(CLIENT, GCM);
            DTLSTransport clientDtls = link.connect(client).get(5, SECONDS);
            link.listener.connected.get(5, SECONDS);

            link.session.close();
            link.listener.closed.get(5, SECONDS);
            assertTrue(link.session.awaitTermination(Duration.ofSeconds(5)));
            byte[] buf = new byte[1500];
            long deadline = System.nanoTime() + SECONDS.toNanos(5);
            while (!client.receivedCloseNotify && System.nanoTime() < deadline) {
                clientDtls.receive(buf, 0, buf.length, 100);
            }
            assertTrue(client.receivedCloseNotify, "the client saw close_notify");
            assertFalse(link.session.isConnected());
            assertFalse(link.session.offer(buf, 0, 100), "a closed session takes no datagrams");
            assertEquals(1, link.listener.endings.get());
        }
    }

    @Test
    void peerCloseNotifyEndsTheSessionWithOnClosed() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            DTLSTransport clientDtls = link.connect(new TestDtlsClient(CLIENT, GCM)).get(5, SECONDS);
            link.listener.connected.get(5, SECONDS);

            clientDtls.close();
            link.listener.closed.get(5, SECONDS);
            assertTrue(link.session.awaitTermination(Duration.ofSeconds(5)));
            assertFalse(link.listener.failed.isDone());
            assertFalse(link.session.isConnected());
        }
    }

    @Test
    void discardsApplicationDataAndStaysConnected() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            DTLSTransport clientDtls = link.connect(new TestDtlsClient(CLIENT, GCM)).get(5, SECONDS);
            link.listener.connected.get(5, SECONDS);

            byte[] sctp = new byte[300];
            for (int i = 0; i < 5; i++) {
                clientDtls.send(sctp, 0, sctp.length);
            }
            // A barrier: the session reads records in order, so once a forged record sent after them is counted as
            // discarded, the five have been read. (Epoch 1, a 2-byte body, a sequence number far past the client's.)
            byte[] forged = Hex.bytes("17 fefd 0001 00ffffffff00 0002 abcd");
            assertTrue(link.session.offer(forged, 0, forged.length));
            assertTrue(link.listener.discards.tryAcquire(5, SECONDS), "the record after the application data was not read");
            assertTrue(link.session.isConnected());
            assertFalse(link.listener.failed.isDone() || link.listener.closed.isDone());
        }
    }

    /**
     * RFC 6347 §4.1.2.7: invalid records are discarded silently. Offered straight to the session (past the loop's
     * framing check), as an attacker who passes that check would: none of them may end the association, the ones the
     * cipher saw are counted, and the peer's real close_notify afterwards still closes it.
     */
    @Test
    void invalidRecordsAfterTheHandshakeAreDiscardedAndCountedNotFatal() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            DTLSTransport clientDtls = link.connect(new TestDtlsClient(CLIENT, GCM)).get(5, SECONDS);
            link.listener.connected.get(5, SECONDS);

            byte[][] forged = {
                    // epoch 1, a 2-byte body: BouncyCastle raises decode_error for it, which used to be fatal
                    Hex.bytes("17 fefd 0001 000000000005 0002 abcd"),
                    Hex.bytes("15 fefd 0001 000000000006 0002 0100"),
                    // epoch 1, room for nonce and tag but a wrong tag; a sequence number far ahead, which must not
                    // move the replay window (the client's real records that follow have small ones)
                    Hex.bytes("15 fefd 0001 00ffffffff00 0020 0000000000000001 00112233445566778899aabbccddeeff"
                            + "0001020304050607"),
                    // epoch 7, and a record in the clear after the handshake: BouncyCastle drops them unseen
                    Hex.bytes("15 fefd 0007 000000000001 0002 0228"),
                    Hex.bytes("15 fefd 0000 000000000040 0002 0228"),
                    // not a record at all
                    Hex.bytes("17 fefd 00"),
            };
            for (byte[] datagram : forged) {
                assertTrue(link.session.offer(datagram, 0, datagram.length));
            }
            assertTrue(link.listener.discards.tryAcquire(3, 5, SECONDS), "the cipher's three were not counted");
            assertEquals(3, link.listener.discarded.get(), "the three records the cipher saw are counted");
            assertEquals(3, link.session.discardedRecords());

            clientDtls.close(); // a genuine close_notify, sent after all the forged records
            link.listener.closed.get(5, SECONDS);
            assertFalse(link.listener.failed.isDone(), "no forged record failed the session");
            assertEquals(3, link.listener.discarded.get(), "and none of the others was counted");
            assertEquals(1, link.listener.endings.get());
        }
    }

    @Test
    void closeDuringTheHandshakeEndsWithOnClosed() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            link.session.close();
            link.listener.closed.get(5, SECONDS);
            assertTrue(link.session.awaitTermination(Duration.ofSeconds(5)));
            assertFalse(link.listener.failed.isDone());
        }
    }

    @Test
    void closeBeforeStartReportsOnClosedAndRefusesDatagrams() {
        RecordingListener listener = new RecordingListener();
        DtlsServerSession session = new DtlsServerSession(SERVER, "sha-256", CLIENT.fingerprintSha256(),
                (buf, off, len) -> {}, listener);
        session.close();
        assertTrue(listener.closed.isDone());
        assertFalse(session.offer(new byte[20], 0, 20));
        session.close();
        assertEquals(1, listener.endings.get(), "close is idempotent");
    }

    @Test
    void offerCopiesAndDropsWhenTheQueueIsFull() throws Exception {
        RecordingListener listener = new RecordingListener();
        DtlsServerSession session = new DtlsServerSession(SERVER, "sha-256", CLIENT.fingerprintSha256(),
                (buf, off, len) -> {}, listener);
        byte[] datagram = new byte[100];
        for (int i = 0; i < QueuedDatagramTransport.QUEUE_CAPACITY; i++) {
            assertTrue(session.offer(datagram, 0, datagram.length), "datagram " + i);
        }
        assertFalse(session.offer(datagram, 0, datagram.length), "the 65th waits for nobody");
        assertFalse(session.offer(new byte[1501], 0, 1501));
        session.close();
    }

    @Test
    void queuedDatagramsComeOutWhole() throws Exception {
        QueuedDatagramTransport transport = new QueuedDatagramTransport((buf, off, len) -> {});
        byte[] out = new byte[QueuedDatagramTransport.RECEIVE_LIMIT];
        for (int size : new int[]{1, 300, QueuedDatagramTransport.RECEIVE_LIMIT, 13}) {
            byte[] datagram = new byte[size + 5];
            new Random(size).nextBytes(datagram);
            assertTrue(transport.offer(datagram, 5, size));
            assertEquals(size, transport.receive(out, 0, out.length, 1000));
            assertArrayEquals(Arrays.copyOfRange(datagram, 5, 5 + size), Arrays.copyOf(out, size));
        }
    }

    @Test
    void rejectsMalformedSdpFingerprints() {
        DtlsServerSession.DatagramSender sender = (buf, off, len) -> {};
        RecordingListener listener = new RecordingListener();
        assertThrows(IllegalArgumentException.class,
                () -> new DtlsServerSession(SERVER, "md5", "00:11", sender, listener));
        assertThrows(IllegalArgumentException.class,
                () -> new DtlsServerSession(SERVER, "sha-256", "not hex", sender, listener));
        assertThrows(IllegalArgumentException.class,
                () -> new DtlsServerSession(SERVER, "sha-256", "AB:CD", sender, listener));
    }

    @Test
    void startTwiceIsAnError() throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            assertThrows(IllegalStateException.class, link.session::start);
        }
    }

    private static void assertClientGotFatalAlert(CompletableFuture<DTLSTransport> client, short alert) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.get(5, SECONDS));
        TlsFatalAlertReceived received = assertInstanceOf(TlsFatalAlertReceived.class, e.getCause());
        assertEquals(AlertDescription.getText(alert), AlertDescription.getText(received.getAlertDescription()));
    }

    /** Not a DTLS record: a first byte below 20, a truncated header, or a length field that lies. */
    private static byte[] junk(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> {
                byte[] b = new byte[1 + random.nextInt(300)];
                random.nextBytes(b);
                b[0] = (byte) random.nextInt(20);
                yield b;
            }
            case 1 -> new byte[]{22, (byte) 0xFE, (byte) 0xFD, 0, 0};
            default -> {
                byte[] b = new byte[40];
                random.nextBytes(b);
                b[0] = 22;
                b[1] = (byte) 0xFE;
                b[2] = (byte) 0xFD;
                b[11] = 0x04; // claims 1024+ bytes of fragment in a 40-byte datagram
                yield b;
            }
        };
    }

    /** A well-formed epoch-0 handshake record header around a ClientHello fragment full of random bytes. */
    private static byte[] malformedClientHelloRecord(Random random, int sequence) {
        int bodyLength = 12 + random.nextInt(200);
        byte[] record = new byte[13 + bodyLength];
        random.nextBytes(record);
        record[0] = 22;
        record[1] = (byte) 0xFE;
        record[2] = (byte) 0xFD;
        record[3] = 0;
        record[4] = 0;
        Arrays.fill(record, 5, 11, (byte) 0);
        record[10] = (byte) sequence;
        record[11] = (byte) (bodyLength >> 8);
        record[12] = (byte) bodyLength;
        record[13] = 1; // client_hello
        return record;
    }
}
