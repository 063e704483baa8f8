package org.salotto.media.dtls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a {@link DtlsServerSession} reports, so a test can wait for it. */
final class RecordingListener implements DtlsServerSession.Listener {
    record Connected(int profile, byte[] keyingMaterial) {}

    final CompletableFuture<Connected> connected = new CompletableFuture<>();
    final CompletableFuture<String> failed = new CompletableFuture<>();
    /** What made it fail, for the fuzz target: a TLS alert or timeout is expected, a RuntimeException is a bug. */
    final CompletableFuture<Throwable> failureCause = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** onFailed plus onClosed: must end at exactly one. */
    final AtomicInteger endings = new AtomicInteger();
    final AtomicInteger discarded = new AtomicInteger();
    /** One permit per discarded record: a test waits for the discards it caused instead of polling the count. */
    final java.util.concurrent.Semaphore discards = new java.util.concurrent.Semaphore(0);

    @Override
    public void onRecordDiscarded() {
        discarded.incrementAndGet();
        discards.release();
    }

    @Override
    public void onConnected(int srtpProtectionProfile, byte[] keyingMaterial) {
        connected.complete(new Connected(srtpProtectionProfile, keyingMaterial));
    }

    @Override
    public void onFailed(String reason, Throwable cause) {
        endings.incrementAndGet();
        failureCause.complete(cause);
        failed.complete(reason);
    }

    @Override
    public void onClosed() {
        endings.incrementAndGet();
        closed.complete(null);
    }

    String awaitFailure() throws Exception {
        return failed.get(5, TimeUnit.SECONDS);
    }
}
