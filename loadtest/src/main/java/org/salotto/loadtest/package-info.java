/**
 * The load generator: simulated participants that speak real WebRTC to a running Salotto (signaling over WebSocket,
 * ICE checks, a DTLS client, SRTP) and measure what a person would notice: loss, jitter, one-way delay, join time.
 *
 * <p>Threads: control (WebSocket, SDP, ICE and DTLS handshakes) runs on virtual threads; media runs on a few platform
 * threads: {@link org.salotto.loadtest.Pacer} threads send, {@link org.salotto.loadtest.MediaReceiver} threads read
 * (a shared socket each with {@code recvmmsg}, or every connection's own socket through a selector). A connection's
 * outbound SRTP context belongs to one pacer thread, its inbound one to
 * one receiver thread, so the media path takes no lock. See {@code loadtest/README.md}.
 */
package org.salotto.loadtest;
