package org.salotto.media.forward;

import java.util.List;
import org.salotto.media.bwe.BandwidthSettings;

/**
 * Shares one subscriber's downlink estimate ({@link Endpoint#availableBitrate()}, from its transport-cc feedback)
 * among the tracks it receives. Every {@link BandwidthSettings#allocationIntervalNanos()}, and at once when the
 * estimate falls below what the last allocation sends:
 *
 * <ol>
 *   <li>audio is counted first (its measured bitrate) and never paused;</li>
 *   <li>the videos are served in order: a screen share, then the active speaker's camera (the signaling layer sets
 *       {@link Consumer#setPriority}), then the others, bigger tiles first;</li>
 *   <li>each gets the highest layer, no bigger than the one its tile size asks for, whose measured bitrate fits in
 *       what is left ({@link ProducerLayer#bitrate}); a one-stream video fits or not as a whole;</li>
 *   <li>a video for which even the lowest layer does not fit is paused: it forwards nothing (the subscriber's tile
 *       stops on its last frame) and resumes on a keyframe when the estimate allows.</li>
 * </ol>
 *
 * <p>Hysteresis, so that a noisy estimate does not make layers flap: a video keeps its layer while that layer fits;
 * it moves up a layer (or resumes) only when the estimate leaves {@link BandwidthSettings#upHeadroom()} above that
 * layer's bitrate, and not within {@link #UP_HOLD_NANOS} of its last move down. Moves down are switched on the lower
 * layer's next keyframe, asked for at once (the {@link SimulcastStrategy} does that).
 *
 * <p>GCC's estimate never rises beyond 1.5 times what the subscriber acknowledges receiving, so a subscriber held on
 * a low layer would never show room for the next: while a video is held below the layer it wants, and no move down
 * happened in the last {@link #UP_HOLD_NANOS}, the allocator probes: it fills the downlink up to 90% of the estimate
 * (at most to what the next step needs) with padding-only RTX packets (RFC 4588), which transport-cc numbers like media. The
 * estimate then grows by GCC's 8% a second as long as the link carries it, and falls back (padding stops) when it
 * does not.
 *
 * <p>A subscriber that negotiated no transport-cc has no estimate: nothing is capped or paused. One that negotiated
 * no RTX for any video cannot be probed, so a video that does not fit is kept at its lowest layer rather than paused
 * (paused, it would never show room to resume). Loop thread only;
 * allocates nothing once its scratch array has grown to the number of consumers.
 */
