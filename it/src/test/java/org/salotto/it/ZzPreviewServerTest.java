package org.salotto.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Scratch (not committed): a server for looking at the web app by hand, until /tmp/preview/stop exists. */
class ZzPreviewServerTest {
    @Test
    void serve() throws Exception {
        try (var server = TestServer.start()) {
            Files.writeString(Path.of("/tmp/preview/url"), server.baseUrl());
            while (!Files.exists(Path.of("/tmp/preview/stop"))) Thread.sleep(500);
        }
    }
}
