package org.salotto.rooms.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomException;

/**
 * The tokens a client presents (join tokens on {@code join}, resume tokens on {@code resume}, guest tokens on every
 * request) are parsers facing the network. Random mutations of a committed corpus of real tokens (signed with the
 * fixed key below) must be refused with a {@link RoomException} or read as exactly what was signed: never another
 * exception, never a different grant. Seeded, so a failure reproduces.
 */
class TokenFuzzTest {
    private static final int ITERATIONS = 20_000;
    /** The key the corpus was signed with (tests only). */
    private static final byte[] KEY = "salotto-fuzz-corpus-key-32-bytes".getBytes(StandardCharsets.US_ASCII);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String[] PIECES = {".", "..", "=", "-", "_", "+", "/", "\u0000", "\u20ac", "A", "j1.", "r1.",
            "g1.", "g2.", "eyJ", "e30", "%00", " ", "\n", "9".repeat(40)};

    private final Tokens tokens = new Tokens(new TokenSigner(KEY), CLOCK);

    @Test
    void theCorpusIsReadAsSigned() throws Exception {
        List<String> corpus = corpus();
        assertTrue(corpus.size() >= 6, "the committed corpus is there");
        for (String t : corpus) {
            if (t.startsWith("j1.")) assertEquals("room1", tokens.readJoinToken(t).roomId());
            else if (t.startsWith("r1.")) assertEquals("room1", tokens.readResumeToken(t).roomId());
            else assertEquals(20, tokens.guestId(t).length());
        }
    }

    @Test
    void mutatedTokensAreRefusedOrReadAsSigned() throws Exception {
        List<String> corpus = corpus();
        SplittableRandom random = new SplittableRandom(0x70c3e5L);
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String original = corpus.get(random.nextInt(corpus.size()));
            String input = original;
            for (int k = 1 + random.nextInt(3); k > 0; k--) input = mutate(input, random);
            try {
                Tokens.JoinGrant g = tokens.readJoinToken(input);
                // A signature holds only for what was signed: the same grant, whatever the mutation did.
                assertEquals(tokens.readJoinToken(original), g, "a mutated join token read as another grant: " + input);
            } catch (RoomException expected) {
                refused++;
            } catch (RuntimeException e) {
                fail("readJoinToken threw " + e + " on input #" + i + ": " + input, e);
            }
            try {
                Tokens.ResumeGrant g = tokens.readResumeToken(input);
                assertEquals(tokens.readResumeToken(original), g, "a mutated resume token read as another grant: " + input);
            } catch (RoomException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("readResumeToken threw " + e + " on input #" + i + ": " + input, e);
            }
            try {
                String guest = tokens.guestId(input);
                if (guest != null) assertEquals(tokens.guestId(original), guest, "a mutated guest token: " + input);
            } catch (RuntimeException e) {
                fail("guestId threw " + e + " on input #" + i + ": " + input, e);
            }
        }
        assertTrue(refused > ITERATIONS / 2, "the mutations reach the checks");
    }

    private static String mutate(String s, SplittableRandom r) {
        if (s.isEmpty()) return PIECES[r.nextInt(PIECES.length)];
        int at = r.nextInt(s.length());
        return switch (r.nextInt(5)) {
            case 0 -> s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + r.nextInt(8)));
            case 1 -> s.substring(0, at) + PIECES[r.nextInt(PIECES.length)] + s.substring(at);
            case 2 -> s.substring(0, at) + (char) (s.charAt(at) ^ (1 << r.nextInt(7))) + s.substring(at + 1);
            case 3 -> s.substring(0, at);
            default -> s + s.substring(at);
        };
    }

    /** The committed corpus; {@code main} writes it again (after a change to the token formats). */
    private static List<String> corpus() throws IOException {
        try (InputStream in = TokenFuzzTest.class.getResourceAsStream("/fuzz/tokens.txt")) {
            if (in == null) throw new IOException("src/test/resources/fuzz/tokens.txt is missing");
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }

    public static void main(String[] args) {
        Tokens t = new Tokens(new TokenSigner(KEY), CLOCK);
        System.out.println("# Seeds of TokenFuzzTest, signed with its key: join, resume and guest tokens.");
        System.out.println(t.joinToken("room1", "g:aaaaaaaaaaaaaaaaaaaa", "Ann", Duration.ofDays(36500)));
        System.out.println(t.joinToken("room1", "a:42", "Héloïse 🎉", Duration.ofDays(36500)));
        System.out.println(t.joinToken("room1", "k:key1:user-7", "An app's user", Duration.ofDays(36500)));
        System.out.println(t.resumeToken("room1", "pABCDEFGHIJKLMN", "g:aaaaaaaaaaaaaaaaaaaa"));
        System.out.println(t.resumeToken("room1", "p01234567890123", "a:42"));
        System.out.println(t.newGuestToken());
        System.out.println(t.newGuestToken());
    }
}
