package org.salotto.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between browsers and the server's HTTP port, whose open connections a test can cut at once,
 * as a network does when a phone changes networks or a router restarts: the browser's WebSocket (and any keep-alive
 * HTTP connection) is reset under it, while the proxy keeps listening for the next connection. For a while after a
 * cut it may refuse new connections too (accepted and closed at once), as a network that is still down.
 */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile long refuseUntilNanos;
    private volatile boolean closed;

    CuttableProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Resets every open connection, and refuses new ones for {@code refuseMillis}. Returns how many it cut. */
    int cut(long refuseMillis) {
        refuseUntilNanos = System.nanoTime() + refuseMillis * 1_000_000;
        int n = 0;
        for (Socket s : open) {
            reset(s);
            n++;
        }
        return n;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) System.err.println("proxy: accept: " + e);
                return;
            }
            if (System.nanoTime() < refuseUntilNanos) {
                reset(client);
                continue;
            }
            Thread.ofVirtual().name("proxy-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(target, 5_000);
        } catch (IOException e) {
            reset(client);
            return;
        }
        open.add(client);
        open.add(server);
        Thread.ofVirtual().name("proxy-up").start(() -> pump(client, server));
        Thread.ofVirtual().name("proxy-down").start(() -> pump(server, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // cut, or closed by either side
        } finally {
            reset(from);
            reset(to);
        }
    }

    /** Closes with an RST (SO_LINGER 0), as a dropped network path looks to the peer: no orderly goodbye. */
    private void reset(Socket s) {
        open.remove(s);
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cut(0);
    }
}
