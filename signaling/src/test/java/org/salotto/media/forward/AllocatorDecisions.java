package org.salotto.media.forward;

/**
 * Makes the bandwidth allocator's pause decision for a consumer, as {@link BandwidthAllocator} does when a subscriber's
 * downlink has no room for even the lowest layer (on the loop, through {@link Consumer#setSuspended}): for signaling
 * tests, whose subscribers have no real downlink to measure.
 */
public final class AllocatorDecisions {
    private AllocatorDecisions() {
    }

    public static void suspend(Consumer c, boolean suspended) {
        c.endpoint().loop().execute(() -> c.setSuspended(suspended, c.endpoint().loop().nanoTime()));
    }
}
