package org.salotto.loadtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A connection's own UDP socket, connected to the server once its address is known: works with any server and on
 * any OS (towards Janus, which ignores loopback candidates, the only choice). One read system call per datagram.
 */
final class ChannelLink implements ClientLink {
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;

    ChannelLink(InetAddress local) throws IOException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(local, 0));
        localAddress = (InetSocketAddress) channel.getLocalAddress();
        channel.configureBlocking(false);
    }

    DatagramChannel channel() {
        return channel;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void connect(InetSocketAddress remote) throws IOException {
        channel.connect(remote);
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
        try {
            return channel.write(ByteBuffer.wrap(buf, off, len)) > 0;
        } catch (IOException e) {
            return false; // media: the count of packets sent tells
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
