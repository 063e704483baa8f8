package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** Badges on the embedded database (the default). */
class BadgeFlowsEmbeddedTest extends BadgeFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded(BadgeFlows::slowAndTwice);
    }
}
