package org.salotto.rooms.store.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the store's database is, how many connections it may hold open, and how long a request waits for one before
 * it gives up: {@code connectionTimeout} when the database cannot be reached (answer fast rather than hang), up to
 * {@code busyWait} when it can but every connection is in use (a burst of joins: wait rather than fail). {@link #embedded(Path)} is the default: an H2
 * file in the data directory, nothing to install. {@link #postgres(String, String, String)} is for a server that
 * outgrows it, or several nodes sharing one database.
 */
public record DatabaseConfig(String url, String user, String password, int maxPoolSize, Duration connectionTimeout,
                             Duration busyWait, long compactGrowth) {
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_BUSY_WAIT = Duration.ofSeconds(10);
    /** The embedded file is compacted while the server runs once it has grown by this much (EmbeddedCompaction). */
    public static final long DEFAULT_COMPACT_GROWTH = 64L << 20;
    /** HikariCP refuses less. */
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

    public DatabaseConfig {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) throw new IllegalArgumentException("database url must start with jdbc: but is " + url);
        if (maxPoolSize < 1) throw new IllegalArgumentException("maxPoolSize must be at least 1, is " + maxPoolSize);
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectionTimeout must be at least " + MIN_CONNECTION_TIMEOUT.toMillis()
                    + " ms, is " + connectionTimeout.toMillis() + " ms");
        }
        if (compactGrowth < 0) throw new IllegalArgumentException("compactGrowth must not be negative, is " + compactGrowth);
        if (busyWait.compareTo(connectionTimeout) < 0) {
            throw new IllegalArgumentException("busyWait must be at least the connectionTimeout, is " + busyWait.toMillis() + " ms");
        }
    }

    /**
     * The embedded H2 database {@code salotto.mv.db} in {@code dataDir}. AUTO_SERVER is off so that only this process
     * opens the file; DB_CLOSE_ON_EXIT is off because the store closes it itself, after the pool drains, rather than
     * racing H2's own shutdown hook. WRITE_DELAY=0: H2 otherwise keeps committed transactions in memory for up to
     * 500 ms (a {@code kill -9} lost the last confirmed writes); at 0 each commit writes its chunk to the file before
     * it returns. That survives the process dying, not the machine: the fsync that power loss needs is
     * {@link #syncsEachCommit()}. REUSE_SPACE=FALSE: with both of those, a {@code kill -9} still lost confirmed
     * writes of the last second or two in 3 of 4 runs of CrashProcessTest (H2 2.5.252, reopening fell back to an
     * older chunk once freed space had been written over), and none in 3 runs without reuse. The file then grows
     * with every commit (about 14 KB each) until it is rewritten to its live size: after {@code compactGrowth} bytes
     * while the server runs, and at a clean stop ({@link EmbeddedCompaction}).
     */
    public static DatabaseConfig embedded(Path dataDir) {
        String dir = dataDir.toAbsolutePath().normalize().toString();
        // A ';' would start a new URL setting: refuse it rather than open some other database.
        if (dir.indexOf(';') >= 0) throw new IllegalArgumentException("data directory may not contain ';': " + dir);
        return new DatabaseConfig("jdbc:h2:file:" + dir + "/salotto;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;REUSE_SPACE=FALSE",
                "salotto", "", DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT, DEFAULT_BUSY_WAIT,
                DEFAULT_COMPACT_GROWTH);
    }

    /** A PostgreSQL database, e.g. {@code jdbc:postgresql://db:5432/salotto}; {@code password} may be null. */
    public static DatabaseConfig postgres(String url, String user, String password) {
        if (!url.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("not a PostgreSQL url: " + url);
        return new DatabaseConfig(url, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT, DEFAULT_BUSY_WAIT,
                DEFAULT_COMPACT_GROWTH);
    }

    public DatabaseConfig withMaxPoolSize(int size) {
        return new DatabaseConfig(url, user, password, size, connectionTimeout, busyWait, compactGrowth);
    }

    public DatabaseConfig withConnectionTimeout(Duration timeout) {
        return new DatabaseConfig(url, user, password, maxPoolSize, timeout, busyWait.compareTo(timeout) < 0 ? timeout : busyWait,
                compactGrowth);
    }

    public DatabaseConfig withBusyWait(Duration wait) {
        return new DatabaseConfig(url, user, password, maxPoolSize, connectionTimeout, wait, compactGrowth);
    }

    /** @param growth bytes the embedded file may grow by before it is compacted while running (0: only at a stop) */
    public DatabaseConfig withCompactGrowth(long growth) {
        return new DatabaseConfig(url, user, password, maxPoolSize, connectionTimeout, busyWait, growth);
    }

    /** The embedded database's file ({@code salotto.mv.db}), or null for PostgreSQL. */
    public java.nio.file.Path embeddedFile() {
        if (!url.startsWith("jdbc:h2:file:")) return null;
        int end = url.indexOf(';');
        return java.nio.file.Path.of(url.substring("jdbc:h2:file:".length(), end < 0 ? url.length() : end) + ".mv.db");
    }

    /**
     * Whether the store must force the file to disk after each write transaction itself. H2's MVStore has no setting
     * for an fsync on commit (WRITE_DELAY=0 only writes the chunk to the OS), so for H2 files the store follows each
     * write with {@code CHECKPOINT SYNC}, which is FileChannel.force: a confirmed write then survives power loss too.
     * PostgreSQL does it by itself (synchronous_commit on, its default).
     */
    public boolean syncsEachCommit() {
        return url.startsWith("jdbc:h2:file:");
    }

    /** Never shows the password: configs end up in logs and error messages. */
    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", password=" + (password == null || password.isEmpty() ? "(none)" : "***")
                + ", maxPoolSize=" + maxPoolSize + ", connectionTimeout=" + connectionTimeout.toMillis() + "ms, busyWait=" + busyWait.toMillis() + "ms, compactGrowth=" + compactGrowth + "]";
    }
}
