package org.salotto.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a durable commit costs on the embedded H2 file: commits per second of a one-row INSERT transaction (the size of
 * a ban, a block, an API key), with the URL settings of {@code DatabaseConfig.embedded}.
 *
 * <ul>
 *   <li>{@code delayed}: H2's default WRITE_DELAY of 500 ms, what Salotto had before: a commit stays in memory for up
 *       to half a second and {@code kill -9} loses it;</li>
 *   <li>{@code written}: WRITE_DELAY=0, each commit's chunk written to the file (the OS's page cache) before it
 *       returns: survives the process dying, not the machine;</li>
 *   <li>{@code synced}: WRITE_DELAY=0 and {@code CHECKPOINT SYNC} (FileChannel.force) after each commit, what the
 *       store does now: survives power loss.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class EmbeddedCommitBenchmark {
    @Param({"delayed", "written", "synced"})
    public String mode;

    private Path dir;
    private Connection c;
    private PreparedStatement insert;
    private Statement sync;
    private long n;

    @Setup
    public void open() throws IOException, SQLException {
        dir = Files.createTempDirectory("salotto-commit-bench-");
        String url = "jdbc:h2:file:" + dir + "/salotto;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE"
                + (mode.equals("delayed") ? "" : ";WRITE_DELAY=0");
        c = DriverManager.getConnection(url, "salotto", "");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bans (room_id VARCHAR(32), identity VARCHAR(80), at TIMESTAMP, PRIMARY KEY (room_id, identity))");
        }
        c.setAutoCommit(false);
        insert = c.prepareStatement("INSERT INTO bans (room_id, identity, at) VALUES (?, ?, CURRENT_TIMESTAMP)");
        sync = c.createStatement();
    }

    @Benchmark
    public void commit() throws SQLException {
        insert.setString(1, "room");
        insert.setString(2, "g:" + n++);
        insert.executeUpdate();
        c.commit();
        if (mode.equals("synced")) sync.execute("CHECKPOINT SYNC");
    }

    @TearDown
    public void close() throws SQLException, IOException {
        c.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
