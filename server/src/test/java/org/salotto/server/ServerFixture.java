package org.salotto.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.salotto.rooms.RoomsConfig;

/**
 * The real server for the rooms tests, on the embedded database or on PostgreSQL (127.0.0.1:5432, database
 * {@code test}, a fresh schema per fixture). PostgreSQL not answering fails the test: CI starts it.
 */
final class ServerFixture implements AutoCloseable {
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final AtomicInteger NAMES = new AtomicInteger();

    final ServerConfig config;
    private final String schema;
    SalottoServer server;

    private ServerFixture(ServerConfig config, String schema) {
        this.config = config;
        this.schema = schema;
    }

    /** Test timings: a dropped connection's member stays 500 ms to resume; a live ends 700 ms after its host is gone. */
    static RoomsConfig testRooms() {
        return RoomsConfig.defaults().withLiveHostGrace(Duration.ofMillis(700)).withResumeGrace(Duration.ofMillis(500));
    }

    static ServerFixture embedded() throws Exception {
        return embedded(c -> c);
    }

    /** On the embedded database, with the test configuration changed by {@code tweak} (limits, timings). */
    static ServerFixture embedded(java.util.function.UnaryOperator<ServerConfig> tweak) throws Exception {
        ServerFixture f = new ServerFixture(tweak.apply(ServerConfig.forTests().withRooms(testRooms())), null);
        f.start();
        return f;
    }

    static ServerFixture postgres() throws Exception {
        return postgres(c -> c);
    }

    /** On PostgreSQL, with the test configuration changed by {@code tweak}. */
    static ServerFixture postgres(java.util.function.UnaryOperator<ServerConfig> tweak) throws Exception {
        String schema = "salotto_it_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at 127.0.0.1:5432 (database test, user postgres) is needed for this test: "
                    + e.getMessage(), e);
        }
        // The tweak comes after the database: a cluster (withCluster) is refused on the embedded one.
        ServerFixture f = new ServerFixture(tweak.apply(ServerConfig.forTests().withRooms(testRooms())
                .withDatabase(POSTGRES + "?currentSchema=" + schema, "postgres", "")), schema);
        f.start();
        return f;
    }

    void start() throws Exception {
        server = SalottoServer.start(config);
    }

    /** Stops the server and starts a new one on the same database (and data folder). */
    void restart() throws Exception {
        server.close();
        server = SalottoServer.start(config.withPorts(0, 0));
    }

    String url() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    static String uniqueName(String prefix) {
        return prefix + NAMES.incrementAndGet() + "_" + (System.nanoTime() % 100000);
    }

    @Override
    public void close() throws Exception {
        if (server != null) server.close();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
