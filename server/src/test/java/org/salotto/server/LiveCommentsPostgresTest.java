package org.salotto.server;

import org.junit.jupiter.api.BeforeAll;

/** A live's comments, moderation and backstage on PostgreSQL at 127.0.0.1:5432, in a schema of their own. */
class LiveCommentsPostgresTest extends LiveCommentsFlows {
    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.postgres(LiveCommentsFlows::config);
    }
}
