package org.salotto.rooms.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 file, a new data directory per test. */
class H2JdbcStoreTest extends JdbcStoreContract {
    @TempDir
    Path dataDir;

    @Override
    DatabaseConfig freshDatabase() {
        return DatabaseConfig.embedded(dataDir);
    }

    @Override
    void dropDatabase() {
        // The temporary directory goes with the test.
    }

    @Override
    DatabaseConfig unreachableDatabase() throws Exception {
        // A "data directory" that is a plain file: H2 cannot make its database inside it.
        Path notADirectory = Files.writeString(dataDir.resolve("not-a-directory"), "x");
        return DatabaseConfig.embedded(notADirectory);
    }
}
