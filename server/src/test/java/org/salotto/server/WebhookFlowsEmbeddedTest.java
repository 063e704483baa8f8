package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** The webhook flows on the embedded database (the default). */
class WebhookFlowsEmbeddedTest extends WebhookFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded(WebhookFlows::config);
    }
}
