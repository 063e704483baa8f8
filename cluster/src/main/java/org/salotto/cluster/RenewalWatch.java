package org.salotto.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Watches one node's lease renewals ({@link ClusterListener#renewed}) so that a caller can wait for the cluster to
 * move on by what it does, not by a guessed time: "three more renewals" is three thirds of a lease that really passed
 * on the lease thread, however slow the machine; a condition on the cluster's state is checked again after each
 * renewal, the moment it can have changed. Changes nothing: add it with {@link ClusterNode#addListener}.
 */
public final class RenewalWatch implements ClusterListener {
    private long renewals;
    private List<Node> live = List.of();

    @Override
    public synchronized void renewed(List<Node> nodes) {
        renewals++;
        live = nodes;
        notifyAll();
    }

    /** How many renewals this watch has seen. */
    public synchronized long renewals() {
        return renewals;
    }

    /** The nodes the last renewal listed. */
    public synchronized List<Node> live() {
        return live;
    }

    /**
     * Waits for {@code n} more renewals, running {@code check} after each (it may throw to fail at once).
     *
     * @throws IllegalStateException when they do not all come within {@code within}
     */
    public void awaitRenewals(int n, Duration within, Runnable check) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (int i = 0; i < n; i++) {
            awaitNext(deadline, "renewal " + (i + 1) + " of " + n);
            check.run();
        }
    }

    /**
     * Waits until {@code condition} holds, checking it now and after each renewal.
     *
     * @throws IllegalStateException naming {@code what} when it does not hold within {@code within}
     */
    public void awaitUntil(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) awaitNext(deadline, what);
    }

    private synchronized void awaitNext(long deadline, String what) throws InterruptedException {
        long seen = renewals;
        while (renewals == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new IllegalStateException("not in time: " + what);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
