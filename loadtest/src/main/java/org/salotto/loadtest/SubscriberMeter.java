package org.salotto.loadtest;

import java.util.ArrayList;
import java.util.List;

import org.salotto.media.rtp.Bytes;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.rtp.VideoPayloads;

/**
 * Measures what one subscriber connection receives. Every packet's clear RTP header is read (SSRC, sequence number,
 * timestamp: loss and jitter); one packet in {@code decryptEvery} is decrypted to read the send time the publisher
 * put in the last 8 bytes of the payload (one-way delay). Keeping the decryption to a sample keeps the generator
 * cheaper than the server it measures.
 */
final class SubscriberMeter implements ClientConnection.PacketHandler {
    private final Metrics metrics;
    private final long runStartNanos;
    private final long joinStartNanos;
    private final boolean recordsJoin;
    private final int decryptEvery;
    private volatile StreamStats[] streams = new StreamStats[0];
    private volatile boolean gotMedia;
    /** The last {@code stageSlots} mapping: slot track id to the participant it carries (null: nobody). */
    private volatile java.util.Map<String, String> slotOwners = java.util.Map.of();
    private int untilDecrypt;
    /** Which subscriber connection this is of the listener's (one more after each loss). */
    private volatile int connection;
    /** When the listener's connection was lost ({@link System#nanoTime}), until audio arrives again; 0: not lost. */
    private volatile long lostAtNanos;
    /** From each loss to the first audio packet after it, in milliseconds. */
    private final java.util.List<Double> recoveries = new java.util.concurrent.CopyOnWriteArrayList<>();

    SubscriberMeter(Metrics metrics, long runStartNanos, long joinStartNanos, boolean recordsJoin, int decryptEvery) {
        this.metrics = metrics;
        this.runStartNanos = runStartNanos;
        this.joinStartNanos = joinStartNanos;
        this.recordsJoin = recordsJoin;
        this.decryptEvery = Math.max(1, decryptEvery);
    }

    /** From the signaling thread: the streams of the latest subscribe offer. Known SSRCs keep their statistics. */
    void update(List<ClientSdp.Stream> announced) {
        StreamStats[] old = streams;
        StreamStats[] fresh = new StreamStats[announced.size()];
        outer:
        for (int i = 0; i < fresh.length; i++) {
            ClientSdp.Stream s = announced.get(i);
            for (StreamStats o : old) {
                if (o.stream.ssrc() == s.ssrc()) {
                    fresh[i] = o;
                    continue outer;
                }
            }
            fresh[i] = new StreamStats(s);
            fresh[i].connection = connection;
        }
        // Ended tracks' statistics stay in the report: keep the old ones that are gone from the offer.
        List<StreamStats> all = new ArrayList<>(List.of(fresh));
        for (StreamStats o : old) if (!all.contains(o)) all.add(o);
        streams = all.toArray(new StreamStats[0]);
        applySlotOwners();
    }

    /** From the signaling thread: a {@code stageSlots} frame's mapping of this subscriber's fixed audio slots. */
    void setSlotOwners(java.util.Map<String, String> owners) {
        slotOwners = owners;
        applySlotOwners();
    }

    private void applySlotOwners() {
        java.util.Map<String, String> owners = slotOwners;
        for (StreamStats s : streams) {
            if (s.isSlot()) s.owner = owners.get(s.stream.trackId());
        }
    }

    /** When the last RTP packet of any stream arrived, and the longest silence between two since the last reset. */
    private volatile long lastPacketNanos;
    private volatile long maxGapNanos;

    /** The longest time between two RTP packets (any stream) since {@link #resetMaxGap}, in nanoseconds. */
    long maxGapNanos() {
        return maxGapNanos;
    }

    void resetMaxGap() {
        maxGapNanos = 0;
    }

    StreamStats[] streams() {
        return streams;
    }

    /**
     * The listener's connection was lost at {@code nanos} (its node killed): the streams announced from now on are the
     * next connection's, and the time to the first audio packet is recorded.
     */
    void lost(long nanos) {
        connection++;
        lostAtNanos = nanos;
    }

