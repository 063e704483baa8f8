package org.salotto.media.rtcp;

import org.salotto.media.rtp.Bytes;

/**
 * Builds {@link TransportCcFeedback} packets without allocating: keep one per transport, {@link #reset} it, feed it
 * arrivals with {@link #add} in increasing transport-wide sequence order, {@link #write} it, repeat.
 *
 * <p>Status chunks are encoded as packets are added: a run of identical symbols becomes a run-length chunk (up to
 * 8191), a mix of "not received" and small deltas a 14-symbol one-bit vector, and a mix involving large deltas a
 * 7-symbol two-bit vector. Receive deltas are rounded to the nearest 250 µs against the previously <em>encoded</em>
 * time, so the error never accumulates beyond 125 µs.
 *
 * <p>Not thread-safe: owned by the transport's single media thread.
 */
public final class TransportCcFeedbackBuilder {
    public static final int DEFAULT_MAX_LENGTH = 1200;
    private static final int MIN_MAX_LENGTH = 32;
    private static final int MAX_STATUS_COUNT = 0xFFFF;

    private final int maxLength;
    private final char[] chunks;
    private final byte[] deltas;
    private final byte[] pending = new byte[14];

    private int chunkCount;
    private int deltaLength;
    private int pendingSize;
    private boolean pendingAllSame;
    private boolean pendingHasLarge;

    private int senderSsrc;
    private int mediaSsrc;
    private int feedbackPacketCount;
    private int baseSequence;
    private long lastSequence; // unwrapped
    private int statusCount;
    private int referenceTime; // 64 ms units, before masking to 24 bits
    private long lastTimeMicros; // the encoded arrival time of the last received packet

    /** A builder producing packets of at most {@link #DEFAULT_MAX_LENGTH} bytes. */
    public TransportCcFeedbackBuilder() {
        this(DEFAULT_MAX_LENGTH);
    }

    /** @param maxLength the largest packet {@link #write} may produce, in bytes (at least 32) */
    public TransportCcFeedbackBuilder(int maxLength) {
        this.maxLength = Math.max(MIN_MAX_LENGTH, maxLength);
        this.chunks = new char[this.maxLength / 2];
        this.deltas = new byte[this.maxLength];
    }

