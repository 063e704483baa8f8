package org.salotto.loadtest;

import java.util.HashMap;
import java.util.Map;

/**
 * One run of the floor ({@code floor bench}), from the line it prints:
 * {@code floor subscribers=300 rate=50.0 ... us_per_packet_sent=3.2361 ...}.
 *
 * @param subscribers    the fan-out: copies sent per packet received
 * @param rate           packets the source sent per second
 * @param datagramBytes  each datagram's size on the wire (RTP header, extension block, payload, SRTP tag)
 * @param seconds        the measured window (after the warm-up)
 * @param packetsIn      packets the forwarder received and authenticated in the window
 * @param datagramsSent  datagrams it sent in the window
 * @param sinkReceived   datagrams the sink drained in the window (about datagramsSent: the windows differ by a batch)
 * @param cpuUserSeconds the forwarder thread's user CPU time in the window
 * @param cpuSystemSeconds its system CPU time
 * @param droppedAuth    packets that failed authentication (none in a bench run)
 */
record FloorResult(int subscribers, double rate, int datagramBytes, double seconds, long packetsIn, long datagramsSent,
                   long sinkReceived, double cpuUserSeconds, double cpuSystemSeconds, long droppedAuth) {

    /** The forwarder's CPU (user + system) per datagram sent, in µs. */
    double microsPerPacketSent() {
        return datagramsSent > 0 ? (cpuUserSeconds + cpuSystemSeconds) * 1e6 / datagramsSent : -1;
    }

    /** The line {@code floor bench} printed; {@link IllegalArgumentException} when it is not one or lacks a figure. */
    static FloorResult parse(String line) {
        String[] words = line.strip().split("\\s+");
        if (words.length < 2 || !words[0].equals("floor")) {
            throw new IllegalArgumentException("not a floor result line: '" + line + "'");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + words[i] + "' is not key=value in '" + line + "'");
            values.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        try {
            return new FloorResult(Integer.parseInt(get(values, "subscribers")), Double.parseDouble(get(values, "rate")),
                    Integer.parseInt(get(values, "datagram_bytes")), Double.parseDouble(get(values, "seconds")),
                    Long.parseLong(get(values, "packets_in")), Long.parseLong(get(values, "datagrams_sent")),
                    Long.parseLong(get(values, "sink_received")), Double.parseDouble(get(values, "cpu_user_s")),
                    Double.parseDouble(get(values, "cpu_system_s")), Long.parseLong(get(values, "dropped_auth")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a figure of '" + line + "' is not a number: " + e.getMessage(), e);
        }
    }

    private static String get(Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null) throw new IllegalArgumentException("the floor's line has no " + key);
        return v;
    }
}
