package org.salotto.server;

import net.jqwik.api.lifecycle.BeforeContainer;

/** The ledger's invariants on the embedded database. */
class LedgerPropertiesEmbeddedTest extends LedgerProperties {
    @BeforeContainer
    static void start() throws Exception {
        fixture = ServerFixture.embedded(LedgerProperties::declinesAndAnswersTwice);
    }
}
