package org.salotto.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;

/**
 * What one subscriber's copy of a packet costs in SRTP alone: {@link SrtpContext#protectRtp} of an audio-sized
 * (Opus, 100-byte payload) or a video-sized (1,100-byte payload) packet, the work the media loop does once per packet
 * sent. The sequence number advances every call, as on a real stream, so the rollover-counter estimate is exercised.
 *
 * <p>{@code contexts} spreads the calls over that many outbound contexts in turn, as a forward to that many listeners
 * does: with 1,000 the per-context state no longer sits in the CPU cache.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class SrtpProtectBenchmark {
    private static final int HEADER = 12;

    @Param({"100", "1100"})
    public int payload;

    @Param({"1", "1000"})
    public int contexts;

    @Param({"AES128_CM_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    private SrtpContext[] outbound;
    private byte[] packet;
    private byte[] work;
    private int next;
    private int sequence;

    @Setup
    public void setUp() {
        outbound = new SrtpContext[contexts];
        byte[] material = new byte[2 * (profile.keyLength() + profile.saltLength())];
        for (int i = 0; i < contexts; i++) {
            material[0] = (byte) i;
            material[1] = (byte) (i >>> 8);
            outbound[i] = SrtpContext.fromKeyingMaterial(profile, material, true)[1];
        }
        packet = new byte[HEADER + payload];
        packet[0] = (byte) 0x80;
        packet[1] = 111;
        packet[8] = 0x12;
        packet[9] = 0x34;
        work = new byte[packet.length + SrtpContext.maxOverhead()];
    }

    @Benchmark
    public int protect() {
        int seq = sequence++ & 0xFFFF;
        byte[] p = packet;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        System.arraycopy(p, 0, work, 0, p.length);
        SrtpContext context = outbound[next];
        next = next + 1 == outbound.length ? 0 : next + 1;
        int len = context.protectRtp(work, 0, p.length);
        if (len < 0) throw new IllegalStateException("protect failed: " + len);
        return len;
    }
}
