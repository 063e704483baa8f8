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
 * The call flow of the web app, clicks and typing only (it/browser/callflow.mjs): a host creates a call room that
 * knocks and copies its link; a guest opens it, types a name and waits in the lobby; the host admits them; both decode
 * each other's video; the host removes the guest, who is told and cannot come back by the link. Once on a desktop
 * screen, once on a phone's (390x844).
 */
class WebCallFlowTest {

    private static final int MIN_FRAMES = 30;

    @Test
    void onADesktop() throws Exception {
        flow(false, "call");
    }

    @Test
    void onAPhone() throws Exception {
        flow(true, "call-phone");
    }

    private static void flow(boolean phone, String name) throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode r = harness.run("callflow.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "outputDir", harness.screenshots(name),
                    "phone", phone,
                    "minFrames", MIN_FRAMES), Duration.ofSeconds(150));
            System.out.println(name + ": " + r);
            ContentSecurityPolicyTest.assertNoViolation(name, r);
            assertAll(name + ": " + r,
                    () -> assertTrue(r.path("link").asText().startsWith(server.baseUrl() + "/r/"), "the copied link is the room's"),
                    () -> assertTrue(r.path("lobby").path("shown").asText().contains("Waiting to be let in"), "the guest sees the lobby"),
                    () -> assertTrue(r.path("lobby").path("hostSaw").asText().contains("Gus Guest"), "the host sees who knocks"),
                    () -> assertEquals("host", r.path("host").path("role").asText()),
                    () -> assertEquals("participant", r.path("guest").path("role").asText()),
                    () -> assertTrue(r.path("frames").path("hostFromGuest").path("framesDecoded").asInt() >= MIN_FRAMES, "the host sees the guest"),
                    () -> assertTrue(r.path("frames").path("guestFromHost").path("framesDecoded").asInt() >= MIN_FRAMES, "the guest sees the host"),
                    () -> assertTrue(r.path("frames").path("hostFromGuest").path("elementWidth").asInt() > 0, "the guest's tile shows a picture"),
                    () -> assertTrue(r.path("frames").path("guestFromHost").path("elementWidth").asInt() > 0, "the host's tile shows a picture"),
                    () -> assertTrue(r.path("removed").path("title").asText().contains("removed"), "the guest is told they were removed"),
                    () -> assertTrue(r.path("guestGoneFromHost").asBoolean(), "the guest is gone from the host's room"),
                    () -> assertEquals("banned", r.path("comeBack").path("code").asText(), "the link does not let the guest back in"),
                    () -> assertTrue(r.path("comeBack").path("text").asText().contains("cannot come back")),
                    () -> assertFalse(r.path("hostMembersAfter").toString().contains("Gus"), "nobody called Gus is in the room"),
                    () -> assertTrue(r.path("screenshots").size() >= 9, "screenshots along the way"));
        }
    }
}
