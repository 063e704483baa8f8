package org.salotto.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.salotto.signaling.SignalingException;

/**
 * Random mutations of real client frames (the corpus in {@code src/test/resources/protocol/client-frames}): the
 * parser that faces every socket either reads a frame or refuses it with one of the edge's codes, never anything else;
 * and what it reads, written again, reads back the same. Seeded, so a failure reproduces; the failing input is printed.
 */
class ClientFrameFuzzTest {
    private static final int ITERATIONS = 20_000;
    private static final Set<ErrorCode> EDGE = Set.of(ErrorCode.BAD_JSON, ErrorCode.BAD_MESSAGE, ErrorCode.UNKNOWN_TYPE);
    private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "null", "true",
            "false", "0", "-1", "1.5", "1e400", "99999999999999999999", "NaN", "\"type\"", "\"id\"", "\"sdp\"", "\"token\"",
            "\"sources\"", "\"version\"", "\"mic\"", "\"webcam\"", "\"join\"", "\"publish\"", "\"\"", "\u20ac",
            "\ud83d\ude00", "\ud800", " ", "\n", "[[[[[[[[[[[[[[[[[[[[", "{\"a\":"};

    @Test
    void mutatedFramesAreReadOrRefusedWithAnEdgeCode() throws IOException, URISyntaxException {
        List<String> corpus = corpus();
        assertTrue(corpus.size() >= 12, "the corpus holds a frame of each type");
        SplittableRandom random = new SplittableRandom(0x5a1077L);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = corpus.get(random.nextInt(corpus.size()));
            int mutations = 1 + random.nextInt(3);
            for (int k = 0; k < mutations; k++) input = mutate(input, random);
            try {
                FrameCodec.Request r = FrameCodec.decode(input);
                accepted++;
                assertEquals(r.frame(), FrameCodec.decode(FrameCodec.json((Record) r.frame())).frame(),
                        "read back differently: input #" + i + ":\n" + input);
            } catch (SignalingException e) {
                if (!EDGE.contains(e.errorCode())) fail("refused with " + e.errorCode() + " on input #" + i + ":\n" + input);
            } catch (RuntimeException e) {
                fail("the parser threw " + e + " on input #" + i + ":\n" + input, e);
            }
        }
        if (accepted == 0) fail("no mutated frame was read: the mutations are too destructive to test anything");
    }

    @Test
    void everyFrameOfTheCorpusIsRead() throws Exception {
        for (String frame : corpus()) FrameCodec.decode(frame);
    }

    @Test
    void hugeAndDegenerateInputsAreRefused() {
        List<String> inputs = List.of("[".repeat(10_000), "{\"type\":" + "[".repeat(1000), "\"" + "x".repeat(1 << 20) + "\"",
                "{\"type\":\"join\",\"token\":\"" + "x".repeat(70_000) + "\"}", "{\"type\":\"ping\",\"id\":" + "9".repeat(40) + "}",
                "\u0000", "{\"type\":\"ping\"} trailing", "{\"type\":\"ping\",\"id\":-0}");
        for (String input : inputs) {
            try {
                FrameCodec.decode(input);
            } catch (SignalingException e) {
                if (!EDGE.contains(e.errorCode())) fail("refused with " + e.errorCode() + ": " + input.length() + " chars");
            } catch (RuntimeException e) {
                fail("threw " + e + " on input of " + input.length() + " chars", e);
            }
        }
    }

    private static List<String> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(ClientFrameFuzzTest.class.getResource("/protocol/client-frames").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static String mutate(String s, SplittableRandom r) {
        if (s.isEmpty()) return TOKENS[r.nextInt(TOKENS.length)];
        int at = r.nextInt(s.length());
        return switch (r.nextInt(6)) {
            case 0 -> s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + r.nextInt(20))); // delete a run
            case 1 -> s.substring(0, at) + TOKENS[r.nextInt(TOKENS.length)] + s.substring(at); // insert a token
            case 2 -> s.substring(0, at) + (char) r.nextInt(0x80) + s.substring(at + 1); // replace a character
            case 3 -> s.substring(0, at); // truncate
            case 4 -> { // replace a string value or key by another token
                int q = s.indexOf('"', at);
                int end = q < 0 ? -1 : s.indexOf('"', q + 1);
                yield end < 0 ? s : s.substring(0, q) + TOKENS[r.nextInt(TOKENS.length)] + s.substring(end + 1);
            }
            default -> { // duplicate a run
                int end = Math.min(s.length(), at + 1 + r.nextInt(30));
                yield s.substring(0, end) + s.substring(at, end) + s.substring(end);
            }
        };
    }
}
