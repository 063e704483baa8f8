package org.salotto.media.transport;

import java.net.InetSocketAddress;

/** Run in a child JVM by {@link NativeAccessTest}: prints which socket implementation a default loop picked. */
public final class UdpIoProbe {
    private UdpIoProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (MediaLoop loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters())) {
            System.out.println("udp=" + loop.udpIo());
        }
    }
}
