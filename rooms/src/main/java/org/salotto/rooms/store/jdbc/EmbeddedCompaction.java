package org.salotto.rooms.store.jdbc;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file near its live size. The file never reuses space (REUSE_SPACE=FALSE, for durability:
 * {@link DatabaseConfig#embedded}), so it grows with every commit; once it has grown by {@code growth} bytes since it
 * was last compacted, the store is taken out of use for a moment ({@link Transactions#alone}: transactions under way
 * finish, new ones wait), its connections closed, and the file rewritten offline, as H2's authors advise rather than
 * compacting a store in use: the live data is copied into a new file, which is forced to disk, then moved over the old
 * one in one atomic rename, and the folder forced too. A crash at any moment leaves either the old file or the new one,
 * both whole; a copy left half-written is deleted at the next start ({@link #cleanUpAfterCrash}). The same rewrite
 * runs at a clean stop.
 */
final class EmbeddedCompaction {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedCompaction.class);
    /** How long the pool's connections get to close before the rewrite gives up (it is tried again later). */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Path file;
    private final long growth;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong compactions = new AtomicLong();
    /** The file's size after the last rewrite (or at start). */
    private volatile long baseline;

    /** @param growth bytes of growth that start a rewrite while running; 0: only at a clean stop */
    EmbeddedCompaction(Path file, long growth) {
        this.file = file;
        this.growth = growth;
        this.baseline = sizeOf(file);
    }

    /** Before the database is opened: a rewrite that a crash interrupted left its copy; the original is whole. */
    static void cleanUpAfterCrash(Path file) {
        try {
            Files.deleteIfExists(copyOf(file));
        } catch (IOException e) {
            // Opening the database says what is wrong with the folder, if anything is.
            log.warn("cannot delete {}: {}", copyOf(file), e.toString());
        }
    }

    /** How many rewrites have run while the server ran. */
    long compactions() {
        return compactions.get();
    }

    /**
     * After a write transaction: when the file has grown past the threshold, starts a rewrite on a thread of its own
     * (one at a time), so that the write that noticed is not held up by it.
     */
    void afterWrite(HikariDataSource pool, Transactions db) {
        if (growth <= 0 || sizeOf(file) - baseline < growth || !running.compareAndSet(false, true)) return;
        Thread.ofVirtual().name("db-compaction").start(() -> {
            try {
                db.alone(() -> compactInUse(pool));
            } catch (RuntimeException e) {
                log.warn("compacting the embedded database failed (it is tried again after more writes): {}", e.toString());
                baseline = sizeOf(file); // not at once again: after another full growth
            } finally {
                running.set(false);
            }
        });
    }

    /** The rewrite while the server runs; the caller has the database to itself. */
    private void compactInUse(HikariDataSource pool) {
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        HikariConfigMXBean settings = pool.getHikariConfigMXBean();
        int minimumIdle = settings.getMinimumIdle();
        // No new connection while the file is rewritten: none handed out (suspended), and none made to keep the
        // pool's idle minimum, which the pool does even while suspended.
        settings.setMinimumIdle(0);
        mx.suspendPool();
        try {
            long before = sizeOf(file);
            long t0 = System.nanoTime();
            // Evicted again before each try: a connection the pool was already making when it was suspended may
            // have come in since.
            rewrite(mx::softEvictConnections);
            compactions.incrementAndGet();
            log.info("compacted the embedded database: {} KB to {} KB, requests held {} ms", before >> 10, baseline >> 10,
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            settings.setMinimumIdle(minimumIdle);
            mx.resumePool();
        }
    }

    /**
     * Rewrites the file to its live size once the database is closed. The pool closes its connections on a thread of
     * its own, and H2 closes the database with the last of them: until then the file is locked, so
     * {@code closeConnections} runs again and the rewrite is tried again, for up to 10 s.
     */
    void rewrite(Runnable closeConnections) {
        Path copy = copyOf(file);
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (true) {
            closeConnections.run();
            try {
                Files.deleteIfExists(copy);
                MVStore.compact(file.toString(), copy.toString(), false, null);
                break;
            } catch (MVStoreException e) {
                if (System.nanoTime() - deadline >= 0) {
                    deleteQuietly(copy);
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // the file is still open: its lock is held
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            force(copy);
            Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            force(file.getParent());
        } catch (IOException e) {
            deleteQuietly(copy);
            throw new UncheckedIOException("cannot replace " + file + " with its compacted copy", e);
        }
        baseline = sizeOf(file);
    }

    private static Path copyOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".compacting");
    }

    /** fsync of a file, or of a folder (so that a rename in it is on disk too). */
    private static void force(Path p) throws IOException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover copy is deleted at the next start
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0; // not created yet
        }
    }
}
