package org.salotto.media.forward;

import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.rtp.VideoPayloads;

/**
 * The one place where a consumer's outgoing sequence numbers and timestamps are made: whatever source feeds the
 * consumer (one stream, a simulcast layer, later another speaker on an audience slot), the subscriber's decoder sees a
 * single stream whose sequence numbers go up by one and whose timestamps go on from where they were, with no gap and
 * no jump back, across every switch.
 *
 * <p>Input and output are kept as 64-bit unwrapped counters (the 16-bit sequence number and the 32-bit timestamp
 * extended by their wrap-arounds), so that the offsets between a source and the output are plain differences and
 * never wrap. The output of a source is {@code input + offset}; a switch ({@link #switchSource}) makes new offsets on
 * the next packet so that its sequence number follows the last one sent and its timestamp the last one plus the time
 * that has passed, in the clock rate's units. A late packet of a source from before the switch point is dropped: its
 * number would fall among the previous source's.
 *
 * <p>A VP8 stream numbers its frames too, in its payload descriptor (RFC 7741 §4.2): the PictureID (15 or 7 bits)
 * and the TL0PICIDX (8 bits), and each simulcast layer has its own count. A receiver orders frames by them (Chromium
 * drops a frame whose PictureID is not newer than the last one decoded, keyframe or not in its newer builds), so they
 * are rewritten like the sequence number ({@link #rewriteVp8}): the new source's first frame gets the last PictureID
 * sent plus one, and the output goes on from there, unwrapped in 64 bits.
 *
 * <p>The last few sources are remembered ({@link #HISTORY}), so that a NACK for an output sequence number finds the
 * source and its input number ({@link #sourceOf}). Loop thread only; allocates nothing after construction.
 */
final class RtpRewriter {
    /** How many source segments are kept for answering NACKs. */
    static final int HISTORY = 4;
    private static final long NONE = Long.MIN_VALUE;

    private final long clockRate;
    // The current source's input, unwrapped.
    private long inSeqHighest = NONE;
    private long inTsHighest = NONE;
    // The output, unwrapped.
    private long outSeqHighest = NONE;
    private long outTsHighest = NONE;
    private long lastSentNanos;
    private boolean switching = true;
    private boolean started;
    // The segments: each source from its first output sequence number on, newest at (segment - 1) % HISTORY.
    private final long[] segmentStart = new long[HISTORY];
    private final long[] segmentSeqOffset = new long[HISTORY];
    private final long[] segmentTsOffset = new long[HISTORY];
    private final long[] segmentPictureIdOffset = new long[HISTORY];
    private final long[] segmentTl0Offset = new long[HISTORY];
    private final int[] segmentSource = new int[HISTORY];
    private int segments;
    private long seqOffset;
    private long tsOffset;
    private long sourceStart;
    private int source;
    // VP8's frame counters: input of the current source and output, unwrapped; a new source sets its offsets on its
    // first packet that carries the field.
    private final FrameIndex pictureId = new FrameIndex();
    private final FrameIndex tl0PicIdx = new FrameIndex();

    RtpRewriter(int clockRate) {
        this.clockRate = clockRate;
    }

    /** The next packet starts a new source (a layer, a speaker): new offsets are made from it. */
    void switchSource() {
        switching = true;
    }

    /** Whether the next packet will start a new source. */
    boolean isSwitching() {
        return switching;
    }

    /** The source the current output comes from (as given to {@link #rewrite}), meaningful once started. */
    int source() {
        return source;
    }

