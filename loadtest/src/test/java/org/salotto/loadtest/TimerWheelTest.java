package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wheel runs sources at their ticks and tells the pacer how long it may sleep. */
class TimerWheelTest {
    private static final long MS = TimerWheel.TICK_NANOS;

    /** Runs every {@code period} ticks and records when. */
    private static final class Every extends PacedSource {
        final long period;
        final List<Long> ran = new ArrayList<>();

        Every(long first, long period) {
            this.deadlineNanos = first;
            this.period = period;
        }

        @Override
        long run(long nowNanos) {
            ran.add(nowNanos / MS);
            return deadlineNanos + period;
        }
    }

    @Test
    void thePacerSleepsToTheNextBusyTickAndNoFurther() {
        long start = 1_000 * MS;
        TimerWheel wheel = new TimerWheel(start);
        assertEquals(1_000 + 100, wheel.nextBusyTick(100), "nothing scheduled: as far as asked");
        Every audio = new Every(start + 5 * MS, 20 * MS);
        wheel.schedule(audio);
        assertEquals(1_005, wheel.nextBusyTick(100));
        assertEquals(1_003, wheel.nextBusyTick(3), "never beyond the limit");

        // Waking only at busy ticks runs the source exactly when it would have run with a wake-up every tick.
        long now = start;
        for (int wakes = 0; wakes < 5; wakes++) {
            wheel.advance(now);
            now = wheel.nextBusyTick(100) * MS;
        }
        assertEquals(List.of(1_005L, 1_025L, 1_045L, 1_065L), audio.ran);
    }
}
