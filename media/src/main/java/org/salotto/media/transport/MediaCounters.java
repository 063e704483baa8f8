package org.salotto.media.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.salotto.media.bwe.EstimateHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters of the media plane, and the rate-limited log of drops.
 *
 * <p>Each hot counter has one writer, which increments it plainly, with no fence on the per-packet path: the loop
 * thread for what it reads and forwards, and for datagrams and bytes sent the thread that makes the send calls (the
 * loop itself with {@link ChannelUdpPort}, the port's sender thread with {@link NativeUdpPort}). Datagrams sent at
 * once from any other thread (DTLS handshakes, an oversized datagram) are counted apart, atomically
 * ({@link #countSentElsewhere}). Readers (metrics) read racily (64-bit plain reads do not tear on the JVMs we run on)
 * and may see values that lag by a few packets. Drops can come from any thread, so they use an atomic array. A drop is logged at most once per {@link #LOG_INTERVAL_NANOS} per reason, with the count since the
 * last line, so a flood of bad packets costs a few log lines, not one per packet.
 */
public final class MediaCounters {
    static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    private static final Logger log = LoggerFactory.getLogger(MediaCounters.class);
    private static final DropReason[] REASONS = DropReason.values();

    private final AtomicLongArray drops = new AtomicLongArray(REASONS.length);
    private final AtomicLongArray loggedAt = new AtomicLongArray(REASONS.length);
    private final AtomicLongArray loggedCount = new AtomicLongArray(REASONS.length);

    long datagramsIn;
    long bytesIn;
    long datagramsOut;
    long bytesOut;
    private final AtomicLong datagramsOutElsewhere = new AtomicLong();
    private final AtomicLong bytesOutElsewhere = new AtomicLong();
    long rtpForwarded;
    /** ICE-TCP frames and their bytes, in (the loop) and out (the loop): apart from the UDP datagrams. */
    long tcpFramesIn;
    long tcpBytesIn;
    long tcpFramesOut;
    long tcpBytesOut;
    /** ICE-TCP connections accepted; the TCP port's thread. */
    private final AtomicLong tcpConnectionsAccepted = new AtomicLong();
    private final AtomicLong tcpConnectionsClosed = new AtomicLong();
    private final AtomicLong tcpConnectionsTimedOut = new AtomicLong();
    long rtxSent;
    long keyframeRequestsSent;
    long keyframeRequestsThrottled;
    long nacksSent;
    long nackedPackets;
    long nackGivenUp;
    long rtxReceived;
    long rtxRecovered;
    long rtxPadding;
    /** Control work refused because the loop's queue was full; any thread. */
    private final AtomicLong controlRefused = new AtomicLong();
    /** Subscribers' downlink estimates and their feedback; the loop. */
    private final EstimateHistogram downlinkEstimates = new EstimateHistogram();
    /** Told of each drop once it is counted; null (none) but when a test waits for drops. */
    private volatile DropObserver dropObserver;

    /**
     * Told of each drop after it is counted, on the dropping thread: what a test waits on rather than reading the
     * counters again and again. Must return at once and change nothing; counting is the same with or without it.
     */
    public interface DropObserver {
        void dropped(DropReason reason);
    }

    /** Sets the drop observer (null: none); one at a time. */
    public void observeDrops(DropObserver observer) {
        this.dropObserver = observer;
    }

    public MediaCounters() {
        long start = System.nanoTime() - LOG_INTERVAL_NANOS;
        for (int i = 0; i < REASONS.length; i++) loggedAt.set(i, start);
    }

    /** Counts a drop and logs it if this reason has not been logged for a while. */
    public void drop(DropReason reason, Object from) {
        int i = reason.ordinal();
        long total = drops.incrementAndGet(i);
        long now = System.nanoTime();
        long last = loggedAt.get(i);
        if (now - last >= LOG_INTERVAL_NANOS && loggedAt.compareAndSet(i, last, now)) {
            long since = total - loggedCount.getAndSet(i, total);
            log.warn("dropped {} {} (e.g. from {}; {} total)", since, reason.description(), from, total);
        }
        DropObserver observer = dropObserver;
        if (observer != null) observer.dropped(reason);
    }

    public long drops(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    public Map<DropReason, Long> dropsByReason() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) m.put(r, drops.get(r.ordinal()));
        return m;
    }

    public long totalDrops() {
        long sum = 0;
        for (int i = 0; i < REASONS.length; i++) sum += drops.get(i);
        return sum;
    }

    /** Increments, for the forwarding layer on the loop thread. */
    public void addForwarded() { rtpForwarded++; }
    public void addRtxSent() { rtxSent++; }
    public void addKeyframeRequestSent() { keyframeRequestsSent++; }
    public void addKeyframeRequestThrottled() { keyframeRequestsThrottled++; }
    /** A NACK sent to a publisher, asking for {@code packets} sequence numbers. */
    public void addNackSent(int packets) { nacksSent++; nackedPackets += packets; }
    public void addNackGivenUp(int packets) { nackGivenUp += packets; }
    public void addRtxReceived() { rtxReceived++; }
    public void addRtxRecovered() { rtxRecovered++; }
    public void addRtxPadding() { rtxPadding++; }

    public long datagramsIn() { return datagramsIn; }
    public long bytesIn() { return bytesIn; }
    /** Counts a datagram sent by a thread other than the hot counters' writer. */
    void countSentElsewhere(int length) {
        datagramsOutElsewhere.incrementAndGet();
        bytesOutElsewhere.addAndGet(length);
    }

    public long datagramsOut() { return datagramsOut + datagramsOutElsewhere.get(); }
    public long bytesOut() { return bytesOut + bytesOutElsewhere.get(); }
    public long rtpForwarded() { return rtpForwarded; }
    public EstimateHistogram downlinkEstimates() { return downlinkEstimates; }
    public long rtxSent() { return rtxSent; }
    public long keyframeRequestsSent() { return keyframeRequestsSent; }
    public long keyframeRequestsThrottled() { return keyframeRequestsThrottled; }
    /** NACK packets sent to publishers. */
    public long nacksSent() { return nacksSent; }
    /** Sequence numbers those NACKs asked for (a packet asked for twice counts twice). */
    public long nackedPackets() { return nackedPackets; }
    /** Missing packets given up on (too old, asked for too often, or in a gap wider than the table). */
    public long nackGivenUp() { return nackGivenUp; }
    /** RTX packets received from publishers, padding included. */
    public long rtxReceived() { return rtxReceived; }
    /** RTX packets that filled a gap and were forwarded as the original. */
    public long rtxRecovered() { return rtxRecovered; }
    /** Padding-only RTX packets (bandwidth probes) dropped. */
    public long rtxPadding() { return rtxPadding; }

    public long tcpFramesIn() { return tcpFramesIn; }
    public long tcpBytesIn() { return tcpBytesIn; }
    public long tcpFramesOut() { return tcpFramesOut; }
    public long tcpBytesOut() { return tcpBytesOut; }
    void tcpConnectionAccepted() { tcpConnectionsAccepted.incrementAndGet(); }
    public long tcpConnectionsAccepted() { return tcpConnectionsAccepted.get(); }
    void tcpConnectionClosed() { tcpConnectionsClosed.incrementAndGet(); }
    void tcpConnectionTimedOut() { tcpConnectionsTimedOut.incrementAndGet(); }
    /** ICE-TCP connections closed for want of an ICE check in time, or silent for the consent timeout. */
    public long tcpConnectionsTimedOut() { return tcpConnectionsTimedOut.get(); }
    /** ICE-TCP connections open now (accepted and not closed yet). */
    public long tcpConnectionsOpen() { return tcpConnectionsAccepted.get() - tcpConnectionsClosed.get(); }

    /** Counts a control request refused with {@link MediaBusyException}; any thread. */
    public void addControlRefused() { controlRefused.incrementAndGet(); }
    /** Control requests refused because the media loop's queue was full. */
    public long controlRefused() { return controlRefused.get(); }
}
