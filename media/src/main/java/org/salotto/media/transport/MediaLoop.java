package org.salotto.media.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.salotto.media.bwe.BandwidthSettings;
import org.salotto.media.ice.IceLite;
import org.salotto.media.pacer.PacerSettings;
import org.salotto.media.udp.LinuxUdp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP port all peers share, and the thread that owns it.
 *
 * <p>One platform thread reads the socket, demultiplexes by the first byte (RFC 7983 §7: 0-3 STUN, 20-63 DTLS,
 * 128-191 RTP/RTCP) and runs the packet to the end on the same thread. Until a peer's address has passed an ICE
 * check, only STUN from it is looked at; afterwards DTLS and SRTP are routed by source address. Control work arrives
 * through a bounded task queue; timers run every {@link #TICK_NANOS}.
 *
 * <p>The socket is a {@link UdpPort}: on Linux, batched system calls ({@link NativeUdpPort}); elsewhere a
 * {@code DatagramChannel} ({@link ChannelUdpPort}). On Linux what the loop sends is queued in batches of 256 and each
 * full batch, and the last one before the loop waits, is sent with one {@code sendmmsg} on the port's sender thread.
 */
public final class MediaLoop implements AutoCloseable {
    public static final int MAX_DATAGRAM = 1500;
    /** Room after a packet for the SRTP tag and RTX's two extra bytes. */
    public static final int BUFFER_SIZE = MAX_DATAGRAM + 64;
    static final long TICK_NANOS = 10_000_000L;
    /** How often every transport's ICE consent is checked; the timeout itself is seconds. */
    static final long CONSENT_SWEEP_NANOS = 100_000_000L;
    private static final Logger log = LoggerFactory.getLogger(MediaLoop.class);

    final UdpPort port;
    /** The ICE-TCP port, once {@link #openTcp} has opened it (read once per pass). */
    private volatile TcpPort tcp;
    private final Thread thread;
    /** The control queue's default capacity; far above what control work needs, so that only a stuck loop fills it. */
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    /** How long control work from another thread waits for room in a full queue before it is refused. */
    static final long QUEUE_WAIT_MILLIS = 1000;
    private final BlockingQueue<Runnable> tasks;
    /** Free slots below which a new request ({@link #checkRoom}) is refused, so that work already begun can finish. */
    private final int reserve;
    private final MediaCounters counters;
    private final IceLite ice;
    /** The loop's time in nanoseconds (System.nanoTime; a test's own clock): ticks, ICE checks and consent. */
    private final LongSupplier clock;

    private final Map<String, WebRtcTransport> byLocalUfrag = new HashMap<>();
    private final Map<InetSocketAddress, WebRtcTransport> byAddress = new HashMap<>();
    private final List<WebRtcTransport> transports = new ArrayList<>();
    /** The transports whose handler has timed work (publishers): only these are ticked every 10 ms. */
    private final List<WebRtcTransport> ticking = new ArrayList<>();

    /** 64 KiB so that an oversized datagram is seen whole and dropped rather than truncated. */
    private final byte[] receiveBuffer = new byte[65_536];
    private final byte[] sendScratch = new byte[BUFFER_SIZE];
    private volatile boolean running = true;
    private volatile long consentTimeoutNanos = WebRtcTransport.CONSENT_TIMEOUT_NANOS;
    private volatile BandwidthSettings bandwidthSettings = BandwidthSettings.DEFAULT;
    private volatile PacerSettings pacerSettings = PacerSettings.DEFAULT;
    private long nextTick;
    private long nextConsentSweep;

    /** A loop on {@code bind} with the UDP I/O the platform allows ({@link UdpIo#AUTO}). */
    public MediaLoop(InetSocketAddress bind, MediaCounters counters) throws IOException {
        this(bind, counters, UdpIo.AUTO);
    }

    /**
     * A loop on {@code bind}; {@code io} chooses the socket implementation (AUTO: native where available; the system
     * property {@code salotto.media.udp} overrides AUTO). NATIVE where it is unavailable is an error.
     */
    public MediaLoop(InetSocketAddress bind, MediaCounters counters, UdpIo io) throws IOException {
        this(bind, counters, io, DEFAULT_QUEUE_CAPACITY);
    }

    /** A loop whose control queue holds {@code queueCapacity} tasks (tests make it small to fill it). */
    public MediaLoop(InetSocketAddress bind, MediaCounters counters, UdpIo io, int queueCapacity) throws IOException {
        this(bind, counters, io, queueCapacity, System::nanoTime);
    }

    /**
     * A loop whose time comes from {@code clock} (nanoseconds, as System.nanoTime): the 10 ms tick, the time of each
     * ICE check and the consent sweep follow it, so that a test can move time on instead of waiting for it.
     */
    public MediaLoop(InetSocketAddress bind, MediaCounters counters, UdpIo io, int queueCapacity, LongSupplier clock)
            throws IOException {
        this.clock = clock;
        if (queueCapacity < 1) throw new IllegalArgumentException("queue capacity must be positive");
        this.tasks = new ArrayBlockingQueue<>(queueCapacity);
        this.reserve = Math.max(1, queueCapacity / 16);
        this.counters = counters;
        this.port = openPort(bind, counters, UdpIo.fromProperty(io));
        this.ice = new IceLite(this, counters);
        this.thread = Thread.ofPlatform().name("media-loop").daemon(true).unstarted(this::run);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    private static UdpPort openPort(InetSocketAddress bind, MediaCounters counters, UdpIo io) throws IOException {
        boolean ipv4 = bind.getAddress() instanceof Inet4Address;
        if (io == UdpIo.NATIVE) {
            if (!LinuxUdp.available()) throw new IOException("native UDP I/O unavailable: " + LinuxUdp.unavailableReason());
            if (!ipv4) throw new IOException("native UDP I/O is IPv4 only: " + bind);
            return new NativeUdpPort(bind, counters);
        }
        if (io == UdpIo.AUTO) {
            if (LinuxUdp.available() && ipv4) {
                log.info("media UDP: recvmmsg/sendmmsg through the FFM API");
                return new NativeUdpPort(bind, counters);
            }
            log.info("media UDP: DatagramChannel ({})", ipv4 ? LinuxUdp.unavailableReason() : "an IPv6 address");
        }
        return new ChannelUdpPort(bind, counters);
    }

    public InetSocketAddress localAddress() {
        return port.localAddress();
    }

    /**
     * Opens the ICE-TCP port (RFC 6544 passive candidates): connections whose RFC 4571 frames the loop handles as it
     * handles the UDP port's datagrams. Once per loop.
     *
     * @return the address it listens on
     */
    public synchronized InetSocketAddress openTcp(TcpSettings settings) throws IOException {
        if (tcp != null) throw new IllegalStateException("the ICE-TCP port is open already");
        if (!running) throw new IllegalStateException("the media loop is closed");
        TcpPort opened = new TcpPort(this, settings);
        tcp = opened;
        return opened.localAddress();
    }

    /** Where the ICE-TCP port listens, or null when it is not open. */
    public InetSocketAddress tcpAddress() {
        TcpPort t = tcp;
        return t == null ? null : t.localAddress();
    }

    /** ICE-TCP connections open now (0 without the port); for metrics, racy. */
    public int tcpConnections() {
        TcpPort t = tcp;
        return t == null ? 0 : t.openConnections();
    }

    /** Makes the loop's wait end now (the TCP port has frames for it). */
    void wakeup() {
        port.wakeup();
    }

    /** Which socket implementation this loop uses (NATIVE or NIO). */
    public UdpIo udpIo() {
        return port.kind();
    }

    /** How long a transport may go without a valid ICE check before it is closed (RFC 7675: 30 s). */
    public void setConsentTimeout(java.time.Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("consent timeout must be positive");
        consentTimeoutNanos = timeout.toNanos();
    }

    long consentTimeoutNanos() {
        return consentTimeoutNanos;
    }

    /** The bounds of each subscriber's downlink estimate; applies to the estimates begun afterwards. */
    public void setBandwidthSettings(BandwidthSettings settings) {
        bandwidthSettings = java.util.Objects.requireNonNull(settings);
    }

    public BandwidthSettings bandwidthSettings() {
        return bandwidthSettings;
    }

    /** How each subscriber's video is paced; applies to the transports whose estimate begins afterwards. */
    public void setPacerSettings(PacerSettings settings) {
        pacerSettings = java.util.Objects.requireNonNull(settings);
    }

    public PacerSettings pacerSettings() {
        return pacerSettings;
    }

    public MediaCounters counters() {
        return counters;
    }

    /** Now, on the loop's clock (nanoseconds). */
    public long nanoTime() {
        return clock.getAsLong();
    }

    /**
     * Runs a task on the loop thread. When the queue is full, a caller on another thread waits up to
     * {@link #QUEUE_WAIT_MILLIS} for room (the loop drains 1,024 tasks a pass); if there is still none, or the caller
     * is the loop itself, or the loop is closed, the task is refused: counted, and {@link MediaBusyException} thrown.
     * Nothing is dropped silently.
     */
    public void execute(Runnable task) {
        if (running && (tasks.offer(task) || waitForRoom(task))) {
            port.wakeup();
            return;
        }
        counters.addControlRefused();
        throw new MediaBusyException(running ? "the media loop's queue is full" : "the media loop is closed");
    }

    private boolean waitForRoom(Runnable task) {
        if (inLoop()) return false; // the loop waiting for itself would never wake
        port.wakeup();
        try {
            return tasks.offer(task, QUEUE_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Refuses a new control request (counted, {@link MediaBusyException}) when the queue is nearly full, before the
     * request changes anything: a busy loop answers "busy" instead of leaving a request half done.
     */
    public void checkRoom() {
        if (tasks.remainingCapacity() >= reserve && running) return;
        counters.addControlRefused();
        throw new MediaBusyException("the media loop's queue is full");
    }

    /** Free slots in the control queue (for tests and metrics). */
    public int remainingCapacity() {
        return tasks.remainingCapacity();
    }

    /** Runs a computation on the loop thread and returns its result to the caller. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            execute(() -> {
                try {
                    result.complete(work.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (MediaBusyException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The loop thread's nice value where the OS lets us set it: media must not queue behind handshakes and HTTP. */
    static final int LOOP_NICE = -10;

    private void run() {
        raisePriority(log);
        nextTick = clock.getAsLong() + TICK_NANOS;
        while (running) {
            try {
                long wait = Math.max(1, (nextTick - clock.getAsLong()) / 1_000_000);
                port.await(wait);
                runTasks();
                readAll();
                TcpPort t = tcp;
                if (t != null) t.drain();
                long now = clock.getAsLong();
                if (now - nextTick >= 0) {
                    nextTick = now + TICK_NANOS;
                    tick(now);
                }
                port.flush(); // before waiting: what this pass sent leaves now
                if (t != null) t.flush();
            } catch (IOException e) {
                if (running) log.error("media socket failed", e);
            } catch (RuntimeException | Error e) {
                // A bug must not stop every call on the server: log it and keep the loop alive.
                log.error("media loop caught an unexpected error", e);
            }
        }
        port.close(); // the loop owns the port: closed here, never under a read or a poll in progress
    }

    /**
     * Thread.setPriority does nothing on Linux (without -XX:ThreadPriorityPolicy=1), and under load the loop then
     * waits its turn behind DTLS handshakes, JIT and HTTP threads while its socket queues up: joins time out because
     * their own checks and handshake records wait in that queue. Nice -10 needs root or CAP_SYS_NICE; without them
     * the loop runs at the process's priority, as before.
     */
    static void raisePriority(Logger logTo) {
        if (!LinuxUdp.available()) return;
        boolean raised = LinuxUdp.setThreadNice(LOOP_NICE);
        if (logTo == null) return;
        if (raised) logTo.info("media threads at nice {}", LOOP_NICE);
        else logTo.info("media threads at the process's priority (nice {} needs CAP_SYS_NICE)", LOOP_NICE);
    }

    private void runTasks() {
        for (int i = 0; i < 1024; i++) {
            Runnable task = tasks.poll();
            if (task == null) return;
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("media task failed", e);
            }
        }
    }

    private void readAll() throws IOException {
        byte[] buf = receiveBuffer;
        for (int i = 0; i < 256; i++) {
            int len = port.receive(buf);
            if (len < 0) return;
            counters.datagramsIn++;
            counters.bytesIn += len;
            onDatagram(buf, len, port.source());
        }
    }

    /** Runs a datagram through the demultiplexer as if it had arrived on the socket. Loop thread only. */
    public void receive(byte[] buf, int len, InetSocketAddress from) {
        onDatagram(buf, len, from);
    }

    void onDatagram(byte[] buf, int len, InetSocketAddress from) {
        if (len == 0) {
            counters.drop(DropReason.UNKNOWN_FIRST_BYTE, from);
            return;
        }
        if (len > MAX_DATAGRAM) {
            counters.drop(DropReason.OVERSIZED, from);
            return;
        }
        int first = buf[0] & 0xFF;
        if (first < 4) {
            ice.onStun(buf, len, from, clock.getAsLong());
        } else if (first >= 20 && first <= 63) {
            WebRtcTransport t = byAddress.get(from);
            if (t == null) counters.drop(DropReason.UNVALIDATED_SOURCE, from);
            else t.onDtls(buf, 0, len, from);
        } else if (first >= 128 && first <= 191) {
            WebRtcTransport t = byAddress.get(from);
            if (t == null) counters.drop(DropReason.UNVALIDATED_SOURCE, from);
            else t.onSrtp(buf, 0, len, from);
        } else {
            counters.drop(DropReason.UNKNOWN_FIRST_BYTE, from);
        }
    }

    /**
     * Every 10 ms: the transports that asked for ticks (an endpoint with producers: transport-cc feedback, receiver
     * reports, keyframe requests). A listener's transport costs nothing here; its consent is checked by a sweep of
     * all transports every {@link #CONSENT_SWEEP_NANOS}.
     */
    private void tick(long now) {
        // Backwards, with swap-removal: a transport that leaves the list while it is ticked does not hide another.
        for (int i = ticking.size() - 1; i >= 0; i--) {
            if (i < ticking.size()) ticking.get(i).onTick(now);
        }
        if (now - nextConsentSweep >= 0) {
            nextConsentSweep = now + CONSENT_SWEEP_NANOS;
            for (int i = transports.size() - 1; i >= 0; i--) {
                if (i < transports.size()) transports.get(i).checkConsent(now);
            }
        }
    }

    /** Adds or removes a transport from the 10 ms tick; loop thread only. */
    void setTicking(WebRtcTransport t, boolean on) {
        int at = t.tickIndex;
        if (on == (at >= 0)) return;
        if (on) {
            t.tickIndex = ticking.size();
            ticking.add(t);
        } else {
            WebRtcTransport last = ticking.removeLast();
            if (last != t) {
                ticking.set(at, last);
                last.tickIndex = at;
            }
            t.tickIndex = -1;
        }
    }

    /** How many transports are ticked every 10 ms (for tests and metrics). Loop thread only. */
    int tickingCount() {
        return ticking.size();
    }

    // ---- registry, loop thread only ----

    void register(WebRtcTransport t) {
        transports.add(t);
        byLocalUfrag.put(t.localIce().ufrag(), t);
    }

    void changeLocalUfrag(String oldUfrag, WebRtcTransport t) {
        byLocalUfrag.remove(oldUfrag, t);
        byLocalUfrag.put(t.localIce().ufrag(), t);
    }

    void unregister(WebRtcTransport t) {
        setTicking(t, false);
        transports.remove(t);
        byLocalUfrag.remove(t.localIce().ufrag(), t);
        byAddress.values().removeIf(x -> x == t);
    }

    /**
     * Called by ICE when an address has passed a check for a transport, before it is answered. An address another
     * transport still holds (open, consent through that address fresh) is not taken: a check's source address is not
     * proof of anything, and whoever holds valid credentials of their own could otherwise spoof checks from someone
     * else's address and have that person's DTLS and SRTP routed to their transport. The refusal is counted and the
     * check goes unanswered. A person who really moves checks from their new address with their own credentials; an
     * address whose holder has gone quiet on it for the consent timeout, or closed, is free to take.
     *
     * @return false when the address stays with the transport that holds it
     */
    public boolean bindAddress(InetSocketAddress address, WebRtcTransport t, long nowNanos) {
        WebRtcTransport holder = byAddress.get(address);
        if (holder == t) return true;
        if (holder != null) {
            if (holder.holdsAddress(address, nowNanos)) {
                counters.drop(DropReason.ICE_ADDRESS_HELD, address);
                return false;
            }
            holder.forgetAddress(address);
        }
        byAddress.put(address, t);
        if (TcpPort.isTcp(address)) {
            TcpPort p = tcp;
            if (p != null) p.checked(address);
        }
        return true;
    }

    /**
     * An address that can no longer be reached (its ICE-TCP connection closed): unbound, and forgotten by the
     * transport that held it, which goes on on another address it holds or is closed by consent in time. Loop thread.
     */
    void addressGone(InetSocketAddress address) {
        WebRtcTransport holder = byAddress.remove(address);
        if (holder != null) holder.forgetAddress(address);
    }

    /**
     * Where a packet from {@code from} really came from: the address itself for UDP, the peer's address for an
     * ICE-TCP connection (whose own address is made up). For XOR-MAPPED-ADDRESS. Loop thread.
     */
    public InetSocketAddress peerAddress(InetSocketAddress from) {
        if (!TcpPort.isTcp(from)) return from;
        TcpPort p = tcp;
        InetSocketAddress remote = p == null ? null : p.remoteOf(from);
        return remote == null ? from : remote;
    }

    /** The transport an address is bound to, or null (for tests). Loop thread only. */
    WebRtcTransport transportAt(InetSocketAddress address) {
        return byAddress.get(address);
    }

    public WebRtcTransport transportForUfrag(String localUfrag) {
        return byLocalUfrag.get(localUfrag);
    }

    // ---- sending ----

    /** The loop's scratch buffer for building an outgoing packet; valid until the next send. Loop thread only. */
    public byte[] sendScratch() {
        return sendScratch;
    }

    /** Sends sendScratch[0, len) to an address (queued until the end of the loop's pass). Loop thread only. */
    public void sendScratch(int len, InetSocketAddress to) {
        queue(sendScratch, 0, len, to);
    }

    private void queue(byte[] buf, int off, int len, InetSocketAddress to) {
        if (TcpPort.isTcp(to)) {
            TcpPort p = tcp;
            if (p != null) p.queue(buf, off, len, to);
            else counters.drop(DropReason.SEND_FAILED, to);
        } else {
            port.queue(buf, off, len, to);
        }
    }

    /**
     * Sends buf[off, off+len): from the loop thread it is copied and queued until the end of the pass; from any other
     * thread (DTLS handshakes) it goes at once.
     */
    public void send(byte[] buf, int off, int len, InetSocketAddress to) {
        if (inLoop()) {
            queue(buf, off, len, to);
        } else if (TcpPort.isTcp(to)) {
            // A TCP connection is written by the loop only: the bytes (a DTLS flight) go to it as a task.
            byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
            try {
                execute(() -> queue(copy, 0, copy.length, to));
            } catch (MediaBusyException e) {
                counters.drop(DropReason.SEND_FAILED, to); // DTLS sends the flight again
            }
        } else {
            port.sendNow(buf, off, len, to);
        }
    }

    /** Sends what the loop queued so far; the loop does it itself before it waits. Loop thread only. */
    public void flush() {
        port.flush();
        TcpPort t = tcp;
        if (t != null) t.flush();
    }

    @Override
    /** Ends the loop; the loop thread closes the port on its way out. Waits up to 5 s for that. */
    public void close() {
        TcpPort t = tcp;
        if (t != null) t.close();
        running = false;
        port.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) log.warn("the media loop has not ended 5 s after close; it closes its port when it does");
    }
}
