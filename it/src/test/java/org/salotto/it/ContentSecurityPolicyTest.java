package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The web app runs under its Content-Security-Policy with no violation (issue 11, docs/security.md): the call, live
 * and space flow tests ({@link WebCallFlowTest}, {@link WebLiveFlowTest}, {@link SpaceStageTest}) check every page of
 * their run, watched by it/browser/lib.mjs for {@code securitypolicyviolation} events and the console's "Refused to
 * ..." reports, with {@link #assertNoViolation}; here, the control that shows a violation is seen when there is one.
 */
class ContentSecurityPolicyTest {

    /**
     * What the call, live and space flow tests check of their run's {@code security} (every page of the flow watched by
     * it/browser/lib.mjs): no violation, and the policy on every person's page. Checked there, in the runs those tests
     * make anyway, rather than by running the three flows a second time here.
     */
    static void assertNoViolation(String flow, JsonNode result) {
        JsonNode security = result.path("security");
        assertEquals(0, security.path("violations").size(), flow + ": " + security.path("violations"));
        Set<String> pages = new HashSet<>();
        for (JsonNode d : security.path("documents")) {
            String csp = d.path("csp").asText("");
            assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self';")
                    && csp.contains("frame-ancestors 'none'"), d.toString());
            pages.add(d.path("page").asText());
        }
        assertTrue(pages.size() >= 2, flow + ": the policy seen on every person's page: " + security.path("documents"));
    }

    @Test
    void aViolationIsSeenWhenThereIsOne() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            JsonNode r = new BrowserHarness().run("cspprobe.mjs", Map.of("baseUrl", server.baseUrl()), Duration.ofSeconds(60));
            System.out.println("probe: " + r);
            assertTrue(r.path("ok").asBoolean(), r.toString());
            assertFalse(r.path("inlineRan").asBoolean(), "the inline script was blocked");
            Set<String> directives = new HashSet<>();
            for (JsonNode v : r.path("security").path("violations")) {
                if (v.path("via").asText().equals("event")) directives.add(v.path("directive").asText());
            }
            assertTrue(directives.contains("script-src-elem") && directives.contains("connect-src"),
                    "the inline script, the foreign script and the foreign WebSocket were reported: " + r.path("security"));
        }
    }
}
