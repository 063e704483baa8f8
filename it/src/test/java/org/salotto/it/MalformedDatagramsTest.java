package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * While three browsers are in a call, 10,000 hostile datagrams hit the media port. The call must not notice: every
 * page keeps decoding video from every other page. The server drops and counts them, and says so in a few log lines,
 * not in one line per datagram.
 */
class MalformedDatagramsTest {

    private static final int DATAGRAMS = 10_000;
    private static final int MAX_DROP_LOG_LINES = 20;

    @Test
    void aCallSurvivesHostileDatagramsAndTheServerLogsLittle() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode result;
            Map<MalformedDatagrams.Kind, Integer> sent;
            Optional<Double> dropsBefore;
            Optional<Double> dropsAfter;
            List<String> dropLines;
            try (var logs = LogLines.capture();
                 var call = harness.start("call3.mjs", Map.of(
                         "baseUrl", server.baseUrl(),
                         "room", server.createRoom("call"),
                         "outputDir", harness.reportDir().toString(),
                         "hold", true,
                         "holdMs", 90_000,
                         "settleMs", 2_000), Duration.ofSeconds(180))) {
                call.awaitEvent("ready");
                dropsBefore = server.metrics().map(MalformedDatagramsTest::droppedTotal);
                sent = new MalformedDatagrams(20_240_601L)
                        .send(new InetSocketAddress("127.0.0.1", server.mediaPort()), DATAGRAMS);
                call.send("go-on");
                result = call.result();
                dropsAfter = server.metrics().map(MalformedDatagramsTest::droppedTotal);
                dropLines = logs.mentioning("drop");
            }

            List<Executable> checks = new ArrayList<>();
            JsonNode hold = result.path("hold");
            checks.add(() -> assertTrue(hold.path("before").size() == 3, "no hold figures: " + result));
            hold.path("before").properties().forEach(page -> page.getValue().properties().forEach(remote -> {
                String who = page.getKey() + " receiving from " + remote.getKey();
                long before = remote.getValue().path("framesDecoded").asLong();
                long atGo = hold.path("atGo").path(page.getKey()).path(remote.getKey()).path("framesDecoded").asLong();
                long after = hold.path("after").path(page.getKey()).path(remote.getKey()).path("framesDecoded").asLong();
                checks.add(() -> assertTrue(atGo > before,
                        who + ": no frames decoded while the datagrams came (" + before + " -> " + atGo + ")"));
                checks.add(() -> assertTrue(after > atGo,
                        who + ": no frames decoded after the datagrams (" + atGo + " -> " + after + ")"));
            }));
            checks.add(() -> assertTrue(dropLines.size() <= MAX_DROP_LOG_LINES,
                    dropLines.size() + " log lines mention drops, more than " + MAX_DROP_LOG_LINES + "; the first: "
                            + dropLines.subList(0, Math.min(5, dropLines.size()))));
            if (dropsBefore.isPresent() && dropsAfter.isPresent()) {
                // Some may be lost in the kernel's socket buffer before the server reads them; most must be counted.
                double counted = dropsAfter.get() - dropsBefore.get();
                checks.add(() -> assertTrue(counted >= DATAGRAMS / 2.0,
                        "the server's drop counters grew by " + counted + " for " + DATAGRAMS + " datagrams sent " + sent));
            } else {
                // TODO(lead): serve Prometheus text at GET /metrics with counters whose names contain "drop"; until then
                //  the drop counting is not asserted.
                System.err.println("MalformedDatagramsTest: GET /metrics not served; drop counters not checked");
            }
            assertAll("hostile datagrams " + sent + ", call: " + hold, checks);
        }
    }

    /** The sum of every sample whose metric name contains "drop" in Prometheus text exposition format. */
    static double droppedTotal(String metrics) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int nameEnd = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            if (nameEnd <= 0 || !line.substring(0, nameEnd).toLowerCase(Locale.ROOT).contains("drop")) {
                continue;
            }
            String rest = line.indexOf('{') >= 0 ? line.substring(line.lastIndexOf('}') + 1) : line.substring(nameEnd);
            try {
                total += Double.parseDouble(rest.strip().split("\\s+")[0]);
            } catch (NumberFormatException ignored) {
                // not a sample line we understand
            }
        }
        return total;
    }
}