    /** The subscriber connection the streams announced now belong to (0 the first). */
    int connection() {
        return connection;
    }

    /** From each loss to the first audio packet after it (ms), in order; empty if the listener lost nothing. */
    java.util.List<Double> recoveriesMillis() {
        return java.util.List.copyOf(recoveries);
    }

    /** Whom the listener has heard on the streams of its {@code connection}-th subscriber connection. */
    java.util.Set<String> heardOn(int connection) {
        java.util.Set<String> who = new java.util.HashSet<>();
        for (StreamStats s : streams) if (s.connection == connection && s.received > 0) who.addAll(s.ownersHeard);
        return who;
    }

    boolean gotMedia() {
        return gotMedia;
    }

    @Override
    public void onSrtp(ClientConnection connection, byte[] buf, int off, int len, long nowNanos) {
        if (ClientConnection.isRtcp(buf, off)) {
            metrics.rtcpReceived.increment();
            return;
        }
        if (RtpPacket.headerLength(buf, off, len) < 0) return; // the padding byte is encrypted: no validate()
        metrics.packetsReceived.increment();
        metrics.bytesReceived.add(len);
        Runnable observer = metrics.onPacketReceived;
        if (observer != null) observer.run();
        StreamStats stats = find(RtpPacket.ssrc(buf, off));
        if (stats == null) {
            metrics.unknownSsrc.increment();
            return;
        }
        stats.onPacket(RtpPacket.sequenceNumber(buf, off), RtpPacket.timestamp(buf, off), nowNanos - runStartNanos, len);
        long lostAt = lostAtNanos;
        if (lostAt != 0 && !stats.stream.video() && stats.connection == this.connection) {
            lostAtNanos = 0;
            recoveries.add((nowNanos - lostAt) / 1e6); // once per loss, not per packet
        }
        long last = lastPacketNanos;
        if (last != 0 && nowNanos - last > maxGapNanos) maxGapNanos = nowNanos - last;
        lastPacketNanos = nowNanos;
        if (!gotMedia) {
            gotMedia = true;
            if (recordsJoin) metrics.joinMicros.recordValue(Math.max(0, (nowNanos - joinStartNanos) / 1000));
        }
        // A video stream's first packet is always decrypted: whether it starts a keyframe (a decoder can start there).
        boolean firstVideo = stats.received == 1 && stats.stream.video();
        if (!firstVideo) {
            if (--untilDecrypt > 0) return;
            untilDecrypt = decryptEvery;
        }
        int clear = connection.srtpIn.unprotectRtp(buf, off, len);
        if (clear < 0) {
            metrics.decryptFailures.increment();
            return;
        }
        metrics.decrypted.increment();
        if (firstVideo) {
            int payload = off + RtpPacket.headerLength(buf, off, clear);
            int payloadEnd = off + clear - RtpPacket.paddingLength(buf, off, clear);
            stats.firstKeyframe = payload < payloadEnd
                    && VideoPayloads.isKeyframeStart(VideoPayloads.CODEC_VP8, buf, payload, payloadEnd - payload);
        }
        int end = off + clear - RtpPacket.paddingLength(buf, off, clear);
        if (end - 8 < off + RtpPacket.headerLength(buf, off, clear)) return;
        long sentNanos = Bytes.i64(buf, end - 8);
        if (stats.stream.video() && end - 9 >= off + RtpPacket.headerLength(buf, off, clear)) {
            int layer = buf[end - 9]; // the publisher's VideoSource writes its layer's index there
            if (layer >= 0 && layer < stats.sampledByLayer.length) stats.sampledByLayer[layer]++;
        }
        long delay = nowNanos - sentNanos;
        if (delay >= 0 && delay < 60_000_000_000L) metrics.delayMicros.recordValue(delay / 1000);
    }

    private StreamStats find(int ssrc) {
        for (StreamStats s : streams) if (s.stream.ssrc() == ssrc) return s;
        return null;
    }
}
