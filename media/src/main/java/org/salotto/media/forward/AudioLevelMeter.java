package org.salotto.media.forward;

import java.util.concurrent.atomic.AtomicLong;
import org.salotto.media.rtp.RtpHeaderExtensions;

/**
 * What one audio producer's RFC 6464 audio levels add up to since the last look: the packets that carried a level,
 * how many of them were at least as loud as {@link #SPEECH_LEVEL_DBOV}, how many had the sender's voice-activity bit, and the
 * sum of their loudness (127 minus the level in -dBov). The media loop adds each packet; an active-speaker detector on
 * another thread takes the sums with {@link #take()} once per interval.
 *
 * <p>The four sums share one {@link AtomicLong}, so a packet costs one atomic add, and taking them is one
 * {@code getAndSet}: no lock, no allocation, and the reader never sees half a packet. A packet without the element,
 * or with a malformed block, adds nothing and is counted ({@link #missing()}).
 *
 * <p>Why the level and not the V bit decides "voiced": browsers differ on the bit (some set it on every packet, some
 * only with their VAD on), while the level is always there.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6464#section-3">RFC 6464 §3</a>
 */
public final class AudioLevelMeter {
    /** A packet at least this loud (at most this many -dBov) counts as voiced: speech is about -20 to -50 dBov. */
    public static final int SPEECH_LEVEL_DBOV = 50;

    private static final int PACKETS_SHIFT = 0;
    private static final int VOICED_SHIFT = 16;
    private static final int FLAGGED_SHIFT = 32;
    private static final int LOUDNESS_SHIFT = 48;
    /** Each sum is 16 bits; packets are capped (a detector that stops looking must not let them carry over). */
    private static final long FIELD = 0xFFFF;
    /** Loudness is summed in units of 8, rounded (127 x 65,535 would not fit 16 bits); {@link #loudness} scales back. */
    private static final int LOUDNESS_UNIT_BITS = 3;
    /** The packets a field may count before the others could overflow: 65,535 / (127 / 8, rounded up). */
    static final long MAX_PACKETS = FIELD / ((127 >> LOUDNESS_UNIT_BITS) + 1);

    private final int extensionId;
    private final AtomicLong sums = new AtomicLong();
    /** Written by the loop only; read by anyone (a figure, not a decision). */
    private final AtomicLong missing = new AtomicLong();
    /** The loop's own sums for an audience's loudest-N selection ({@link #takeRecentLoudness}): loop thread only. */
    private int recentPackets;
    private int recentLoudness;

    /** @param extensionId the ssrc-audio-level id negotiated for this producer; 0 when none was (all are missing). */
    public AudioLevelMeter(int extensionId) {
        this.extensionId = extensionId;
    }

    /** The per-packet path (loop thread): reads the element of an RTP packet already validated. */
    void onPacket(byte[] b, int off, int len) {
        int v = extensionId == 0 ? -1 : RtpHeaderExtensions.audioLevelByte(b, off, len, extensionId);
        if (v < 0) {
            missing.setOpaque(missing.getPlain() + 1); // one writer
            return;
        }
        add(v & 0x7F, (v & 0x80) != 0);
    }

    /** Adds one packet's level (0..127 -dBov) and V bit. Loop thread (and tests). */
    void add(int levelDbov, boolean voiceActivity) {
        if (++recentPackets > 1 << 20) { // nobody takes them (no audience): start again before the sum overflows
            recentPackets = 1;
            recentLoudness = 0;
        }
        recentLoudness += 127 - levelDbov;
        if ((sums.getPlain() >>> PACKETS_SHIFT & FIELD) >= MAX_PACKETS) return; // nobody takes: stop counting
        long d = 1L << PACKETS_SHIFT
                | (levelDbov <= SPEECH_LEVEL_DBOV ? 1L << VOICED_SHIFT : 0)
                | (voiceActivity ? 1L << FLAGGED_SHIFT : 0)
                | (long) ((127 - levelDbov + (1 << LOUDNESS_UNIT_BITS - 1)) >> LOUDNESS_UNIT_BITS) << LOUDNESS_SHIFT;
        sums.getAndAdd(d);
    }

    /**
     * The mean loudness (0 to 127, as {@link #loudness}) of the packets since the last call, 0 when none came: the
     * loop thread's own reading, apart from {@link #take()}'s (the active-speaker detector's), for the selection of
     * an audience's loudest speakers ({@link AudienceSlots}).
     */
    int takeRecentLoudness() {
        int n = recentPackets;
        int sum = recentLoudness;
        recentPackets = 0;
        recentLoudness = 0;
        return n == 0 ? 0 : (sum + n / 2) / n;
    }

    /** The sums since the last call, packed; read them with {@link #packets}, {@link #voiced}, {@link #loudness}. */
    public long take() {
        return sums.getAndSet(0);
    }

    /** Packets that came without a readable level (not negotiated, absent, or a malformed extension block). */
    public long missing() {
        return missing.getOpaque();
    }

    public static int packets(long taken) {
        return (int) (taken >>> PACKETS_SHIFT & FIELD);
    }

    public static int voiced(long taken) {
        return (int) (taken >>> VOICED_SHIFT & FIELD);
    }

    /** Packets whose V bit was set. */
    public static int flagged(long taken) {
        return (int) (taken >>> FLAGGED_SHIFT & FIELD);
    }

    /** The mean loudness of the packets taken, 0 (silence, 127 -dBov) to 127 (0 dBov); 0 when there were none. */
    public static int loudness(long taken) {
        int n = packets(taken);
        if (n == 0) return 0;
        long sum = (taken >>> LOUDNESS_SHIFT & FIELD) << LOUDNESS_UNIT_BITS;
        return (int) Math.min(127, (sum + n / 2) / n);
    }
}
