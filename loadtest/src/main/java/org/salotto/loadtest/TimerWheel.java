package org.salotto.loadtest;

/**
 * A hashed timer wheel (Varghese and Lauck, 1987): 1 ms ticks, 256 slots, each slot an intrusive list of
 * {@link PacedSource}s. Scheduling and expiry are O(1) and allocate nothing; a deadline more than one turn away waits
 * in its slot for its turn. One thread only.
 */
final class TimerWheel {
    static final long TICK_NANOS = 1_000_000;
    private static final int SLOTS = 256;
    private static final int MASK = SLOTS - 1;

    private final PacedSource[] slots = new PacedSource[SLOTS];
    private long currentTick;

    TimerWheel(long nowNanos) {
        currentTick = nowNanos / TICK_NANOS;
    }

    void schedule(PacedSource s) {
        long tick = Math.max(s.deadlineNanos / TICK_NANOS, currentTick);
        int slot = (int) (tick & MASK);
        s.nextInSlot = slots[slot];
        slots[slot] = s;
    }

    /**
     * The first tick from the next one to be run that has a source in its slot, looking at most {@code maxTicks}
     * ahead (then that far): the thread may sleep until it instead of waking every tick. A slot may hold a source of a
     * later turn; that costs one early wake-up, never a late one.
     */
    long nextBusyTick(int maxTicks) {
        for (int k = 0; k < maxTicks; k++) {
            if (slots[(int) ((currentTick + k) & MASK)] != null) return currentTick + k;
        }
        return currentTick + maxTicks;
    }

    /** Runs every source whose deadline has come, up to {@code nowNanos}, and schedules each one's next run. */
    void advance(long nowNanos) {
        long target = nowNanos / TICK_NANOS;
        while (currentTick <= target) {
            int slot = (int) (currentTick & MASK);
            PacedSource s = slots[slot];
            slots[slot] = null;
            PacedSource later = null; // entries of a later turn of the wheel, put back after the walk
            while (s != null) {
                PacedSource next = s.nextInSlot;
                if (!s.stopped) {
                    if (s.deadlineNanos / TICK_NANOS > currentTick) {
                        s.nextInSlot = later;
                        later = s;
                    } else {
                        s.deadlineNanos = s.run(nowNanos);
                        long tick = s.deadlineNanos / TICK_NANOS;
                        if (tick <= currentTick) { // due again within this tick: the next tick runs it
                            s.deadlineNanos = (currentTick + 1) * TICK_NANOS;
                        }
                        schedule(s); // never into the slot being emptied, but for a deadline a full turn away
                    }
                }
                s = next;
            }
            while (later != null) {
                PacedSource next = later.nextInSlot;
                later.nextInSlot = slots[slot];
                slots[slot] = later;
                later = next;
            }
            currentTick++;
        }
    }
}
