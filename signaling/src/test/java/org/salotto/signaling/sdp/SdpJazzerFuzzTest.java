package org.salotto.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;

/**
 * Jazzer targets for the SDP a browser sends in a publish or subscribe message: {@link SdpParser#parse},
 * {@link PublisherNegotiation#answer} and {@link SubscriberAnswer#read}. Contract: a result or {@link SdpException},
 * never another exception, and no hang. Round trips: a parsed description written by {@code toSdp()} parses back to
 * the same text; an answer Salotto makes is SDP its own parser reads. (The seeded {@code SdpFuzzTest} beside this
 * mutates the same fixtures at random; this one is coverage-guided.) Corpus:
 * {@code src/test/resources/org/salotto/signaling/sdp/SdpJazzerFuzzTestInputs/} (Chrome's offers and answers).
 */
class SdpJazzerFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        String sdp = new String(input, StandardCharsets.UTF_8);
        SessionDescription d;
        try {
            d = SdpParser.parse(sdp);
        } catch (SdpException refused) {
            return;
        }
        String written = d.toSdp();
        try {
            assertEquals(written, SdpParser.parse(written).toSdp(), "written SDP does not read back the same");
        } catch (SdpException e) {
            throw new AssertionError("SDP written from a parsed description does not parse: " + e.getMessage()
                    + "\n" + written, e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void publisherAnswer(byte[] input) {
        PublisherAnswer answer;
        try {
            answer = new PublisherNegotiation(Fixtures.SERVER, 1).answer(new String(input, StandardCharsets.UTF_8),
                    Map.of("0", "mic", "1", "camera"));
        } catch (SdpException refused) {
            return;
        }
        try {
            SdpParser.parse(answer.sdp());
        } catch (SdpException e) {
            throw new AssertionError("Salotto's answer does not parse: " + e.getMessage() + "\n" + answer.sdp(), e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void subscriberAnswer(byte[] input) {
        try {
            SubscriberAnswer a = SubscriberAnswer.read(new String(input, StandardCharsets.UTF_8));
            a.hasTransport();
            a.accepted("0");
        } catch (SdpException refused) {
            // declared
        }
    }

    /** Writes the corpus from the SDP fixtures (src/test/resources/sdp). */
    @Test
    void writeSeeds() {
        for (String name : new String[] {Fixtures.CHROME_OFFER, Fixtures.H264_ONLY_OFFER, Fixtures.CHROME_SUBSCRIBER_ANSWER,
                "salotto-subscriber-offer.sdp"}) {
            byte[] sdp = Fixtures.read(name).getBytes(StandardCharsets.UTF_8);
            String seed = name.replace(".sdp", "");
            FuzzSeeds.write(SdpJazzerFuzzTest.class, "parse", seed, sdp);
            if (name.contains("publisher")) FuzzSeeds.write(SdpJazzerFuzzTest.class, "publisherAnswer", seed, sdp);
            if (name.contains("answer")) FuzzSeeds.write(SdpJazzerFuzzTest.class, "subscriberAnswer", seed, sdp);
        }
    }
}
