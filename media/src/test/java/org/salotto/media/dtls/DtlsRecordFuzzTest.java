package org.salotto.media.dtls;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        try (InMemoryLink link = new InMemoryLink(SERVER, CLIENT.fingerprintSha256(), HANDSHAKE_TIMEOUT)) {
            link.session.offer(datagram, 0, datagram.length);
            link.session.start();
            CompletableFuture<DTLSTransport> client = link.connect(new TestDtlsClient(CLIENT, GCM, CM_SHA1_80));
            CompletableFuture.anyOf(link.listener.connected, link.listener.failed).get(10, SECONDS);
            if (link.listener.failed.isDone()) {
                Throwable cause = link.listener.failureCause.get();
                if (!(cause instanceof IOException)) {
                    throw new AssertionError("the session failed with " + cause, cause);
                }
            }
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
}
