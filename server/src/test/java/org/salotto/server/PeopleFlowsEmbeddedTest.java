package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** The people flows on the embedded database (the default). */
class PeopleFlowsEmbeddedTest extends PeopleFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded(PeopleFlows::config);
        signUpFounder();
    }
}
