package org.salotto.signaling.sdp;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Random mutations of real SDP: every network-facing entry point must either succeed or throw {@link SdpException},
 * never anything else. Seeded, so a failure reproduces; the failing input is printed.
 */
class SdpFuzzTest {
    private static final int ITERATIONS = 10_000;
    private static final String[] TOKENS = {"\r\n", "\n", "\r", "\u0000", " ", "  ", ":", "/", "=", ";", "a=", "m=",
            "0", "-1", "127", "128", "255", "65536", "4294967296", "99999999999999999999", "\u20ac", "\ud83d\ude00",
            "\ud800", "a=mid:", "a=ssrc-group:FID ", "a=extmap:", "a=rtpmap:96 ", "a=fmtp:96 apt=", "a=setup:passive",
            "a=rtcp-fb:* ", "m=video 9 UDP/TLS/RTP/SAVPF", "m=audio 0 X 0", "a=fingerprint:sha-256 ", "AB:", "H264", "VP8"};

    @Test
    void mutatedOffersAndAnswersFailOnlyWithSdpException() {
        List<String> seeds = List.of(Fixtures.read(Fixtures.CHROME_OFFER), Fixtures.read(Fixtures.H264_ONLY_OFFER),
                Fixtures.read(Fixtures.CHROME_SUBSCRIBER_ANSWER));
        SplittableRandom random = new SplittableRandom(0x5a1077L);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = seeds.get(random.nextInt(seeds.size()));
            int mutations = 1 + random.nextInt(4);
            for (int k = 0; k < mutations; k++) input = mutate(input, random);
            try {
                SdpParser.parse(input);
                accepted++;
            } catch (SdpException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("parser threw " + e + " on input #" + i + ":\n" + input, e);
            }
            try {
                new PublisherNegotiation(Fixtures.SERVER, 1).answer(input, Map.of());
            } catch (SdpException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("publisher negotiation threw " + e + " on input #" + i + ":\n" + input, e);
            }
            try {
                SubscriberAnswer.read(input);
            } catch (SdpException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("subscriber answer threw " + e + " on input #" + i + ":\n" + input, e);
            }
        }
        if (accepted == 0) fail("no mutated input parsed: the mutations are too destructive to test anything");
    }

    @Test
    void hugeAndDegenerateInputsFailOnlyWithSdpException() {
        List<String> inputs = List.of("v=0", "v=0\r\n".repeat(20_000), "\r\n".repeat(40_000), "x".repeat(1 << 20),
                "v=0\no=- 1 1 IN IP4 0\ns=-\nt=0 0\n" + "m=audio 9 UDP/TLS/RTP/SAVPF 0\n".repeat(65),
                "\u20ac".repeat(30_000), "=", "a=", "v=0\r\no=\r\n");
        for (String input : inputs) {
            try {
                SdpParser.parse(input);
                new PublisherNegotiation(Fixtures.SERVER, 1).answer(input, Map.of());
            } catch (SdpException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("threw " + e + " on input of " + input.length() + " chars", e);
            }
        }
    }

    private static String mutate(String s, SplittableRandom r) {
        if (s.isEmpty()) return TOKENS[r.nextInt(TOKENS.length)];
        int at = r.nextInt(s.length());
        return switch (r.nextInt(7)) {
            case 0 -> s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + r.nextInt(40))); // delete a run
            case 1 -> s.substring(0, at) + TOKENS[r.nextInt(TOKENS.length)] + s.substring(at); // insert a token
            case 2 -> s.substring(0, at) + (char) r.nextInt(0x80) + s.substring(at + 1); // replace a character
            case 3 -> { // duplicate a line
                int start = s.lastIndexOf('\n', at) + 1;
                int end = s.indexOf('\n', at);
                String line = s.substring(start, end < 0 ? s.length() : end + 1);
                yield s.substring(0, start) + line + s.substring(start);
            }
            case 4 -> s.substring(0, at); // truncate
            case 5 -> { // swap a digit run for an extreme number
                int d = at;
                while (d < s.length() && !Character.isDigit(s.charAt(d))) d++;
                int e = d;
                while (e < s.length() && Character.isDigit(s.charAt(e))) e++;
                String[] numbers = {"0", "65535", "65536", "2147483648", "4294967295", "4294967296", "18446744073709551616"};
                yield s.substring(0, d) + numbers[r.nextInt(numbers.length)] + s.substring(e);
            }
            default -> { // drop a whole line
                int start = s.lastIndexOf('\n', at) + 1;
                int end = s.indexOf('\n', at);
                yield s.substring(0, start) + (end < 0 ? "" : s.substring(end + 1));
            }
        };
    }
}
