package org.salotto.media.pacer;

/**
 * Spreads what one subscriber's transport sends of video over time, at a pacing rate of {@link PacerSettings#factor()}
 * times its downlink estimate, as GCC's pacer does (draft-ietf-rmcat-gcc-02 §4; libwebrtc's paced sender): a
 * keyframe's burst of tens of packets leaves over a few tens of milliseconds instead of all at once, so that it does
 * not overflow the queue of a thin link's bottleneck.
 *
 * <p>A byte budget grows at the pacing rate with the time given (the media loop's clock) up to {@link #BURST_NANOS}
 * of it; a packet goes while the budget is above zero and takes its size from it (the budget may end a packet below
 * zero, so the average is the rate). While nothing waits and the budget allows, a packet goes at once, in the caller's
 * buffer; otherwise it is copied into a ring and waits for {@link #drain}, which the transport calls on every 10 ms
 * tick and which every call of {@link #send} does first. Three kinds:
 *
 * <ul>
 *   <li>{@link #RETRANSMISSION}: answers to NACKs, in a ring of their own, drained before media;</li>
 *   <li>{@link #MEDIA}: video, first in first out;</li>
 *   <li>{@link #PADDING}: the allocator's probe; goes only when nothing waits and the budget allows, never queued
 *       (refused otherwise: a probe is worth nothing late).</li>
 * </ul>
 *
 * <p>Audio and RTCP do not come here: the transport sends them at once, so they never wait behind video.
 *
 * <p>A full ring drops the packet offered (tail drop, {@link #DROPPED}; the caller counts it): the subscriber asks for
 * it again by NACK, and its retransmission waits in the other ring, ahead of the video queued. The rings' buffers are
 * made the first time the queue reaches that depth and kept: in steady state nothing is allocated. Loop thread only;
 * no lock, no log.
 */
public final class Pacer {
    /** Where a packet goes when it leaves the pacer (SRTP protection and the socket's batch). */
    @FunctionalInterface
    public interface Sink {
        void send(byte[] buf, int off, int len, long nowNanos);
    }

    public static final int MEDIA = 0;
    public static final int RETRANSMISSION = 1;
    public static final int PADDING = 2;

    /** {@link #send}: gone to the sink now. */
    public static final int SENT = 0;
    /** {@link #send}: copied into the queue. */
    public static final int QUEUED = 1;
    /** {@link #send}: the queue was full; the packet is dropped. */
    public static final int DROPPED = -1;
    /** {@link #send}: padding refused (something waits, or no budget). */
    public static final int REFUSED = -2;

    /** The most budget that builds up while little is sent: how big a burst may leave at once (at the pacing rate). */
    public static final long BURST_NANOS = 20_000_000L;

    private final Sink sink;
    private final double factor;
    private final Ring media;
    private final Ring retransmissions;
    /** The pacing rate, bits per second; 0: not pacing (everything goes at once). */
    private long rate;
    private double budget;
    private long lastNanos;
    private boolean started;
    private long queuedPackets;
    private long droppedPackets;
    private int deepest;

    /**
     * @param bufferSize the size of each queued packet's buffer: the largest packet plus the room the sink needs
     *                   after it (the SRTP tag, a transport-cc element inserted)
     */
    public Pacer(PacerSettings settings, int bufferSize, Sink sink) {
        this.sink = sink;
        this.factor = settings.factor();
        this.media = new Ring(settings.queuePackets(), bufferSize);
        this.retransmissions = new Ring(Math.max(16, settings.queuePackets() / 4), bufferSize);
    }

    /** The subscriber's downlink estimate, bits per second; the pacing rate is the factor times it. 0 or less: none. */
    public void setEstimate(long bitsPerSecond) {
        rate = bitsPerSecond <= 0 ? 0 : (long) (factor * bitsPerSecond);
    }

    /** The pacing rate, bits per second (0: not pacing). */
    public long rate() {
        return rate;
    }

    /**
     * Sends or queues buf[off, off+len) (buf must have the sink's room after the packet when it goes at once).
     *
     * @return {@link #SENT}, {@link #QUEUED}, {@link #DROPPED} (the queue was full) or {@link #REFUSED} (padding)
     */
    public int send(byte[] buf, int off, int len, int kind, long nowNanos) {
        drain(nowNanos);
        boolean idle = media.size == 0 && retransmissions.size == 0;
        if (idle && (rate == 0 || budget > 0)) {
            budget -= len;
            sink.send(buf, off, len, nowNanos);
            return SENT;
        }
        if (kind == PADDING) return REFUSED;
        Ring ring = kind == RETRANSMISSION ? retransmissions : media;
        if (!ring.offer(buf, off, len)) {
            droppedPackets++;
            return DROPPED;
        }
        queuedPackets++;
        int depth = media.size + retransmissions.size;
        if (depth > deepest) deepest = depth;
        return QUEUED;
    }

    /** Sends what the budget allows of what waits, retransmissions first. Every tick, and before each send. */
    public void drain(long nowNanos) {
        refill(nowNanos);
        while ((budget > 0 || rate == 0) && (retransmissions.size > 0 || media.size > 0)) {
            Ring ring = retransmissions.size > 0 ? retransmissions : media;
            int len = ring.lengths[ring.head];
            byte[] packet = ring.slots[ring.head];
            ring.poll();
            budget -= len;
            sink.send(packet, 0, len, nowNanos);
        }
    }

    private void refill(long nowNanos) {
        double most = rate * (BURST_NANOS / 8e9);
        if (!started) {
            started = true;
            budget = most;
        } else if (nowNanos - lastNanos > 0) {
            budget = Math.min(budget + rate * ((nowNanos - lastNanos) / 8e9), most);
        } else {
            return; // no time has passed (or a packet timed before the last tick): nothing to add
        }
        lastNanos = nowNanos;
    }

    /** Packets waiting now. */
    public int queued() {
        return media.size + retransmissions.size;
    }

    /** Bytes waiting now. */
    public long queuedBytes() {
        return media.bytes + retransmissions.bytes;
    }

    /** Whether nothing waits (the transport may stop ticking). */
    public boolean isEmpty() {
        return media.size == 0 && retransmissions.size == 0;
    }

    /** Forgets what waits (the transport closed). */
    public void clear() {
        media.clear();
        retransmissions.clear();
    }

    /** Packets that have waited in the queue since the start (not those that went at once). */
    public long queuedPackets() {
        return queuedPackets;
    }

    /** Packets dropped because the queue was full. */
    public long droppedPackets() {
        return droppedPackets;
    }

    /** The most packets that have waited at once. */
    public int deepest() {
        return deepest;
    }

    /** A bounded first-in first-out ring of packet buffers, each made when first needed and kept. */
    private static final class Ring {
        final byte[][] slots;
        final int[] lengths;
        final int bufferSize;
        int head;
        int size;
        long bytes;

        Ring(int capacity, int bufferSize) {
            this.slots = new byte[capacity][];
            this.lengths = new int[capacity];
            this.bufferSize = bufferSize;
        }

        boolean offer(byte[] buf, int off, int len) {
            if (size == slots.length || len > bufferSize) return false;
            int at = head + size;
            if (at >= slots.length) at -= slots.length;
            byte[] slot = slots[at];
            if (slot == null) slots[at] = slot = new byte[bufferSize];
            System.arraycopy(buf, off, slot, 0, len);
            lengths[at] = len;
            size++;
            bytes += len;
            return true;
        }

        void poll() {
            bytes -= lengths[head];
            head = head + 1 == slots.length ? 0 : head + 1;
            size--;
        }

        void clear() {
            head = 0;
            size = 0;
            bytes = 0;
        }
    }
}
