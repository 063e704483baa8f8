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
import org.salotto.rooms.RoomsConfig;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/**
 * A space of 13 speakers and 10 listeners against the real server in this process, with the host moving the last
 * speaker to the audience and back. What a listener's own sockets see: at most 3 audio streams (the room's audio
 * slots, media.audience-audio-slots), each heard with no loss, the speakers heard through them, and not one subscribe
 * offer while the stage changed.
 */
class AudienceSlotsLoadTest {

    @Test
    @Timeout(90)
    void listenersGetThreeAudioSlotsAndNoOfferWhenTheStageChanges() throws Exception {
        // 13 on stage, as a space holds them (the host, 2 co-hosts, 10 speakers): the generator puts everyone but the
        // host on as a speaker, so the speakers' limit makes room for the co-hosts' 2.
        RoomsConfig d = RoomsConfig.defaults();
        RoomsConfig rooms = new RoomsConfig(d.callMaxPeople(), d.liveStageMax(), d.spaceCoHostsMax(),
                d.spaceSpeakersMax() + d.spaceCoHostsMax(), d.screenShareMaxPeople(), d.liveHostGrace(),
                d.eventBatchInterval(), d.joinTokenTtl(), d.sessionTtl(), d.resumeGrace());
        ServerConfig base = ServerConfig.forTests().withRooms(rooms);
        try (SalottoServer server = SalottoServer.start(base.withMedia(base.media().withAudienceAudioSlots(3)))) {
            LoadTestConfig config = new LoadTestConfig(ServerKind.SALOTTO, URI.create(server.baseUrl()), "slots-test",
                    "space", 13, true, 0, 3, 10, Duration.ofSeconds(8), 20, 10, 1, 0, Path.of("target/loadtest-slots"),
                    null, false, true);
            LoadResult r = new LoadRun(config, new PrintStream(OutputStream.nullOutputStream())).run();
            ReportWriter.write(r, config.report());

            assertEquals(0, r.joinsFailed(), "joins failed");
            assertEquals(10, r.listeners().size());
            assertEquals(2, r.audience().movesDone(), "the host moved a speaker to the audience and back: " + r.audience());
            for (LoadResult.Listener l : r.listeners()) {
                assertTrue(l.audioStreams() >= 1 && l.audioStreams() <= 3,
                        l.name() + " received " + l.audioStreams() + " audio streams");
                assertTrue(l.publishersHeard() >= 1, l.name() + " heard nobody");
                assertTrue(l.received() > 100, l.name() + " received only " + l.received());
                assertTrue(l.lossRatio() < 0.01, l.name() + " lost " + l.lost() + " of " + l.expected());
                assertEquals(0, l.offersDuringMoves(), l.name() + " got subscribe offers while the stage changed");
                assertEquals(1, l.offers(), l.name() + ": one subscribe offer for the whole run, 13 speakers joining");
            }
        }
    }
}