final class BandwidthAllocator {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BandwidthAllocator.class);
    /** After a move down, a video waits this long before it may move up again; probing waits as long. */
    static final long UP_HOLD_NANOS = 3_000_000_000L;
    /** A move down this soon after a move up means the move up failed: the next wait doubles, up to the maximum. */
    static final long FAILED_UP_NANOS = 10_000_000_000L;
    static final long MAX_UP_HOLD_NANOS = 48_000_000_000L;
    /** A falling estimate is looked at no more often than this (feedback comes every 50-100 ms). */
    static final long DOWN_CHECK_NANOS = 100_000_000L;
    /** The share of what the subscriber acknowledged receiving that is always allocatable (GCC's β). */
    static final double ACKNOWLEDGED_SHARE = 0.85;
    /**
     * The probe fills the downlink up to this share of the estimate, not all of it: GCC's estimate runs ahead of the
     * link while it climbs, and padding up to it would fill the bottleneck's queue and drop media behind it.
     */
    static final double PROBE_SHARE = 0.9;
    /** Padding bytes per RTX packet (the most one padding-length byte can say). */
    static final int PADDING_PER_PACKET = 255;

    private final BandwidthSettings settings;
    private Consumer[] order = new Consumer[0];
    private int count;
    private long lastAllocationNanos = Long.MIN_VALUE;
    private long lastDownNanos = Long.MIN_VALUE;
    private long lastTickNanos = Long.MIN_VALUE;
    /** What the last allocation sends (audio and video), bps; -1 when uncapped. */
    private long allocated = -1;
    /** The estimate of the last tick, acknowledged floor included; -1 when none. */
    private long estimate = -1;
    private long paddingBitrate;
    private double paddingCredit;
    private long paddingBytesSent;
    private long allocations;
    /**
     * Whether the subscriber's feedback showed real loss lately ({@link #PAUSE_LOSS} or more of its packets in the
     * estimator's last loss window). Only then is a video paused: GCC's delay signal alone also falls on a healthy link
     * whose machine is busy (seen on loopback: a whole call's video paused for seconds with nothing lost), and a
     * paused video is worse for the person than the lowest layer arriving a little late.
     */
    private boolean lossSeen = true;
    /** The share of packets lost that lets the allocator pause a video (GCC's own threshold for cutting its rate). */
    static final double PAUSE_LOSS = 0.10;

    BandwidthAllocator(BandwidthSettings settings) {
        this.settings = settings;
    }

    /**
     * Every tick of the subscriber's endpoint (10 ms): allocates when due, and sends this tick's padding when probing.
     *
     * @param available the subscriber's estimate, bps, or -1 when it has none
     * @param loss      the share of packets lost in the estimator's last loss window (0..1)
     */
    void onTick(List<Consumer> consumers, long available, long acknowledged, double loss, long nowNanos) {
        lossSeen = loss >= PAUSE_LOSS;
        // GCC answers queueing by falling to 0.85 of what the subscriber received; sending less then makes it receive
        // less, and the next overuse (a keyframe's burst, a stalled thread) takes the estimate lower still. What the
        // subscriber did receive, at that same 0.85, is kept as the floor of what is shared, so that the allocator's
        // own cut does not feed the estimate's fall.
        if (available >= 0 && acknowledged > 0) available = Math.max(available, (long) (ACKNOWLEDGED_SHARE * acknowledged));
        boolean due = lastAllocationNanos == Long.MIN_VALUE
                || nowNanos - lastAllocationNanos >= settings.allocationIntervalNanos()
                || available >= 0 && allocated >= 0 && available < allocated
                        && nowNanos - lastAllocationNanos >= DOWN_CHECK_NANOS;
        if (due) allocate(consumers, available, nowNanos);
        estimate = available;
        if (paddingBitrate > 0 && lastTickNanos != Long.MIN_VALUE) sendPadding(nowNanos - lastTickNanos, nowNanos);
        lastTickNanos = nowNanos;
    }

    /** One allocation round; see the class comment. */
    void allocate(List<Consumer> consumers, long available, long nowNanos) {
        lastAllocationNanos = nowNanos;
        allocations++;
        collect(consumers);
        if (available < 0) {
            paddingBitrate = 0;
            allocated = -1;
            for (int i = 0; i < count; i++) {
                Consumer c = order[i];
                if (c.allocatedLayer != -1) {
                    c.allocatedLayer = -1;
                    c.strategy().setAllocatedLayer(-1);
                    if (c.producer() != null) c.producer().demandChanged();
                }
                c.setSuspended(false, nowNanos);
            }
            return;
        }
        long left = available;
        for (int i = 0; i < count; i++) {
            Consumer c = order[i];
            Producer p = c.producer();
            if (!c.isVideo()) {
                if (p != null) left -= p.layerBitrate(0, nowNanos); // an audience slot may be silent: no source
            } else {
                // Every layer's window is rolled now, so that a layer first looked at later has a figure already.
                for (int l = 0; l < p.layerCount(); l++) p.layerBitrate(l, nowNanos);
            }
        }
        long used = available - left;
        boolean canProbe = false;
        for (int i = 0; i < count && !canProbe; i++) canProbe = order[i].isVideo() && order[i].canSendPadding();
        double up = 1 + settings.upHeadroom();
        long nextStep = -1; // what the first video held below its wish needs beyond what it has, for the probe
        for (int i = 0; i < count; i++) {
            Consumer c = order[i];
            if (!c.isVideo()) continue;
            Producer p = c.producer();
            int wanted = c.strategy().wantedLayer(nowNanos);
            if (wanted < 0) continue; // nothing active: nothing to share
            boolean mayGoUp = c.lastDownNanos == Long.MIN_VALUE || nowNanos - c.lastDownNanos >= c.upHoldNanos;
            int now = c.isSuspended() ? -1 : c.allocatedLayer >= 0 ? c.allocatedLayer : wanted;
            int nowWidth = now < 0 ? -1 : p.layerWidth(now);
            int chosen = -1;
            long chosenRate = 0;
            int wantedWidth = p.layerWidth(wanted);
            // From the widest layer no wider than the wanted one down: the first that fits.
            int bound = Integer.MAX_VALUE;
            long step = 0;
            while (true) {
                int layer = widestBelow(p, wantedWidth, bound, nowNanos);
                if (layer < 0) break;
                int width = p.layerWidth(layer);
                bound = width;
                long rate = videoRate(p, layer, nowNanos);
                boolean upward = width > nowWidth;
                if (upward && !mayGoUp) continue;
                if (rate <= left && (!upward || rate * up <= left)) {
                    chosen = layer;
                    chosenRate = rate;
                    break;
                }
                // The smallest layer above this video's that did not fit: what a probe must show room for.
                if (upward) step = Math.max(1, (long) (rate * up) - (now < 0 ? 0 : videoRate(p, now, nowNanos)));
            }
            if (nextStep < 0 && step > 0) nextStep = step;
            if (chosen < 0 && (!canProbe || !lossSeen)) {
                // Paused, it could never be shown room to resume (no padding without RTX), or nothing is lost and the
                // estimate's fall may be the machine's, not the link's: the lowest layer instead.
                chosen = widestBelow(p, p.isSimulcast() ? narrowest(p, nowNanos) : Integer.MAX_VALUE, Integer.MAX_VALUE,
                        nowNanos);
                chosenRate = chosen < 0 ? 0 : videoRate(p, chosen, nowNanos);
            }
            int chosenWidth = chosen < 0 ? -1 : p.layerWidth(chosen);
            if (chosenWidth < nowWidth) {
                // A move up that did not last (down again within FAILED_UP_NANOS): wait twice as long before the next.
                boolean failedUp = c.lastUpNanos != Long.MIN_VALUE && nowNanos - c.lastUpNanos < FAILED_UP_NANOS;
                c.upHoldNanos = failedUp ? Math.min(2 * c.upHoldNanos, MAX_UP_HOLD_NANOS) : UP_HOLD_NANOS;
                c.lastDownNanos = nowNanos;
                lastDownNanos = nowNanos;
                mayGoUp = false;
            } else if (chosenWidth > nowWidth) {
                c.lastUpNanos = nowNanos;
            }
            if (chosen < 0) {
                if (!c.isSuspended() && log.isDebugEnabled()) {
                    log.debug("{}: paused, estimate {} bps, {} bps left{}", c, available, left, estimateDetail(c));
                }
                c.setSuspended(true, nowNanos);
                continue;
            }
            if ((chosen != c.allocatedLayer || c.isSuspended()) && log.isDebugEnabled()) {
                log.debug("{}: layer {} ({} wide, {} bps){}, estimate {} bps, {} bps left{}, next up after {} ms", c,
                        chosen, chosenWidth, chosenRate, c.isSuspended() ? " resumed" : "", available, left,
                        estimateDetail(c), c.upHoldNanos / 1_000_000);
            }
            if (c.strategy() instanceof SimulcastStrategy s) {
                // Dynacast follows the cap: the next wider layer the tile wants, paused at the publisher because
                // nobody took it, is asked back only when this video may move up and the estimate shows room for
                // what that layer brought in when it was last sent (or it was never measured); otherwise the probe
                // aims at it, so that the estimate can show that room.
                boolean upReady = false;
                int next = s.nextWiderThanAllocated(chosen);
                if (next >= 0 && mayGoUp && !p.isLayerActive(next, nowNanos)) {
                    long known = p.layerKnownBitrate(next);
                    upReady = known == 0 || known * up <= left;
                    if (!upReady && nextStep < 0) nextStep = Math.max(1, (long) (known * up) - chosenRate);
                }
                if (s.setMayMoveUp(upReady)) p.demandChanged();
                // The cap binds the publisher only once this subscriber's feedback has shown loss while capped: on a
                // busy machine GCC's delay signal alone caps a healthy link, and the publisher's top layer turned off
                // then would keep the subscriber from it long after the estimate recovers (as with pauses, above).
                if (next < 0) c.capLossSeen = false;
                else if (lossSeen) c.capLossSeen = true;
                if (s.setCapBinding(c.capLossSeen)) p.demandChanged();
            }
            left -= chosenRate;
            used += chosenRate;
            if (chosen != c.allocatedLayer) {
                c.allocatedLayer = chosen;
                c.strategy().setAllocatedLayer(p.isSimulcast() ? chosen : -1);
                if (p.isSimulcast()) p.demandChanged(); // dynacast: what the publisher sends follows the cap
            }
            c.setSuspended(false, nowNanos);
        }
        allocated = used;
        boolean settled = lastDownNanos == Long.MIN_VALUE || nowNanos - lastDownNanos >= UP_HOLD_NANOS;
        long before = paddingBitrate;
        paddingBitrate = 0;
        if (nextStep > 0 && settled && canProbe) {
            paddingBitrate = Math.max(0, Math.min((long) (PROBE_SHARE * available), used + nextStep) - used);
        }
        if ((before == 0) != (paddingBitrate == 0) && count > 0 && log.isDebugEnabled()) {
            log.debug("{}: probe {} bps of padding (estimate {} bps, media {} bps)",
                    order[0].endpoint().transport().id(), paddingBitrate, available, used);
        }
    }

    /**
     * What a video layer costs: its measured bitrate, or, while that reads 0 though the layer still counts as active
     * (the publisher has just paused it: dynacast), what it brought in when it was last sent, so that a layer that has
     * just stopped does not look free.
     */
    private static long videoRate(Producer p, int layer, long nowNanos) {
        long rate = p.layerBitrate(layer, nowNanos);
        return rate > 0 ? rate : p.layerKnownBitrate(layer);
    }

    /**
     * The widest active layer narrower than {@code bound} and no wider than {@code maxWidth}; -1 when none. Layers are
     * ranked by width, not by their index (the offer's order of the rids is the publisher's).
     */
    private static int widestBelow(Producer p, int maxWidth, int bound, long nowNanos) {
        int best = -1;
        int bestWidth = -1;
        for (int i = 0; i < p.layerCount(); i++) {
            if (p.isSimulcast() && !p.isLayerActive(i, nowNanos)) continue;
            int w = p.layerWidth(i);
            if (w > maxWidth || w >= bound || w <= bestWidth) continue;
            best = i;
            bestWidth = w;
        }
        return best;
    }

    /** For the log line of a change: what the estimate is made of. */
    private static String estimateDetail(Consumer c) {
        var e = c.endpoint().transport().bandwidthEstimator();
        if (e == null) return "";
        return " (delay-based " + e.delayBasedBitrate() + ", loss-based " + e.lossBasedBitrate() + " at "
                + Math.round(100 * e.lastLoss()) + "% loss, acknowledged " + e.acknowledgedBitrate() + ")";
    }

    /** The width of the narrowest active layer. */
    private static int narrowest(Producer p, long nowNanos) {
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < p.layerCount(); i++) {
            if (p.isLayerActive(i, nowNanos)) min = Math.min(min, p.layerWidth(i));
        }
        return min;
    }

    /** The consumers in the order they are served: audio first, then videos by rank and tile area. */
    private void collect(List<Consumer> consumers) {
        int n = consumers.size();
        if (order.length < n) order = new Consumer[Math.max(n, 2 * order.length)];
        count = 0;
        for (int i = 0; i < n; i++) {
            Consumer c = consumers.get(i);
            if (c.isIdle()) continue;
            // Insertion sort: a handful of consumers, and no allocation.
            int at = count++;
            while (at > 0 && before(c, order[at - 1])) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = c;
        }
        for (int i = count; i < order.length && order[i] != null; i++) order[i] = null;
    }

    private static boolean before(Consumer a, Consumer b) {
        if (a.isVideo() != b.isVideo()) return !a.isVideo();
        if (a.rank() != b.rank()) return a.rank() > b.rank();
        return a.preferredArea() > b.preferredArea();
    }

    /**
     * This tick's share of the probe, as padding on the first video consumer that can carry it (a paused one too: a
     * subscriber whose videos are all paused must show room for the lowest layer before one resumes).
     */
    private void sendPadding(long elapsedNanos, long nowNanos) {
        paddingCredit = Math.min(paddingCredit + paddingBitrate * (elapsedNanos / 8e9), 4 * PADDING_PER_PACKET);
        Consumer via = null;
        for (int i = 0; i < count && paddingCredit >= PADDING_PER_PACKET; i++) {
            Consumer c = order[i];
            if (!c.isVideo()) continue;
            while (paddingCredit >= PADDING_PER_PACKET && c.sendPadding(PADDING_PER_PACKET, nowNanos)) {
                paddingCredit -= PADDING_PER_PACKET;
                paddingBytesSent += PADDING_PER_PACKET;
            }
        }
    }

    /**
     * The estimate this tick shared out (the subscriber's, floored at {@link #ACKNOWLEDGED_SHARE} of what it
     * acknowledged), bps; -1 when it has none. The transport's pacer paces at a multiple of it.
     */
    long estimate() {
        return estimate;
    }

    /** What the last allocation sends, bps; -1 when the subscriber has no estimate. */
    long allocatedBitrate() {
        return allocated;
    }

    /** The probe's padding rate now, bps (0: not probing). */
    long paddingBitrate() {
        return paddingBitrate;
    }

    long paddingBytesSent() {
        return paddingBytesSent;
    }

    long allocations() {
        return allocations;
    }
}
