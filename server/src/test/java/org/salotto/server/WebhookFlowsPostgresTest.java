package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** The webhook flows on PostgreSQL. */
class WebhookFlowsPostgresTest extends WebhookFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.postgres(WebhookFlows::config);
    }
}
