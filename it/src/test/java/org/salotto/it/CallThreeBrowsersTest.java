package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Three people in a call see and hear each other; when one leaves, the others see that person's tracks end. */
class CallThreeBrowsersTest {

    private static final int MIN_FRAMES = 30;
    private static final long LEAVE_BOUND_MS = 2_000;

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        BrowserHarness.assumeBrowsersAvailable();
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyoneSeesAndHearsEveryoneAndTheLeaversTracksEnd() {
        var harness = new BrowserHarness();
        JsonNode result = harness.run("call3.mjs", Map.of(
                "baseUrl", server.baseUrl(),
                "room", "call3-" + System.nanoTime(),
                "outputDir", harness.reportDir().toString(),
                "minFrames", MIN_FRAMES,
                "receiveTimeoutMs", 45_000,
                "leaveTimeoutMs", 5_000), Duration.ofSeconds(120));

        List<Executable> checks = new ArrayList<>();
        result.path("pages").properties().forEach(page -> page.getValue().path("remotes").properties().forEach(remote -> {
            String who = page.getKey() + " receiving from " + remote.getKey();
            JsonNode f = remote.getValue();
            checks.add(() -> assertTrue(f.path("framesDecoded").asInt() >= MIN_FRAMES,
                    who + ": frames decoded " + f.path("framesDecoded")));
            checks.add(() -> assertTrue(f.path("samplesGrowing").asBoolean(), who + ": audio samples not growing: " + f));
            checks.add(() -> assertTrue(f.path("maxAudioLevel").asDouble() > 0, who + ": audio level stayed 0: " + f));
        }));
        checks.add(() -> assertEquals(3, result.path("pages").size(), "pages in the result: " + result.path("pages")));

        JsonNode leave = result.path("leave").path("pages");
        for (String page : List.of("A", "B")) {
            JsonNode seen = leave.path(page);
            checks.add(() -> assertFalse(seen.path("tracksEndedMs").isNull() || seen.path("tracksEndedMs").isMissingNode(),
                    page + " never saw all of C's tracks end: " + seen));
            checks.add(() -> assertTrue(seen.path("tracksEndedMs").asLong(Long.MAX_VALUE) <= LEAVE_BOUND_MS,
                    page + " saw C's tracks end after " + seen.path("tracksEndedMs") + " ms: " + seen));
            checks.add(() -> assertTrue(seen.path("tileRemovedMs").asLong(Long.MAX_VALUE) <= LEAVE_BOUND_MS,
                    page + " removed C's tile after " + seen.path("tileRemovedMs") + " ms: " + seen));
        }
        assertAll("call of three: " + result, checks);
    }
}
