package org.salotto.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;
import org.salotto.signaling.SignalingException;

/**
 * Jazzer target for {@link FrameCodec#decode(String)}, which reads every text frame a client sends on the room
 * WebSocket. Contract: a request, or a {@link SignalingException} with one of the edge's codes (bad_json,
 * bad_message, unknown_type), never another exception. Round trip: a frame read, written again, reads back equal.
 * (The seeded {@code ClientFrameFuzzTest} beside it mutates at random; this one is coverage-guided.) Corpus:
 * {@code src/test/resources/org/salotto/signaling/protocol/ClientFrameJazzerFuzzTestInputs/decode/} (one real frame
 * of each type, from {@code protocol/client-frames}).
 */
class ClientFrameJazzerFuzzTest {
    private static final Set<ErrorCode> EDGE = Set.of(ErrorCode.BAD_JSON, ErrorCode.BAD_MESSAGE, ErrorCode.UNKNOWN_TYPE);

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        FrameCodec.Request r;
        try {
            r = FrameCodec.decode(text);
        } catch (SignalingException e) {
            if (!EDGE.contains(e.errorCode())) throw new AssertionError("refused with " + e.errorCode(), e);
            return;
        }
        String again = FrameCodec.json((Record) r.frame());
        try {
            assertEquals(r.frame(), FrameCodec.decode(again).frame(), "read back differently: " + again);
        } catch (SignalingException e) {
            throw new AssertionError("a frame written from one read does not read: " + again, e);
        }
    }

    /** Writes the corpus from {@code src/test/resources/protocol/client-frames}. */
    @Test
    void writeSeeds() throws IOException, URISyntaxException {
        Path dir = Path.of(ClientFrameJazzerFuzzTest.class.getResource("/protocol/client-frames").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                FuzzSeeds.write(ClientFrameJazzerFuzzTest.class, "decode", p.getFileName().toString().replace(".json", ""),
                        Files.readAllBytes(p));
            }
        }
    }
}
