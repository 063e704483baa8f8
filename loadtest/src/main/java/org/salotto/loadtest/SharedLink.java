package org.salotto.loadtest;

import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import org.salotto.media.udp.DatagramBatch;
import org.salotto.media.udp.LinuxUdp;

/**
 * A connection on a socket it shares with many others: the socket is bound to the wildcard address and one port, and
 * each connection has its own loopback address (127.10.x.y), chosen per datagram on send (IP_PKTINFO) and read back
 * from each received datagram's destination. The server sees distinct 5-tuples; the generator reads every
 * connection's datagrams with batched {@code recvmmsg} on a few sockets instead of one read per datagram per socket.
 */
final class SharedLink implements ClientLink {
    /** A one-slot batch per sending thread (pacer threads, handshake and signaling threads): no allocation per send. */
    private static final ThreadLocal<DatagramBatch> SEND = ThreadLocal.withInitial(
            () -> new DatagramBatch(Arena.ofAuto(), 1, 2048, true));

    private final MediaReceiver.SocketWorker worker;
    private final int host;
    private final int address;
    private final InetSocketAddress localAddress;
    private volatile long remote;

    SharedLink(MediaReceiver.SocketWorker worker, int host, int address) {
        this.worker = worker;
        this.host = host;
        this.address = address;
        this.localAddress = LinuxUdp.socketAddress(LinuxUdp.key(address, worker.port));
    }

    MediaReceiver.SocketWorker worker() {
        return worker;
    }

    int host() {
        return host;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void connect(InetSocketAddress remote) {
        this.remote = LinuxUdp.key(remote);
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
        long to = remote;
        if (to == 0 || len > 2048) return false;
        DatagramBatch b = SEND.get();
        b.put(0, buf, off, len, to, address);
        return b.send(worker.fd, 0, 1) == 1;
    }

    @Override
    public void close() {
        worker.forget(host);
    }
}
