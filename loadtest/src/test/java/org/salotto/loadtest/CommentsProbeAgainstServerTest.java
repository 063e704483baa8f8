package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.rooms.limits.Limits;
import org.salotto.rooms.limits.Rate;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/**
 * {@code salotto loadtest comments} against the real server in this process, small: 50 viewers, 5 comments a second
 * for 3 s. A correctness check, not a speed check: every viewer receives every comment, and the figures are printed.
 * The server keeps its default comment limit (5 per 10 s a person), so the run must spread the comments over enough
 * commenters to be refused none.
 */
class CommentsProbeAgainstServerTest {

    @Test
    @Timeout(120)
    void everyViewerReceivesEveryComment() throws Exception {
        ServerConfig config = ServerConfig.forTests()
                .withLimits(Limits.relaxed().withComments(Rate.of(5, Duration.ofSeconds(10))));
        try (SalottoServer server = SalottoServer.start(config)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = LoadTest.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("comments", "--url", server.baseUrl(), "--viewers", "50", "--rate", "5", "--duration", "3s",
                            "--join-rate", "50", "--server-pid", Long.toString(ProcessHandle.current().pid()));
            String text = out.toString();
            System.out.print(text);
            assertEquals(0, status, text + err);

            assertTrue(text.contains("50 viewers (guests over the room WebSocket), 50 joined"), text);
            assertTrue(text.contains("no media published or watched"), text);
            // 5/s over 0.4/s each: 13 commenters, each well under 5 per 10 s.
            assertTrue(text.contains("comments: 15 sent at 5.0/s for 3.0 s by 13 commenters"), text);
            assertTrue(text.contains("error frames during the comments: none"), text);
            assertTrue(text.contains("expected 750, received 750, missing 0, duplicates 0"), text);
            Matcher delay = Pattern.compile("p50 ([0-9.]+)  p95 ([0-9.]+)  p99 ([0-9.]+)  max ([0-9.]+)  \\((\\d+) samples\\)")
                    .matcher(text);
            assertTrue(delay.find(), text);
            assertEquals(750, Long.parseLong(delay.group(5)), text);
            double p50 = Double.parseDouble(delay.group(1));
            double max = Double.parseDouble(delay.group(4));
            assertTrue(p50 > 0 && p50 <= max, text);
            Matcher cpu = Pattern.compile("([0-9.]+) CPU s per s, ([0-9.]+) CPU s per 1,000 deliveries").matcher(text);
            assertTrue(cpu.find(), text);
            assertTrue(Double.parseDouble(cpu.group(1)) > 0, text);
        }
    }
}
