package org.salotto.rooms.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Notifications on PostgreSQL, each test in a schema of its own that is dropped afterwards (as
 * {@link PostgresJdbcStoreTest}). PostgreSQL must be running: when it is not, these tests fail, they do not skip.
 */
class PostgresNotificationStoreTest extends NotificationStoreContract {
    private String schema;

    @Override
    DatabaseConfig freshDatabase() {
        String name = "salotto_notify_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        execute("CREATE SCHEMA " + name);
        schema = name;
        return DatabaseConfig.postgres(PostgresJdbcStoreTest.URL + "?currentSchema=" + name, PostgresJdbcStoreTest.USER, null)
                .withMaxPoolSize(4);
    }

    @Override
    void dropDatabase() {
        if (schema != null) execute("DROP SCHEMA " + schema + " CASCADE");
        schema = null;
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(PostgresJdbcStoreTest.URL, PostgresJdbcStoreTest.USER, null);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            fail("PostgreSQL at " + PostgresJdbcStoreTest.URL + " is needed for this test: '" + sql + "' failed ("
                    + e.getMessage() + ")", e);
        }
    }
}
