package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** A live's comments, moderation and backstage on the embedded database. */
class LiveCommentsEmbeddedTest extends LiveCommentsFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded(LiveCommentsFlows::config);
    }
}
