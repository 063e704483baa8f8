package org.salotto.rooms.store.jdbc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store's database is and how many connections it may hold open. {@link #embedded(Path)} is the default: an
 * H2 file in the data directory, nothing to install. {@link #postgres(String, String, String)} is for a server that
 * outgrows it, or several nodes sharing one database.
 */
public record DatabaseConfig(String url, String user, String password, int maxPoolSize) {
    public static final int DEFAULT_POOL_SIZE = 10;

    public DatabaseConfig {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) throw new IllegalArgumentException("database url must start with jdbc: but is " + url);
        if (maxPoolSize < 1) throw new IllegalArgumentException("maxPoolSize must be at least 1, is " + maxPoolSize);
    }

    /**
     * The embedded H2 database {@code salotto.mv.db} in {@code dataDir}. AUTO_SERVER is off so that only this process
     * opens the file; DB_CLOSE_ON_EXIT is off because the store closes it itself, after the pool drains, rather than
     * racing H2's own shutdown hook.
     */
    public static DatabaseConfig embedded(Path dataDir) {
        String dir = dataDir.toAbsolutePath().normalize().toString();
        // A ';' would start a new URL setting: refuse it rather than open some other database.
        if (dir.indexOf(';') >= 0) throw new IllegalArgumentException("data directory may not contain ';': " + dir);
        return new DatabaseConfig("jdbc:h2:file:" + dir + "/salotto;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE",
                "salotto", "", DEFAULT_POOL_SIZE);
    }

    /** A PostgreSQL database, e.g. {@code jdbc:postgresql://db:5432/salotto}; {@code password} may be null. */
    public static DatabaseConfig postgres(String url, String user, String password) {
        if (!url.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("not a PostgreSQL url: " + url);
        return new DatabaseConfig(url, user, password, DEFAULT_POOL_SIZE);
    }

    public DatabaseConfig withMaxPoolSize(int size) {
        return new DatabaseConfig(url, user, password, size);
    }

    /** Never shows the password: configs end up in logs and error messages. */
    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", password=" + (password == null || password.isEmpty() ? "(none)" : "***")
                + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
