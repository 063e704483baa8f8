package org.salotto.rooms.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.salotto.rooms.store.Account;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out worker: one virtual thread that takes due {@link NotificationJob}s, writes the notifications of each
 * job a batch per transaction (the batch and the job's new position together: a crash resumes where the last commit
 * left it, and nobody is notified twice), and pushes each one written to its recipient's open streams. Woken by every
 * commit of jobs; otherwise it sleeps until the next job is due, at most {@code pollInterval} (jobs another server
 * added, the clock).
 */
public final class Notifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final int JOBS_PER_ROUND = 50;

    private final Store store;
    private final NotificationStore notifications;
    private final NotificationStreams streams;
    private final NotificationsConfig config;
    private final Clock clock;
    private final String linkPath;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    /** Statements run, counted as they are issued (2 a round, 2 or 3 a job, 3 a batch of followers). */
    private final AtomicLong statements = new AtomicLong();
    private volatile boolean closed;
    private Thread thread;

    public Notifier(Store store, NotificationStreams streams, NotificationsConfig config, Clock clock, String linkPath) {
        this.store = store;
        this.notifications = store.notifications();
        this.streams = streams;
        this.config = config;
        this.clock = clock;
        this.linkPath = linkPath;
        notifications.onJobsAdded(this::wake);
    }

    public synchronized void start() {
        if (thread == null) thread = Thread.ofVirtual().name("notifier").start(this::run);
    }

    /** Look for due jobs now. */
    public void wake() {
        if (wake.availablePermits() == 0) wake.release();
    }

    private void run() {
        while (!closed) {
            Duration sleep;
            try {
                sleep = round();
            } catch (StoreException e) {
                log.warn("notifications: the database failed ({}); trying again in {}", e.getMessage(), config.pollInterval());
                sleep = config.pollInterval();
            } catch (RuntimeException e) {
                log.error("notifications: a round failed", e);
                sleep = config.pollInterval();
            }
            try {
                if (!sleep.isZero()) wake.tryAcquire(Math.max(1, sleep.toMillis()), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Does every due job; returns how long to sleep then (zero: more is due at once). */
    Duration round() {
        Instant now = clock.instant();
        List<NotificationJob> due = notifications.dueJobs(now, JOBS_PER_ROUND);
        statements.incrementAndGet();
        for (NotificationJob job : due) {
            if (closed) return Duration.ZERO;
            run(job);
        }
        if (due.size() == JOBS_PER_ROUND) return Duration.ZERO;
        Instant next = notifications.nextDue().orElse(null);
        statements.incrementAndGet();
        Duration poll = config.pollInterval();
        if (next == null) return poll;
        // Rounded up to the millisecond: waking a fraction early would find the job not yet due.
        Duration until = Duration.between(clock.instant(), next).plusMillis(1);
        if (until.isNegative() || until.isZero()) return Duration.ZERO;
        return until.compareTo(poll) < 0 ? until : poll;
    }

    /** Fans one job out to its whole audience, a batch per transaction. */
    private void run(NotificationJob job) {
        long began = System.nanoTime();
        long before = written.get();
        Room room = job.roomId() == null ? null : store.room(job.roomId()).orElse(null);
        if (room != null) statements.incrementAndGet();
        String who = job.actorName();
        if (who == null && job.actorId() != null) {
            who = store.account(job.actorId()).map(Account::displayName).orElse(null);
            statements.incrementAndGet();
        }
        String text = NotificationTexts.text(job.type(), who, room, config.reminderLead());
        String link = NotificationTexts.link(job.roomId(), linkPath);
        NotificationJob current = job;
        Notification.Actor actor = null;
        boolean actorRead = false;
        while (!closed) {
            NotificationStore.FanOut out = notifications.fanOut(current, config.batch(), text, link, clock.instant());
            // The recipients' query, the batched insert, the position's update (or the job's delete).
            statements.addAndGet(out.written().isEmpty() ? 2 : 3);
            if (out.lost()) return;
            batches.incrementAndGet();
            written.addAndGet(out.written().size());
            if (!actorRead && !out.written().isEmpty()) {
                // The actor as the inbox shows it (username, name, avatar): read back once per job.
                Notification first = out.written().getFirst();
                actor = notifications.after(first.accountId(), first.id() - 1, 1).stream().findFirst()
                        .map(Notification::actor).orElse(null);
                statements.incrementAndGet();
                actorRead = true;
            }
            for (Notification n : out.written()) streams.push(withActor(n, actor));
            if (out.finished()) {
                if (job.audience() != Audience.ACCOUNTS) {
                    log.info("notification job {} ({} to {}, room {}): {} written in {} ms", job.id(), job.type().wire(),
                            job.audience(), job.roomId(), written.get() - before, (System.nanoTime() - began) / 1_000_000);
                }
                return;
            }
            current = new NotificationJob(current.id(), current.type(), current.audience(), current.roomId(), current.actorId(),
                    current.actorName(), current.dedupKey(), current.recipients(), out.position(), current.dueAt(),
                    current.createdAt());
        }
    }

    private static Notification withActor(Notification n, Notification.Actor actor) {
        if (actor == null) return n;
        return new Notification(n.id(), n.accountId(), n.type(), n.roomId(), n.text(), n.link(), actor, n.createdAt(), n.read());
    }

    /** Notifications written since the start. */
    public long written() {
        return written.get();
    }

    /** SQL statements the worker ran since the start. */
    public long statements() {
        return statements.get();
    }

    /** Fan-out transactions since the start. */
    public long batches() {
        return batches.get();
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
