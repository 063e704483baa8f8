package org.salotto.loadtest;

import java.net.InetAddress;
import java.net.http.HttpClient;

/**
 * What every simulated participant of one run shares. {@code janusRoom} is null unless the server is Janus,
 * {@code salottoRoom} unless it is Salotto.
 */
record Harness(LoadTestConfig config, HttpClient http, ClientIdentity identity, MediaReceiver receiver, Pacer pacer,
               Metrics metrics, long runStartNanos, InetAddress localAddress, JanusRoom janusRoom,
               SalottoRoom salottoRoom) {

    /** A new participant's signaling with the server under test. */
    Signaling signaling(Signaling.Events events) {
        return switch (config.server()) {
            case SALOTTO -> new SignalingClient(http, salottoRoom, events);
            case JANUS -> new JanusClient(http, config, janusRoom, events);
        };
    }
}
