package org.salotto.rooms.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Profiles, follows, reports and admins in the embedded H2 file, a new data directory per test. */
class H2PeopleStoreTest extends PeopleStoreContract {
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
