package org.salotto.loadtest;

/**
 * Reception of one SSRC at one subscriber: packets, loss from sequence gaps, and interarrival jitter as RFC 3550
 * section 6.4.1 defines it (appendix A.8). Written by one receiver thread only; read by the reporter, racily while the
 * run goes (good enough for a progress line) and exactly at the end, after the receiver threads have stopped.
 */
final class StreamStats {
    final ClientSdp.Stream stream;
    long received;
    private long baseSequence = -1;
    private long highestSequence; // extended: cycles in the high bits (RFC 3550 appendix A.1)
    private double lastTransit;
    private double jitter; // in RTP timestamp units

    StreamStats(ClientSdp.Stream stream) {
        this.stream = stream;
    }

    void onPacket(int sequence, long rtpTimestamp, long arrivalNanosSinceStart) {
        received++;
        double arrival = arrivalNanosSinceStart * (stream.clockRate() / 1e9);
        double transit = arrival - rtpTimestamp;
        if (baseSequence < 0) {
            baseSequence = sequence;
            highestSequence = sequence;
            lastTransit = transit;
            return;
        }
        long cycles = highestSequence & ~0xFFFFL;
        long candidate = cycles | sequence;
        // The candidate nearest the highest seen so far: sequence numbers wrap at 2^16.
        if (candidate < highestSequence - 0x8000) candidate += 0x10000;
        else if (candidate > highestSequence + 0x8000) candidate -= 0x10000;
        if (candidate > highestSequence) highestSequence = candidate;
        double d = Math.abs(transit - lastTransit);
        lastTransit = transit;
        jitter += (d - jitter) / 16;
    }

    long expected() {
        return baseSequence < 0 ? 0 : highestSequence - baseSequence + 1;
    }

    long lost() {
        return Math.max(0, expected() - received);
    }

    double jitterMillis() {
        return jitter * 1000.0 / stream.clockRate();
    }
}
