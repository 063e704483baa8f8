package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Screen sharing in a call as people see it, on a desktop window (1280x800) and on a phone (390x844): while one person
 * shares (Chromium's fake capture), the other sees the screen large on the stage and the cameras small in a strip
 * (beside the stage on the desktop, below it on the phone), decodes the screen at its full width and the camera in the
 * strip at its low layer; the sharer sees that they share and a Stop sharing button; a tile can be pinned and unpinned,
 * with the mouse during the share and from the keyboard after; when sharing stops, the grid of equal tiles returns.
 * The script (it/browser/screenshare.mjs) checks every box it measures (nothing clipped, overlapping, or under the
 * controls) and saves a screenshot of each step under target/browser/.
 */
class ScreenShareTest {

    @Test
    void theScreenTakesTheStageWithTheCamerasInAStripAndTheGridComesBack() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode result = harness.run("screenshare.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "rooms", Map.of("desktop", server.createRoom("call"), "phone", server.createRoom("call")),
                    "outputDir", harness.reportDir().toString()), Duration.ofSeconds(240));
            assertTrue(result.path("ok").asBoolean(), "the run failed: " + result);
            for (String size : new String[] {"desktop", "phone"}) {
                JsonNode run = result.path(size);
                String where = size + ": " + run;
                // The strip: beside the stage on a wide window, below it on an upright one.
                assertEquals(size.equals("desktop"), run.path("sharing").path("side").asBoolean(), "strip side, " + where);
                assertTrue(run.path("sharingProblems").isEmpty(), "the stage and strip as seen, " + where);
                JsonNode stage = run.path("sharing").path("stage");
                long stageArea = stage.path("width").asLong() * stage.path("height").asLong();
                for (JsonNode tile : run.path("sharing").path("strip")) {
                    long tileArea = tile.path("width").asLong() * tile.path("height").asLong();
                    assertTrue(stageArea >= 3 * tileArea, "the screen at least 3 times a strip tile, " + where);
                }
                assertEquals("contain", run.path("sharing").path("stageFit").asText(), "the screen is fit whole, " + where);
                // The widths decoded: the screen at the full width sent, the strip's camera at the lowest layer.
                JsonNode decoded = run.path("decodedWhileSharing");
                assertEquals(run.path("screenWidest").asInt(), decoded.path("screen").path("frameWidth").asInt(), where);
                assertEquals(run.path("cameraLowest").asInt(), decoded.path("camera").path("frameWidth").asInt(), where);
                assertTrue(decoded.path("screen").path("frameWidth").asInt() > decoded.path("camera").path("frameWidth").asInt(),
                        "the screen wider than the strip's camera, " + where);
                // The sizes told to the server follow the layout: the strip's small tile, then the grid's large one.
                assertTrue(run.path("videoSizeInGrid").path("width").asInt() > 2 * run.path("videoSizeInStrip").path("width").asInt(),
                        "videoSize grows from the strip to the grid, " + where);
                assertTrue(run.path("sharerProblems").isEmpty(), "the sharer's view, " + where);
                assertTrue(run.path("gridReturnedMs").asLong(-1) >= 0 && run.path("gridReturnedMs").asLong() <= 2000,
                        "the grid within 2 s of the stop, " + where);
                assertTrue(run.path("gridAreaRatio").asDouble() <= 1.01, "grid tiles of one size again, " + where);
                assertTrue(run.path("sharerGridReturned").asBoolean(), "the sharer's grid comes back, " + where);
                assertTrue(run.path("pinLabel").asText().startsWith("Unpin"), "a pinned tile offers to unpin, " + where);
                assertTrue(run.path("keyboardUnpinned").asBoolean(), "unpinned from the keyboard, " + where);
            }
        }
    }
}
