package org.salotto.rooms.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.salotto.rooms.store.StoreException;

/**
 * Short transactions on pooled connections, with SQL failures turned into {@link StoreException}s: a unique
 * violation becomes {@link StoreException.Conflict}, anything else a plain one that names what was being done.
 * Connections come from the pool with auto-commit off.
 */
final class Transactions {
    /** SQLSTATE of a unique or primary key violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** H2: forces the file to disk (FileChannel.force); see DatabaseConfig.syncsEachCommit. */
    private static final String SYNC = "CHECKPOINT SYNC";

    private final DataSource pool;
    private final boolean syncEachCommit;

    Transactions(DataSource pool, boolean syncEachCommit) {
        this.pool = pool;
        this.syncEachCommit = syncEachCommit;
    }

    /**
     * Runs {@code work} in one transaction that writes: commit if it returns, roll back if it throws. Once it returns,
     * the commit is on disk (an fsync on the embedded database), so a caller may confirm it to a client.
     */
    <T> T inTransaction(String what, Work<T> work) {
        return run(what, work, syncEachCommit);
    }

    /** A transaction that only reads: nothing to force to disk. */
    <T> T read(String what, Work<T> work) {
        return run(what, work, false);
    }

    private <T> T run(String what, Work<T> work, boolean sync) {
        try (Connection c = pool.getConnection()) {
            try {
                T result = work.run(c);
                c.commit();
                if (sync) {
                    try (var s = c.createStatement()) {
                        s.execute(SYNC);
                    }
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    /** One INSERT, UPDATE or DELETE in its own transaction; the number of rows it touched. */
    int update(String what, String sql, Binder binder) {
        return inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * An INSERT whose row may be there already, which is fine (idempotent bans and blocks); the first row stays as
     * it was. The conflict is caught rather than avoided with INSERT ... WHERE NOT EXISTS, which still races.
     */
    void insertIfAbsent(String what, String sql, Binder binder) {
        try {
            update(what, sql, binder);
        } catch (StoreException.Conflict alreadyThere) {
            // Nothing to do.
        }
    }

    /** The first row of a query in its own transaction, or empty. */
    <T> Optional<T> queryOne(String what, String sql, Binder binder, RowReader<T> reader) {
        return read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** All rows of a query in its own transaction. */
    <T> List<T> queryList(String what, String sql, Binder binder, RowReader<T> reader) {
        return read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> rows = new ArrayList<>();
                    while (rs.next()) rows.add(reader.read(rs));
                    return rows;
                }
            }
        });
    }

    /**
     * The database is out of reach rather than refusing this statement: the pool found no live connection in time
     * (SQLTransientConnectionException), SQLSTATE class 08 (connection exception), or PostgreSQL's 57P01-57P03
     * (shutting down, crashed, starting up).
     */
    static boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) return true;
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    private static StoreException translate(String what, SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            return new StoreException.Conflict(what + ": already exists", e);
        }
        if (unreachable(e)) {
            return new StoreException.Unavailable(what + ": the database cannot be reached: " + e.getMessage(), e);
        }
        return new StoreException(what + ": " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
    }
}
