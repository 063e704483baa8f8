package org.salotto.loadtest;

import java.net.InetAddress;
import java.net.http.HttpClient;

/** What every simulated participant of one run shares. */
record Harness(LoadTestConfig config, HttpClient http, ClientIdentity identity, MediaReceiver receiver, Pacer pacer,
               Metrics metrics, long runStartNanos, InetAddress localAddress) {
}
