package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** Notifications end to end on PostgreSQL. */
class NotificationFlowsPostgresTest extends NotificationFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.postgres(NotificationFlows::config);
    }
}
