package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Three people in a call see and hear each other; when one leaves, the others see that person's tracks end. */
class CallThreeBrowsersTest {

    private static final int MIN_FRAMES = 30;
    private static final long LEAVE_BOUND_MS = 2_000;

    @Test
    void everyoneSeesAndHearsEveryoneAndTheLeaversTracksEnd() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode result = harness.run("call3.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "room", server.createRoom("call"),
                    "outputDir", harness.reportDir().toString(),
                    "minFrames", MIN_FRAMES,
                    "receiveTimeoutMs", 45_000,
                    "leaveTimeoutMs", 5_000), Duration.ofSeconds(120));

            List<Executable> checks = new ArrayList<>();
            checks.add(() -> assertEquals(3, result.path("pages").size(), "pages: " + result.path("pages")));
            result.path("pages").properties().forEach(page -> page.getValue().path("remotes").properties()
                    .forEach(remote -> checks.addAll(receptionChecks(page.getKey(), remote.getKey(), remote.getValue()))));
            for (String page : List.of("A", "B")) {
                checks.addAll(leaveChecks(page, result.path("leave").path("pages").path(page)));
            }
            assertAll("call of three: " + result, checks);
        }
    }

    /** Page {@code page} saw {@code MIN_FRAMES} from {@code remote} and heard it. */
    private static List<Executable> receptionChecks(String page, String remote, JsonNode figures) {
        String who = page + " receiving from " + remote + " " + figures;
        return List.of(
                () -> assertTrue(figures.path("framesDecoded").asInt() >= MIN_FRAMES, who + ": too few frames"),
                () -> assertTrue(figures.path("samplesGrowing").asBoolean(), who + ": audio samples not growing"),
                () -> assertTrue(figures.path("maxAudioLevel").asDouble() > 0, who + ": audio level stayed 0"));
    }

    /** Page {@code page} saw every track of the leaver end, and removed its tile, within the bound. */
    private static List<Executable> leaveChecks(String page, JsonNode seen) {
        String what = page + " after C left " + seen;
        return List.of(
                () -> assertTrue(seen.path("tracksEndedMs").isNumber(), what + ": not all of C's tracks ended"),
                () -> assertTrue(seen.path("tracksEndedMs").asLong() <= LEAVE_BOUND_MS, what + ": tracks ended late"),
                () -> assertTrue(seen.path("tileRemovedMs").isNumber(), what + ": C's tile not removed"),
                () -> assertTrue(seen.path("tileRemovedMs").asLong() <= LEAVE_BOUND_MS, what + ": tile removed late"));
    }
}
