package org.salotto.rooms.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Notifications in the embedded H2 file, a new data directory per test. */
class H2NotificationStoreTest extends NotificationStoreContract {
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
