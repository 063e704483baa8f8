package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** Badges on PostgreSQL at 127.0.0.1:5432, in a schema of their own. */
class BadgeFlowsPostgresTest extends BadgeFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.postgres(BadgeFlows::slowAndTwice);
    }
}
