package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/**
 * A live of one simulcast publisher (q, h, f at 62, 125 and 312 kbit/s) and 6 viewers against the real server in this
 * process, half of them showing it small (320x180) and half large (1280x720). What each viewer's own socket sees: the
 * small ones the low layer, the large ones the high layer (by the layer index in the packets they decrypt), fewer
 * bytes for the small ones, no loss; and the publisher, told by dynacast that nobody needs the middle layer, paused it
 * (with the pause delay shortened to 1 s, run past).
 */
class SimulcastLoadTest {

    @Test
    @Timeout(90)
    void smallTilesGetTheLowLayerLargeTheHighAndNobodysLayerIsPaused() throws Exception {
        ServerConfig base = ServerConfig.forTests();
        try (SalottoServer server = SalottoServer.start(
                base.withMedia(base.media().withDynacastPauseDelay(Duration.ofSeconds(1))))) {
            LoadTestConfig config = new LoadTestConfig(ServerKind.SALOTTO, URI.create(server.baseUrl()), "simulcast-test",
                    "live", 1, true, 500, 3, 6, Duration.ofSeconds(8), 20, 2, 1, 0, Path.of("target/loadtest-simulcast"),
                    null, false, false, true, LoadTestConfig.viewerSizes("small:1,large:1"));
            LoadResult r = new LoadRun(config, new PrintStream(OutputStream.nullOutputStream())).run();
            ReportWriter.write(r, config.report());

            assertEquals(0, r.joinsFailed(), "joins failed");
            assertEquals(6, r.listeners().size());
            assertEquals(3, r.ridsAcked(), "the server's reports named each layer's SSRC");
            assertTrue(r.layersPaused() >= 1, "dynacast paused nothing: " + r.layersPaused());
            double small = 0, large = 0;
            for (LoadResult.Listener l : r.listeners()) {
                LoadResult.Video v = l.video();
                assertEquals(1, v.streams(), l.name() + ": one camera");
                assertTrue(l.lossRatio() < 0.01, l.name() + " lost " + l.lost() + " of " + l.expected());
                int want = v.size().equals("small") ? SimulcastLayer.LOW.index() : SimulcastLayer.HIGH.index();
                long[] s = v.sampledByLayer();
                long total = java.util.Arrays.stream(s).sum();
                // Every viewer starts on the top layer until its size is taken and the next keyframe comes.
                assertTrue(s[want] >= 0.75 * total, l.name() + " (" + v.size() + ") got layers "
                        + java.util.Arrays.toString(s));
                if (v.size().equals("small")) small += v.kbpsPerStream(); else large += v.kbpsPerStream();
            }
            assertTrue(small * 2.5 < large, "small viewers " + small / 3 + " kbit/s, large " + large / 3);
        }
    }
}
