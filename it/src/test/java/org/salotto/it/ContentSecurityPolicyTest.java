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
 * and space flows of the browser tests, every page watched by it/browser/lib.mjs for {@code securitypolicyviolation}
 * events and the console's "Refused to ..." reports; and a control that shows a violation is seen when there is one.
 */
class ContentSecurityPolicyTest {

    @Test
    void theCallLiveAndSpaceFlowsRunWithNoViolation() throws Exception {
        BrowserHarness.requireBrowsers();
        var harness = new BrowserHarness();
        for (String script : new String[] {"callflow.mjs", "liveflow.mjs", "space.mjs"}) {
            try (var server = TestServer.start()) {
                JsonNode r = harness.run(script, Map.of("baseUrl", server.baseUrl(),
                        "outputDir", harness.screenshots("csp-" + script.replace(".mjs", ""))), Duration.ofSeconds(180));
                JsonNode security = r.path("security");
                System.out.println(script + " security: " + security);
                assertTrue(r.path("ok").asBoolean(), script + " ran through: " + r);
                assertEquals(0, security.path("violations").size(), script + ": " + security.path("violations"));
                Set<String> pages = new HashSet<>();
                for (JsonNode d : security.path("documents")) {
                    String csp = d.path("csp").asText("");
                    assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self';")
                            && csp.contains("frame-ancestors 'none'"), d.toString());
                    pages.add(d.path("page").asText());
                }
                assertTrue(pages.size() >= 2, script + ": the policy seen on every person's page: " + security.path("documents"));
            }
        }
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
