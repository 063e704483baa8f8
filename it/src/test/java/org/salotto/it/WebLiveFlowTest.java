package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live flow of the web app, clicks and typing only (it/browser/liveflow.mjs): the host goes live; two viewers
 * watch and the count says 2; one asks to join and the host accepts; the other viewer then sees two people on stage;
 * with the stage filled to 4, the host cannot put a 5th person on it and is told why.
 */
class WebLiveFlowTest {

    private static final int MIN_FRAMES = 20;

    @Test
    void viewersWatchOneJoinsTheStageAndAFifthDoesNotFit() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode r = harness.run("liveflow.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "outputDir", harness.screenshots("live"),
                    "minFrames", MIN_FRAMES), Duration.ofSeconds(180));
            System.out.println("live: " + r);
            ContentSecurityPolicyTest.assertNoViolation("liveflow.mjs", r);
            JsonNode stage = r.path("stageAfterAccept");
            JsonNode full = r.path("fullStage");
            assertAll("live: " + r,
                    () -> assertTrue(r.path("watching").path("vera").path("framesDecoded").asInt() >= MIN_FRAMES, "viewer 1 watches"),
                    () -> assertTrue(r.path("watching").path("walt").path("framesDecoded").asInt() >= MIN_FRAMES, "viewer 2 watches"),
                    () -> assertEquals(2, r.path("viewerCount").path("host").path("count").asInt(), "the host's page counts 2 viewers"),
                    () -> assertTrue(r.path("viewerCount").path("host").path("text").asText().contains("2 watching")),
                    () -> assertEquals(2, r.path("viewerCount").path("walt").path("count").asInt(), "a viewer's page counts 2 too"),
                    () -> assertTrue(r.path("request").path("hostSaw").asText().contains("Vera asks to join")),
                    () -> assertEquals(2, stage.path("tiles").asInt(), "the other viewer sees two tiles on stage"),
                    () -> assertTrue(stage.path("fromVera").path("framesDecoded").asInt() >= MIN_FRAMES, "and decodes the new guest"),
                    () -> assertTrue(stage.path("fromHost").path("framesDecoded").asInt() > 0, "and still the host"),
                    () -> assertEquals(4, countOnStage(full.path("roles")), "the stage was full: " + full.path("roles")),
                    () -> assertTrue(full.path("banner").asText().contains("stage is full"), "the host is told why"),
                    () -> assertEquals("viewer", full.path("waltRole").asText(), "the 5th stays a viewer"),
                    () -> assertFalse(full.path("waltInvited").asBoolean(), "and gets no invitation"),
                    () -> assertEquals(4, full.path("waltTiles").asInt(), "who sees the 4 on stage"),
                    () -> assertEquals(3, r.path("afterExit").path("tiles").asInt(), "a guest taken off the stage leaves it"),
                    () -> assertTrue(r.path("afterExit").path("fromHost").path("framesDecoded").asInt() > 0,
                            "the viewer still sees the host in the host's tile"),
                    () -> assertEquals(r.path("afterExit").path("offers").path("before").asInt(),
                            r.path("afterExit").path("offers").path("after").asInt(),
                            "guests joining and leaving the stage sent the viewer no new subscribeOffer (fixed slots)"),
                    () -> assertTrue(r.path("screenshots").size() >= 9, "screenshots along the way"));
        }
    }

    private static long countOnStage(JsonNode roles) {
        long n = 0;
        for (JsonNode role : roles) {
            if (role.asText().equals("host") || role.asText().equals("guest")) n++;
        }
        return n;
    }
}
