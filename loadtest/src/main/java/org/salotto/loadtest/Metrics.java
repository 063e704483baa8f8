package org.salotto.loadtest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The run's shared counters. Media threads only add (LongAdder, HdrHistogram's wait-free {@link Recorder}); the
 * reporter reads once a second.
 */
final class Metrics {
    final LongAdder packetsSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder packetsReceived = new LongAdder();
    /** Run after each RTP packet received is counted; null (none) but when a test waits for packets. */
    volatile Runnable onPacketReceived;
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder rtcpReceived = new LongAdder();
    /** Every datagram from the server (RTP, RTCP, STUN, DTLS): what the server sent, less what the kernel lost. */
    final LongAdder datagramsFromServer = new LongAdder();
    final LongAdder keyframeRequestsReceived = new LongAdder();
    final LongAdder keyframesSent = new LongAdder();
    /** Simulcast layers whose SSRC a report block from the server named: they stopped sending their rid. */
    final LongAdder ridsAcked = new LongAdder();
    /** {@code publisherLayers} frames that paused, and that resumed, a simulcast layer (dynacast). */
    final LongAdder layersPaused = new LongAdder();
    final LongAdder layersResumed = new LongAdder();
    final LongAdder decrypted = new LongAdder();
    final LongAdder decryptFailures = new LongAdder();
    final LongAdder unknownSsrc = new LongAdder();
    final AtomicInteger joinsStarted = new AtomicInteger();
    final AtomicInteger joinsFailed = new AtomicInteger();
    /** Joins whose join, publish and subscribe requests are over, failed or not (connections may still be coming). */
    final AtomicInteger joinsDone = new AtomicInteger();
    /** Connections doing ICE and DTLS right now. */
    final AtomicInteger connecting = new AtomicInteger();
    final AtomicInteger connected = new AtomicInteger();
    /** One-way delay, publisher send to subscriber receive, in microseconds (sampled packets only). */
    final Recorder delayMicros = new Recorder(3);
    /** Join request to first media packet, in microseconds (listeners only). */
    final Histogram joinMicros = new ConcurrentHistogram(3);
    /** Every delay sample of the run; the reporter adds each second's interval histogram here. */
    final Histogram allDelays = new Histogram(3);
}
