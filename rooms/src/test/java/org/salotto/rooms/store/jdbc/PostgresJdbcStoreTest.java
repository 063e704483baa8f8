package org.salotto.rooms.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The store contract on PostgreSQL, each test in a schema of its own that is dropped afterwards, so runs on one server
 * do not see each other. PostgreSQL must be running (CI starts it): when it is not, these tests fail, they do not skip.
 */
class PostgresJdbcStoreTest extends JdbcStoreContract {
    /** Overridable for a developer whose PostgreSQL is elsewhere; trust authentication is assumed. */
    static final String URL = System.getenv().getOrDefault("SALOTTO_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getenv().getOrDefault("SALOTTO_TEST_POSTGRES_USER", "postgres");

    private String schema;

    @Override
    DatabaseConfig freshDatabase() {
        String name = "salotto_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        execute("CREATE SCHEMA " + name);
        schema = name;
        return DatabaseConfig.postgres(URL + "?currentSchema=" + name, USER, null).withMaxPoolSize(4);
    }

    @Override
    void dropDatabase() {
        if (schema != null) execute("DROP SCHEMA " + schema + " CASCADE");
        schema = null;
    }

    @Override
    DatabaseConfig unreachableDatabase() {
        // Port 1 on this machine: nothing listens there, the connection is refused at once.
        return DatabaseConfig.postgres("jdbc:postgresql://127.0.0.1:1/test", USER, null);
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            fail("PostgreSQL at " + URL + " as " + USER + " is needed for this test: '" + sql + "' failed (" + e.getMessage()
                    + "). If it is not running, start it with:"
                    + " pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
        }
    }
}
