package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** Notifications end to end on the embedded database. */
class NotificationFlowsEmbeddedTest extends NotificationFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded(NotificationFlows::config);
    }
}
