package org.salotto.loadtest;

import java.net.InetAddress;
import java.net.http.HttpClient;

/** What every simulated participant of one run shares. {@code janusRoom} is null unless the server is Janus. */
record Harness(LoadTestConfig config, HttpClient http, ClientIdentity identity, MediaReceiver receiver, Pacer pacer,
               Metrics metrics, long runStartNanos, InetAddress localAddress, JanusRoom janusRoom) {

    /** A new participant's signaling with the server under test. */
    Signaling signaling(Signaling.Events events) {
        return switch (config.server()) {
            case SALOTTO -> new SignalingClient(http, config, events);
            case JANUS -> new JanusClient(http, config, janusRoom, events);
        };
    }
}
