package org.salotto.media.dtls;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.tls.DTLSTransport;

/**
 * Jazzer targets for the DTLS entry: a datagram that the media loop classified as DTLS (first byte 20-63, RFC 7983)
 * and handed to {@link DtlsServerSession#offer}, read by the record layer on the session's thread, with a real
 * BouncyCastle client on the other side of an in-memory link.
 *
 * <ul>
 *   <li>{@link #duringHandshake}: the input arrives before the client's first flight. Contract: the session ends in
 *   one of its two declared ways, connected or failed with a TLS alert or timeout, never with another exception.</li>
 *   <li>{@link #afterHandshake}: the input arrives on a connected session, as a forged record from the peer's address
 *   would. Contract (RFC 6347 §4.1.2.7, invalid records are discarded silently): the session is still there to
 *   receive the client's close_notify and ends closed, not failed.</li>
 * </ul>
 *
 * Each input costs a full handshake, so real fuzzing runs a few thousand inputs a minute. Corpus:
 * {@code src/test/resources/org/salotto/media/dtls/DtlsRecordFuzzTestInputs/} (a client's real flights, an epoch-1
 * record, alerts).
 */
class DtlsRecordFuzzTest {
    private static final DtlsIdentity SERVER = DtlsIdentity.generate();
    private static final DtlsIdentity CLIENT = DtlsIdentity.generate();
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);
    private static final int GCM = 0x0007;
    private static final int CM_SHA1_80 = 0x0001;

    @FuzzTest(maxDuration = "60s")
    void duringHandshake(byte[] datagram) throws Exception {
        // A short handshake limit: an input the server takes for a ClientHello leaves the real client waiting on
        // retransmission timers, and the session's failure is what this target checks.
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), Duration.ofMillis(1500))) {
            link.session.offer(datagram, 0, datagram.length);
            link.session.start();
            TestDtlsClient testClient = new TestDtlsClient(CLIENT, GCM, CM_SHA1_80);
            testClient.handshakeTimeoutMillis = 1500;
            CompletableFuture<DTLSTransport> client = link.connect(testClient);
            CompletableFuture.anyOf(link.listener.connected, link.listener.failed).get(10, SECONDS);
            if (link.listener.failed.isDone()) {
                Throwable cause = link.listener.failureCause.get();
                if (!(cause instanceof IOException)) {
                    throw new AssertionError("the session failed with " + cause, cause);
                }
            }
            link.session.close(); // a client still in its handshake hears the server's alert and stops
            closeClient(client);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void afterHandshake(byte[] datagram) throws Exception {
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.start();
            DTLSTransport client = link.connect(new TestDtlsClient(CLIENT, GCM, CM_SHA1_80)).get(10, SECONDS);
            link.listener.connected.get(10, SECONDS);

            link.session.offer(datagram, 0, datagram.length);
            client.close(); // its close_notify queues behind the input: the session reads the input first

            CompletableFuture.anyOf(link.listener.closed, link.listener.failed).get(10, SECONDS);
            if (link.listener.failed.isDone()) {
                throw new AssertionError("one datagram ended the session: " + link.listener.failed.get(),
                        link.listener.failureCause.get());
            }
            assertNull(link.listener.failed.getNow(null));
            assertTrue(link.session.awaitTermination(Duration.ofSeconds(5)), "the session's thread did not end");
            assertEquals(1, link.listener.endings.get());
            assertFalse(link.session.isConnected());
        }
    }

    private static void closeClient(CompletableFuture<DTLSTransport> client) throws Exception {
        try {
            client.get(10, SECONDS).close();
        } catch (java.util.concurrent.ExecutionException e) {
            // the client's handshake failed with the server's: the server's side was checked
        } catch (TimeoutException e) {
            throw new AssertionError("the client's handshake neither ended nor failed", e);
        }
    }

    /**
     * Writes the corpus: every datagram a real client sent in a handshake (its ClientHello, its second flight with
     * the epoch-1 Finished), an application-data record and its close_notify, and a few hand-made headers.
     */
    @Test
    void writeSeeds() throws Exception {
        // A real handshake's datagrams vary (retransmissions): by default, only check the corpus is there.
        if (!FuzzSeeds.writing(DtlsRecordFuzzTest.class, "duringHandshake", "afterHandshake")) return;
        List<byte[]> sent = new CopyOnWriteArrayList<>();
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.clientTransport.tap = sent::add;
            link.session.start();
            DTLSTransport client = link.connect(new TestDtlsClient(CLIENT, GCM, CM_SHA1_80)).get(10, SECONDS);
            link.listener.connected.get(10, SECONDS);
            client.send(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
            client.close();
            link.listener.closed.get(10, SECONDS);
        }
        java.util.HexFormat hex = java.util.HexFormat.of();
        List<byte[]> seeds = new java.util.ArrayList<>(sent);
        seeds.add(hex.parseHex("15fefd0000000000000005000202" + "0a")); // epoch-0 fatal alert, body cut short
        seeds.add(hex.parseHex("16feff000000000000000000010c")); // DTLS 1.0 handshake record claiming 268 bytes
        seeds.add(hex.parseHex("17fefd00")); // a record header cut short
        for (int i = 0; i < seeds.size(); i++) {
            FuzzSeeds.write(DtlsRecordFuzzTest.class, "duringHandshake", "datagram-" + i, seeds.get(i));
            FuzzSeeds.write(DtlsRecordFuzzTest.class, "afterHandshake", "datagram-" + i, seeds.get(i));
        }
    }
}
