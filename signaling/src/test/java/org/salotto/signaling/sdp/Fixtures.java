package org.salotto.signaling.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.salotto.media.params.IceParameters;

/** Test fixtures under src/test/resources/sdp, and Salotto's side of a transport. */
final class Fixtures {
    static final String CHROME_OFFER = "chrome-publisher-offer.sdp";
    static final String H264_ONLY_OFFER = "h264-only-publisher-offer.sdp";
    static final String CHROME_SUBSCRIBER_ANSWER = "chrome-subscriber-answer.sdp";

    static final String SERVER_FINGERPRINT =
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
    static final ServerTransport SERVER = new ServerTransport(
            new IceParameters("sLtO", "salottoSalottoSalotto0123"), SERVER_FINGERPRINT, "203.0.113.7", 7881);

    private Fixtures() {
    }

    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) throw new IllegalStateException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
