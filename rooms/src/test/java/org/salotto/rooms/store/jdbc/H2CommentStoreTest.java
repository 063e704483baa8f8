package org.salotto.rooms.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A live's comments in the embedded H2 file, a new data directory per test. */
class H2CommentStoreTest extends CommentStoreContract {
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
}
