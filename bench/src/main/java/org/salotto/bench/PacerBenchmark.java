package org.salotto.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.salotto.media.pacer.Pacer;
import org.salotto.media.pacer.PacerSettings;

/**
 * The pacer alone: a keyframe's burst of {@link #BURST} 1,100-byte video packets offered at once and drained over the
 * following ticks (each packet copied into the queue and out of it), against the same packets going straight through
 * while nothing waits. The sink only consumes the bytes: SRTP and the socket are {@code ForwardBenchmark}'s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseZGC", "-Xmx1g"})
public class PacerBenchmark {
    static final int BURST = 40;
    static final int SIZE = 1100;

    private final byte[] packet = new byte[1564];
    private Pacer pacer;
    private Blackhole hole;
    private long now;

    @Setup
    public void setUp(Blackhole bh) {
        hole = bh;
        pacer = new Pacer(PacerSettings.DEFAULT, 1564, (buf, off, len, t) -> hole.consume(buf[off + len - 1]));
        pacer.setEstimate(1_000_000);
    }

    /** A burst queued and drained on 10 ms ticks: the path of a keyframe on a thin link. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int queuedBurst() {
        for (int i = 0; i < BURST; i++) pacer.send(packet, 0, SIZE, Pacer.MEDIA, now);
        while (!pacer.isEmpty()) pacer.drain(now += 10_000_000L);
        now += 1_000_000_000L;
        return pacer.queued();
    }

    /** The same packets spaced 10 ms apart: each goes at once (steady state on a link with room). */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int straightThrough() {
        int sent = 0;
        for (int i = 0; i < BURST; i++) sent += pacer.send(packet, 0, SIZE, Pacer.MEDIA, now += 10_000_000L);
        return sent;
    }
}
