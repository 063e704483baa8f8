package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** The ledger's invariants on PostgreSQL at 127.0.0.1:5432, in a schema of their own. */
class LedgerPropertiesPostgresTest extends LedgerProperties {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.postgres(LedgerProperties::declinesAndAnswersTwice);
    }
}
