package org.salotto.server;

import net.jqwik.api.lifecycle.BeforeContainer;

/** The ledger's invariants on PostgreSQL at 127.0.0.1:5432, in a schema of their own. */
class LedgerPropertiesPostgresTest extends LedgerProperties {
    @BeforeContainer
    static void start() throws Exception {
        fixture = ServerFixture.postgres(LedgerProperties::declinesAndAnswersTwice);
    }
}