    /**
     * Rewrites the sequence number and timestamp of the packet at {@code out[off]} in place.
     *
     * @param source    who sent it (a layer index): remembered with its segment for NACKs
     * @param nowNanos  the arrival time, which sets the timestamp step at a switch
     * @return false when the packet must not be sent (a late packet from before the current source's start)
     */
    boolean rewrite(byte[] out, int off, int source, long nowNanos) {
        int seq = RtpPacket.sequenceNumber(out, off);
        long ts = RtpPacket.timestamp(out, off);
        if (switching) {
            startSource(seq, ts, source, nowNanos);
        }
        long inSeq = inSeqHighest + (short) (seq - (int) inSeqHighest);
        long inTs = inTsHighest + (int) (ts - inTsHighest);
        long outSeq = inSeq + seqOffset;
        if (outSeq < sourceStart) return false;
        if (inSeq > inSeqHighest) inSeqHighest = inSeq;
        if (inTs > inTsHighest) inTsHighest = inTs;
        long outTs = inTs + tsOffset;
        if (outSeq > outSeqHighest) {
            outSeqHighest = outSeq;
            lastSentNanos = nowNanos;
        }
        if (outTs > outTsHighest) outTsHighest = outTs;
        RtpPacket.setSequenceNumber(out, off, (int) outSeq & 0xFFFF);
        RtpPacket.setTimestamp(out, off, outTs);
        return true;
    }

    private void startSource(int seq, long ts, int source, long nowNanos) {
        switching = false;
        inSeqHighest = seq;
        inTsHighest = ts;
        if (!started) {
            // The first source passes through unchanged: a consumer that never switches rewrites nothing.
            started = true;
            seqOffset = 0;
            tsOffset = 0;
        } else {
            long elapsed = (nowNanos - lastSentNanos) * clockRate / 1_000_000_000L;
            seqOffset = outSeqHighest + 1 - seq;
            tsOffset = outTsHighest + Math.max(1, elapsed) - ts;
        }
        sourceStart = seq + seqOffset;
        this.source = source;
        int slot = segments % HISTORY;
        segmentStart[slot] = sourceStart;
        segmentSeqOffset[slot] = seqOffset;
        segmentTsOffset[slot] = tsOffset;
        segmentSource[slot] = source;
        segmentPictureIdOffset[slot] = 0;
        segmentTl0Offset[slot] = 0;
        segments++;
        pictureId.pending = true;
        tl0PicIdx.pending = true;
    }

    /**
     * Rewrites the PictureID and TL0PICIDX of the VP8 payload at {@code out[payloadOff]} (after {@link #rewrite}
     * accepted the packet): the current source's offsets, made on its first packet that carries each.
     */
    void rewriteVp8(byte[] out, int payloadOff, int payloadLen) {
        int fields = VideoPayloads.vp8IndexFields(out, payloadOff, payloadLen);
        if (fields <= 0) return;
        int slot = (segments - 1) % HISTORY;
        int at = fields >>> 16;
        if (at != 0) {
            int p = payloadOff + at;
            boolean wide = (out[p] & 0x80) != 0;
            int bits = wide ? 15 : 7;
            long value = wide ? (out[p] & 0x7F) << 8 | out[p + 1] & 0xFF : out[p] & 0x7F;
            long output = pictureId.next(value, bits);
            if (segments > 0) segmentPictureIdOffset[slot] = pictureId.offset;
            writePictureId(out, p, wide, output);
        }
        at = fields & 0xFFFF;
        if (at != 0) {
            int p = payloadOff + at;
            long output = tl0PicIdx.next(out[p] & 0xFF, 8);
            if (segments > 0) segmentTl0Offset[slot] = tl0PicIdx.offset;
            out[p] = (byte) output;
        }
    }

    /**
     * Rewrites the VP8 counters of a stored packet being sent again as our sequence number {@code outSeq16}, with
     * the offsets of the source that sent it.
     */
    void rewriteVp8Stored(byte[] out, int payloadOff, int payloadLen, int outSeq16) {
        int fields = VideoPayloads.vp8IndexFields(out, payloadOff, payloadLen);
        if (fields <= 0) return;
        int slot = segmentOf(outSeq16);
        if (slot < 0) return;
        int at = fields >>> 16;
        if (at != 0) {
            int p = payloadOff + at;
            boolean wide = (out[p] & 0x80) != 0;
            long value = wide ? (out[p] & 0x7F) << 8 | out[p + 1] & 0xFF : out[p] & 0x7F;
            writePictureId(out, p, wide, value + segmentPictureIdOffset[slot]);
        }
        at = fields & 0xFFFF;
        if (at != 0) out[payloadOff + at] = (byte) ((out[payloadOff + at] & 0xFF) + segmentTl0Offset[slot]);
    }

