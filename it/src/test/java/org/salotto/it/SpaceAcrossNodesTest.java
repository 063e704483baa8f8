package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salotto.server.SalottoServer;

/**
 * A space across three nodes of one cluster in Chromium, through the web app (it/browser/space-nodes.mjs; issue 16,
 * "Must show"): the host speaks on the room's owner, listeners who opened the room's link on the two other nodes hear
 * them; the one on node 3 raises a hand, is made a speaker by the host and is heard on node 2 (their page moved to the
 * owner by itself). Then node 2 is killed ({@link SalottoServer#kill()}: its lease lapses as after {@code kill -9}):
 * its page is back in the room, through another node, hearing the host, within 5 s, without a reload. Last the room's
 * owner is killed the same way: the room opens again on the node left, the host's page comes back there as the host
 * by itself (by resume, a new connection to publish on, or by a fresh join) and the listener hears her again, within
 * 10 s.
 */
class SpaceAcrossNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void listenersOnOtherNodesHearTheStageAndComeBackThroughAnotherNodeWhenTheirsIsKilled() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var cluster = new ClusterOfThree("spacenodes")) {
            var harness = new BrowserHarness();
            SalottoServer first = cluster.nodes.getFirst();
            try (var run = harness.start("space-nodes.mjs", Map.of(
                    "firstNode", first.baseUrl(),
                    "outputDir", harness.screenshots("space-nodes")), Duration.ofSeconds(180))) {
                String room = run.awaitEvent("created").path("room").asText();
                SalottoServer owner = cluster.owner(room);
                List<SalottoServer> edges = cluster.edges(owner);
                SalottoServer two = edges.get(0);
                String ownerUrl = owner.baseUrl(), twoUrl = two.baseUrl(), threeUrl = edges.get(1).baseUrl();
                run.send(JSON.writeValueAsString(Map.of("owner", ownerUrl, "edge2", twoUrl, "edge3", threeUrl)));
                run.awaitEvent("ready");
                long killedAt = System.currentTimeMillis();
                cluster.kill(two);
                run.send("killed " + killedAt);
                run.awaitEvent("ready for the owner");
                long ownerKilledAt = System.currentTimeMillis();
                cluster.kill(owner);
                run.send("killed " + ownerKilledAt);
                JsonNode result = run.result();
                JsonNode back = result.path("back");
                System.out.printf("space across nodes: node 2's page back through %s in %d ms (%s; reconnecting shown: %s)%n",
                        back.path("node").asText(), back.path("ms").asLong(), back.path("how").asText(),
                        back.path("reconnectingSeen").asBoolean());
                System.out.println("space across nodes: " + result);
                // The pages reach the other nodes (the owner, and after the kill another node) within their policy.
                ContentSecurityPolicyTest.assertNoViolation("space-nodes.mjs", result);

                assertEquals(twoUrl, result.path("two").path("node").asText(), "node 2's listener came through node 2: " + result);
                assertEquals(threeUrl, result.path("three").path("node").asText(), "node 3's through node 3: " + result);
                assertTrue(result.path("two").path("heardHost").path("audioLevel").asDouble() > 0, "node 2's listener hears the host: " + result);
                assertTrue(result.path("three").path("heardHost").path("audioLevel").asDouble() > 0, "node 3's listener hears the host: " + result);
                assertEquals(ownerUrl, result.path("three").path("movedTo").asText(),
                        "made a speaker, node 3's listener moved to the owner: " + result);
                assertTrue(result.path("three").path("heardOnTwo").path("audioLevel").asDouble() > 0,
                        "node 2's listener hears the new speaker: " + result);
                assertEquals("in", back.path("phase").asText(), "node 2's page is back in the room: " + result);
                assertEquals("connected", back.path("link").asText(), result.toString());
                assertTrue(back.path("notice").isNull(), "no end screen: " + result);
                assertNotEquals(twoUrl, back.path("node").asText(), "through another node: " + result);
                assertTrue(back.path("how").asText().equals("resume") || back.path("how").asText().equals("fresh join"),
                        "it came back by itself: " + result);
                assertEquals(back.path("loadsBefore").asText(), back.path("loadsAfter").asText(), "no reload: " + result);
                assertTrue(back.path("ms").asLong() <= 5000, "back and hearing within 5 s of the kill: " + result);
                JsonNode hostBack = result.path("afterOwner").path("host");
                JsonNode heardAgain = result.path("afterOwner").path("two");
                System.out.printf("space across nodes: the owner killed: the host back through %s in %d ms (%s), heard again on node 2's page in %d ms%n",
                        hostBack.path("node").asText(), hostBack.path("ms").asLong(), hostBack.path("how").asText(), heardAgain.path("ms").asLong());
                assertEquals(threeUrl, hostBack.path("node").asText(), "the host came back through the node left: " + result);
                assertTrue(hostBack.path("sameRole").asBoolean(), "as the host: " + result);
                // By resume as the same participant when the room took her back (RoomMovesTest checks that at the
                // protocol level), or by a fresh join when her resume found no room yet: either way by itself.
                boolean resumed = hostBack.path("how").asText().equals("resume");
                assertTrue(!resumed || hostBack.path("sameId").asBoolean(), "a resume keeps her participant: " + result);
                assertTrue(!resumed || hostBack.path("newSubscriberConnections").asInt() > 0,
                        "the room that changed hands sent her a new connection (transportClosed): " + result);
                assertTrue(hostBack.path("notice").isNull(), "no end screen for the host: " + result);
                assertEquals(hostBack.path("loadsBefore").asText(), hostBack.path("loadsAfter").asText(), "no reload: " + result);
                assertTrue(hostBack.path("ms").asLong() <= 10_000, "the host back within 10 s of the owner's loss: " + result);
                assertTrue(heardAgain.path("sameId").asBoolean(), "the listener on node 2 is still themselves: " + result);
                assertTrue(heardAgain.path("ms").asLong() <= 10_000, "and hears the host again within 10 s: " + result);
                assertTrue(result.path("screenshots").size() >= 9, "screenshots along the way: " + result);
            }
        }
    }
}
