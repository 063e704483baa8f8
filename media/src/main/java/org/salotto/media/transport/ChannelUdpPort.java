package org.salotto.media.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The portable port: a non-blocking {@link DatagramChannel} and a {@link Selector}, one system call per datagram. The
 * buffers the loop passes are wrapped once and reused, so nothing is allocated per datagram beyond what the JDK does.
 */
final class ChannelUdpPort implements UdpPort {
    private final DatagramChannel channel;
    private final Selector selector;
    private final MediaCounters counters;
    private byte[] receiveArray;
    private ByteBuffer receiveView;
    private byte[] sendArray;
    private ByteBuffer sendView;
    private InetSocketAddress source;

    ChannelUdpPort(InetSocketAddress bind, MediaCounters counters) throws IOException {
        this.counters = counters;
        this.channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(bind);
            channel.configureBlocking(false);
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public UdpIo kind() {
        return UdpIo.NIO;
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void await(long timeoutMillis) throws IOException {
        selector.select(Math.max(1, timeoutMillis));
        selector.selectedKeys().clear();
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public int receive(byte[] buf) throws IOException {
        if (buf != receiveArray) {
            receiveArray = buf;
            receiveView = ByteBuffer.wrap(buf);
        }
        receiveView.clear();
        InetSocketAddress from = (InetSocketAddress) channel.receive(receiveView);
        if (from == null) return -1;
        source = from;
        // A datagram larger than the buffer is cut to it; the caller's buffer is 64 KiB, so a cut one is oversized.
        return receiveView.position();
    }

    @Override
    public InetSocketAddress source() {
        return source;
    }

    @Override
    public void queue(byte[] buf, int off, int len, InetSocketAddress to) {
        if (buf != sendArray) {
            sendArray = buf;
            sendView = ByteBuffer.wrap(buf);
        }
        sendView.clear().position(off).limit(off + len);
        send(sendView, len, to);
    }

    @Override
    public void flush() {
        // every datagram went at queue()
    }

    @Override
    public void sendNow(byte[] buf, int off, int len, InetSocketAddress to) {
        if (send(ByteBuffer.wrap(buf, off, len), to)) counters.countSentElsewhere(len); // not the loop thread
    }

    private void send(ByteBuffer view, int len, InetSocketAddress to) {
        if (send(view, to)) {
            counters.datagramsOut++;
            counters.bytesOut += len;
        }
    }

    private boolean send(ByteBuffer view, InetSocketAddress to) {
        try {
            if (channel.send(view, to) != 0) return true;
        } catch (IOException e) {
            // counted below
        }
        counters.drop(DropReason.SEND_FAILED, to);
        return false;
    }

    @Override
    public void close() {
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            // closing
        }
    }
}