    private static void writePictureId(byte[] out, int p, boolean wide, long value) {
        if (wide) {
            out[p] = (byte) (0x80 | (value >>> 8) & 0x7F);
            out[p + 1] = (byte) value;
        } else {
            out[p] = (byte) (value & 0x7F);
        }
    }

    /** The remembered segment that sent output sequence number {@code outSeq16}, -1 when none. */
    private int segmentOf(int outSeq16) {
        if (outSeqHighest == NONE) return -1;
        long outSeq = outSeqHighest + (short) (outSeq16 - (int) outSeqHighest);
        if (outSeq > outSeqHighest) return -1;
        for (int k = 1; k <= Math.min(segments, HISTORY); k++) {
            int slot = (segments - k) % HISTORY;
            if (outSeq >= segmentStart[slot]) return slot;
        }
        return -1;
    }

    /**
     * A counter of a stream's frames (VP8's PictureID or TL0PICIDX), input and output unwrapped: the output of a
     * source is its input plus an offset made on the source's first value, so that it follows the last one sent.
     */
    private static final class FrameIndex {
        long inHighest = NONE;
        long outHighest = NONE;
        long offset;
        boolean pending = true;

        /** The output for input {@code value}, a counter of {@code bits} bits. */
        long next(long value, int bits) {
            long in;
            if (pending || inHighest == NONE) {
                pending = false;
                in = value;
                inHighest = value;
                offset = outHighest == NONE ? 0 : outHighest + 1 - value;
            } else {
                int shift = 64 - bits;
                in = inHighest + ((value - inHighest) << shift >> shift);
                if (in > inHighest) inHighest = in;
            }
            long output = in + offset;
            if (outHighest == NONE || output > outHighest) outHighest = output;
            return output;
        }
    }

    /**
     * For a NACK: the source and input sequence number of the output sequence number {@code outSeq16}, as
     * {@code source << 16 | inputSeq16}, or -1 when it was not sent from a remembered source.
     */
    long sourceOf(int outSeq16) {
        int slot = segmentOf(outSeq16);
        if (slot < 0) return -1;
        long outSeq = outSeqHighest + (short) (outSeq16 - (int) outSeqHighest);
        return (long) segmentSource[slot] << 16 | (outSeq - segmentSeqOffset[slot]) & 0xFFFF;
    }

    /** The output timestamp of an input timestamp of the segment that sent {@code outSeq16} (see {@link #sourceOf}). */
    long outputTimestamp(int outSeq16, long inputTimestamp) {
        long outSeq = outSeqHighest + (short) (outSeq16 - (int) outSeqHighest);
        for (int k = 1; k <= Math.min(segments, HISTORY); k++) {
            int slot = (segments - k) % HISTORY;
            if (outSeq >= segmentStart[slot]) return (inputTimestamp + segmentTsOffset[slot]) & 0xFFFF_FFFFL;
        }
        return inputTimestamp;
    }

    /** An input timestamp of the current source as it goes out (for a relayed sender report). */
    long currentTimestamp(long inputTimestamp) {
        return (inputTimestamp + tsOffset) & 0xFFFF_FFFFL;
    }

    /** The highest output sequence number sent, unwrapped (for tests and reports); Long.MIN_VALUE before any. */
    long highestSequence() {
        return outSeqHighest;
    }

    /** The highest output timestamp sent, unwrapped; Long.MIN_VALUE before any. */
    long highestTimestamp() {
        return outTsHighest;
    }
}
