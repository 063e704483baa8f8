package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** The people flows on PostgreSQL at 127.0.0.1:5432, in a schema of their own. */
class PeopleFlowsPostgresTest extends PeopleFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.postgres(PeopleFlows::config);
        signUpFounder();
    }
}
