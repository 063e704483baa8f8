package org.salotto.server.limits;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Limits on TCP connections, before any request is read: at most {@code perAddress} open at once from one IP address
 * (more are closed as soon as they open), and a deadline for a request's line and headers (a connection that has
 * sent none, or started a request and not finished its headers, within the deadline is closed). Together they stop
 * half-open and slowly-written connections from using up the file descriptors while a real client waits.
 *
 * <p>Registered on the connector as a {@link Connection.Listener} (Jetty hands it the WebSocket connection of an
 * upgrade too): a TCP connection is counted once per {@link EndPoint}, from its first connection opening to its last
 * closing. {@link #marker(Handler)} wraps the server's handler to note each request whose headers are complete.
 */
public final class ConnectionGuard implements Connection.Listener {
    private final int perAddress;
    private final long deadlineNanos;
    private final Scheduler scheduler;
    private final Set<String> exempt;
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EndPoint, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    /** One TCP connection: its address, the HTTP connection it started as, and how many requests reached a handler. */
    private static final class Tracked {
        final String ip;
        final Connection http;
        final AtomicLong handled = new AtomicLong();
        volatile boolean counted;
        long startedAtLastCheck = -1;

        Tracked(String ip, Connection http) {
            this.ip = ip;
            this.http = http;
        }
    }

    /**
     * @param perAddress     connections open at once from one address (0: no limit)
     * @param trustedProxies addresses not limited in number (a reverse proxy carries many clients' connections)
     */
    public ConnectionGuard(int perAddress, Duration headerDeadline, Scheduler scheduler, List<String> trustedProxies) {
        this.exempt = trustedProxies.stream().map(p -> java.net.InetAddress.ofLiteral(p).getHostAddress())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.perAddress = perAddress;
        this.deadlineNanos = headerDeadline.toNanos();
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        EndPoint ep = connection.getEndPoint();
        if (open.containsKey(ep)) return; // an upgrade: the same TCP connection, counted already
        Tracked t = new Tracked(ip(ep.getRemoteSocketAddress()), connection);
        if (open.putIfAbsent(ep, t) != null) return;
        int n = perIp.computeIfAbsent(t.ip, k -> new AtomicInteger()).incrementAndGet();
        t.counted = true;
        if (perAddress > 0 && n > perAddress && !exempt.contains(t.ip)) {
            refused.incrementAndGet();
            ep.close();
            return;
        }
        scheduleCheck(ep, t);
    }

    @Override
    public void onClosed(Connection connection) {
        EndPoint ep = connection.getEndPoint();
        // An upgrade closes the HTTP connection of an endpoint that stays open: the TCP connection is still there.
        if (ep.isOpen()) return;
        Tracked t = open.remove(ep);
        if (t == null || !t.counted) return;
        perIp.computeIfPresent(t.ip, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Connections closed at once because their address had too many open. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed because they did not finish a request's headers in time. */
    public long timedOut() {
        return timedOut.get();
    }

    /** Connections open now from {@code ip}. */
    public int openFrom(String ip) {
        AtomicInteger n = perIp.get(ip);
        return n == null ? 0 : n.get();
    }

    private void scheduleCheck(EndPoint ep, Tracked t) {
        scheduler.schedule(() -> check(ep, t), deadlineNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Run every deadline while the connection speaks HTTP: closes it if it has started no request by the first check,
     * or if a request that had started by the previous check (or, at the first, by now) has still not reached a handler.
     */
    private void check(EndPoint ep, Tracked t) {
        if (!ep.isOpen() || ep.getConnection() != t.http) return; // closed, or upgraded to a WebSocket
        long started = t.http.getMessagesIn();
        long handled = t.handled.get();
        boolean first = t.startedAtLastCheck < 0;
        boolean stuck = started > handled && (first || started == t.startedAtLastCheck);
        if ((first && started == 0) || stuck) {
            timedOut.incrementAndGet();
            ep.close();
            return;
        }
        t.startedAtLastCheck = started;
        scheduleCheck(ep, t);
    }

    /** Wraps the server's handler: a request reaching it has complete headers. */
    public Handler marker(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Tracked t = open.get(request.getConnectionMetaData().getConnection().getEndPoint());
                if (t != null) t.handled.incrementAndGet();
                return super.handle(request, response, callback);
            }
        };
    }

    private static String ip(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) return i.getAddress().getHostAddress();
        return String.valueOf(a);
    }
}