    /** Starts a new, empty feedback. {@code feedbackPacketCount} is written modulo 256. */
    public void reset(int senderSsrc, int mediaSsrc, int feedbackPacketCount) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.feedbackPacketCount = feedbackPacketCount;
        chunkCount = 0;
        deltaLength = 0;
        pendingSize = 0;
        pendingAllSame = true;
        pendingHasLarge = false;
        statusCount = 0;
    }

    public boolean isEmpty() {
        return statusCount == 0;
    }

    /** The number of packets (received or not) the feedback reports so far. */
    public int packetStatusCount() {
        return statusCount;
    }

    /** The first reported sequence number (meaningful when not empty). */
    public int baseSequence() {
        return baseSequence;
    }

    /**
     * Records that {@code transportSeq16} arrived at {@code arrivalTimeMicros} (any monotonic microsecond clock).
     * Sequence numbers between the previous one and this are reported as not received. Nothing changes when this
     * returns false.
     *
     * @return false when the packet does not belong in this feedback: it is not after the previous one (16-bit wrap
     * aware), the packet would exceed the maximum length or 65535 statuses, or its delta from the previous arrival
     * does not fit in 16 bits of 250 µs (±8.19 s). The caller then writes this feedback, resets, and adds again.
     */
    public boolean add(int transportSeq16, long arrivalTimeMicros) {
        int seq = transportSeq16 & 0xFFFF;
        long unwrapped;
        long base;
        int ref;
        if (statusCount == 0) {
            unwrapped = seq;
            ref = (int) Math.floorDiv(arrivalTimeMicros, TransportCcFeedback.REFERENCE_TIME_UNIT_MICROS);
            base = ref * TransportCcFeedback.REFERENCE_TIME_UNIT_MICROS;
        } else {
            int diff = (short) (seq - (int) (lastSequence & 0xFFFF));
            if (diff <= 0) {
                return false;
            }
            unwrapped = lastSequence + diff;
            ref = referenceTime;
            base = lastTimeMicros;
        }
        long gap = statusCount == 0 ? 0 : unwrapped - lastSequence - 1;
        if (statusCount + gap + 1 > MAX_STATUS_COUNT) {
            return false;
        }
        long delta = Math.floorDiv(arrivalTimeMicros - base + TransportCcFeedback.DELTA_UNIT_MICROS / 2,
                TransportCcFeedback.DELTA_UNIT_MICROS);
        int symbol;
        if (delta >= 0 && delta <= 0xFF) {
            symbol = TransportCcFeedback.SMALL_DELTA;
        } else if (delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE) {
            symbol = TransportCcFeedback.LARGE_DELTA;
        } else {
            return false;
        }
        // Upper bound on chunks after this add: the pending chunk may be emitted, the gap may need a run chunk per
        // 8191 misses plus a vector, and the new symbol may sit in a new pending chunk.
        long worstChunks = chunkCount + 2 + (gap == 0 ? 0 : 1 + gap / TransportCcFeedback.MAX_RUN_LENGTH);
        long worst = TransportCcFeedback.HEADER_LENGTH + 2 * worstChunks + deltaLength + symbol;
        if (((worst + 3) & ~3) > maxLength) {
            return false;
        }

        if (statusCount == 0) {
            baseSequence = seq;
            referenceTime = ref;
        }
        addSymbols(TransportCcFeedback.NOT_RECEIVED, (int) gap);
        addSymbols(symbol, 1);
        if (symbol == TransportCcFeedback.SMALL_DELTA) {
            deltas[deltaLength++] = (byte) delta;
        } else {
            deltas[deltaLength++] = (byte) (delta >> 8);
            deltas[deltaLength++] = (byte) delta;
        }
        lastTimeMicros = base + delta * TransportCcFeedback.DELTA_UNIT_MICROS;
        lastSequence = unwrapped;
        statusCount += (int) gap + 1;
        return true;
    }

    /** The length {@link #write} would return now: header, chunks, deltas, padded to 32 bits; 0 when empty. */
    public int length() {
        if (statusCount == 0) {
            return 0;
        }
        int raw = TransportCcFeedback.HEADER_LENGTH + 2 * (chunkCount + (pendingSize > 0 ? 1 : 0)) + deltaLength;
        return (raw + 3) & ~3;
    }

    /**
     * Writes the feedback. Does not change the builder, so more packets may be added and the packet written again.
     * When the length is not a multiple of 4 the packet ends with RFC 3550 padding: P bit set, zero bytes, and the
     * padding count in the last byte.
     *
     * @return the packet length, or 0 (nothing written) when empty
     */
    public int write(byte[] buf, int off) {
        if (statusCount == 0) {
            return 0;
        }
        int length = length();
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.RTPFB, TransportCcFeedback.FMT, length, senderSsrc, mediaSsrc);
        Bytes.put16(buf, off + 12, baseSequence);
        Bytes.put16(buf, off + 14, statusCount);
        Bytes.put24(buf, off + 16, referenceTime);
        buf[off + 19] = (byte) feedbackPacketCount;
        int p = off + TransportCcFeedback.HEADER_LENGTH;
        for (int i = 0; i < chunkCount; i++, p += 2) {
            Bytes.put16(buf, p, chunks[i]);
        }
        if (pendingSize > 0) {
            Bytes.put16(buf, p, lastChunk());
            p += 2;
        }
        System.arraycopy(deltas, 0, buf, p, deltaLength);
        p += deltaLength;
        int pad = off + length - p;
        if (pad > 0) {
            for (int i = 0; i < pad - 1; i++) {
                buf[p + i] = 0;
            }
            buf[off + length - 1] = (byte) pad;
            buf[off] |= 0x20;
        }
        return length;
    }

    private void addSymbols(int symbol, int n) {
        while (n > 0) {
            if (pendingSize >= pending.length && pendingAllSame && pending[0] == symbol
                    && pendingSize < TransportCcFeedback.MAX_RUN_LENGTH) {
                int take = Math.min(n, TransportCcFeedback.MAX_RUN_LENGTH - pendingSize);
                pendingSize += take;
                n -= take;
                continue;
            }
            if (!canAdd(symbol)) {
                emit();
            }
            if (pendingSize < pending.length) {
                pending[pendingSize] = (byte) symbol;
            }
            pendingAllSame = pendingSize == 0 || (pendingAllSame && pending[0] == symbol);
            pendingHasLarge |= symbol == TransportCcFeedback.LARGE_DELTA;
            pendingSize++;
            n--;
        }
    }

    private boolean canAdd(int symbol) {
        if (pendingSize < 7) {
            return true;
        }
        if (pendingSize < 14 && !pendingHasLarge && symbol != TransportCcFeedback.LARGE_DELTA) {
            return true;
        }
        return pendingAllSame && pending[0] == symbol && pendingSize < TransportCcFeedback.MAX_RUN_LENGTH;
    }

    /** Turns (part of) the pending symbols into a chunk; called only when the next symbol cannot join them. */
    private void emit() {
        if (pendingAllSame) {
            chunks[chunkCount++] = runLength(pending[0], pendingSize);
            clearPending(0);
        } else if (pendingSize == 14) {
            chunks[chunkCount++] = oneBitVector(14);
            clearPending(0);
        } else {
            // 7..13 symbols, the next one does not fit a one-bit vector: send 7 as two-bit, keep the rest.
            chunks[chunkCount++] = twoBitVector(7);
            int rest = pendingSize - 7;
            System.arraycopy(pending, 7, pending, 0, rest);
            clearPending(rest);
        }
    }

    private void clearPending(int keep) {
        pendingSize = keep;
        pendingAllSame = true;
        pendingHasLarge = false;
        for (int i = 0; i < keep; i++) {
            pendingAllSame &= pending[i] == pending[0];
            pendingHasLarge |= pending[i] == TransportCcFeedback.LARGE_DELTA;
        }
    }

    private char lastChunk() {
        if (pendingAllSame) {
            return runLength(pending[0], pendingSize);
        }
        return pendingHasLarge ? twoBitVector(pendingSize) : oneBitVector(pendingSize);
    }

    private static char runLength(int symbol, int n) {
        return (char) (symbol << 13 | n);
    }

    private char oneBitVector(int n) {
        int c = 0x8000;
        for (int k = 0; k < n; k++) {
            c |= pending[k] << (13 - k);
        }
        return (char) c;
    }

    private char twoBitVector(int n) {
        int c = 0xC000;
        for (int k = 0; k < n; k++) {
            c |= pending[k] << (12 - 2 * k);
        }
        return (char) c;
    }
}
