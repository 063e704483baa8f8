package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** The rooms flows on the embedded database (the default). */
class RoomFlowsEmbeddedTest extends RoomFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded();
    }
}
