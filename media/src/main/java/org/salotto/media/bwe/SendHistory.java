package org.salotto.media.bwe;

/**
 * The packets a transport sent, by transport-wide sequence number: send time and size in a fixed ring, so that
 * feedback can be matched to them. Sequence numbers are kept unwrapped (64 bits) inside; on the wire and in feedback
 * they are 16 bits. A slot is overwritten {@link #CAPACITY} packets later: feedback for older packets finds nothing.
 * Loop thread only; nothing allocated after construction.
 */
public final class SendHistory {
    /**
     * 1024 packets: two seconds at 500 packets a second (5 Mbps of video), one at 10 Mbps; feedback comes back within
     * a round trip and 100 ms. About 17 KB per transport.
     */
    public static final int CAPACITY = 1024;
    private static final int MASK = CAPACITY - 1;

    /** The low 32 bits of each slot's unwrapped number (-1: empty); enough to tell one lap of the ring from another. */
    private final int[] sequence = new int[CAPACITY];
    private final long[] sendNanos = new long[CAPACITY];
    private final int[] size = new int[CAPACITY];
    private final boolean[] reported = new boolean[CAPACITY];
    /** The unwrapped number the next packet gets. */
    private long next;

    public SendHistory() {
        java.util.Arrays.fill(sequence, -1);
    }

    /** Records a packet about to be sent; returns its 16-bit transport-wide sequence number. */
    public int record(long nowNanos, int bytes) {
        long seq = next++;
        int slot = (int) (seq & MASK);
        sequence[slot] = (int) seq;
        sendNanos[slot] = nowNanos;
        size[slot] = bytes;
        reported[slot] = false;
        return (int) (seq & 0xFFFF);
    }

    /** The 16-bit number {@link #record} gives next. */
    public int nextSequence() {
        return (int) (next & 0xFFFF);
    }

    /** How many packets were recorded. */
    public long recorded() {
        return next;
    }

    /**
     * The slot of the most recent packet sent with 16-bit number {@code seq16}, or -1 when that packet has left the
     * ring or was never sent (a number ahead of what we sent).
     */
    public int find(int seq16) {
        if (next == 0) return -1;
        long last = next - 1;
        long back = (last - seq16) & 0xFFFF; // how far behind the newest packet, modulo 2^16
        long seq = last - back;
        if (seq < 0 || back >= CAPACITY) return -1;
        int slot = (int) (seq & MASK);
        return sequence[slot] == (int) seq ? slot : -1;
    }

    /** The low 32 bits of the unwrapped number of the packet in {@code slot}. */
    public int sequence(int slot) {
        return sequence[slot];
    }

    public long sendNanos(int slot) {
        return sendNanos[slot];
    }

    public int size(int slot) {
        return size[slot];
    }

    /** Whether feedback already reported this packet as received (a later report of it is ignored). */
    public boolean reported(int slot) {
        return reported[slot];
    }

    public void markReported(int slot) {
        reported[slot] = true;
    }
}
