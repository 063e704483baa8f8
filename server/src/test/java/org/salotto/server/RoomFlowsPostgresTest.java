package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** The rooms flows on PostgreSQL at 127.0.0.1:5432, in a schema of their own. */
class RoomFlowsPostgresTest extends RoomFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.postgres();
    }
}
