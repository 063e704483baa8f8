package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** The ledger's invariants on the embedded database. */
class LedgerPropertiesEmbeddedTest extends LedgerProperties {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded(LedgerProperties::declinesAndAnswersTwice);
    }
}
