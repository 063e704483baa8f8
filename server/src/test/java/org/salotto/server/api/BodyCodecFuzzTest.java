package org.salotto.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.salotto.signaling.protocol.BodyCodec;
import org.salotto.signaling.protocol.ControlException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * Jazzer target for {@link BodyCodec#read}, which reads the JSON body of every HTTP API request into its
 * {@link ApiRequest} record. Each input is read as every request type. Contract: a record, or a
 * {@link ControlException} {@code bad_request}, never another exception. Round trip: a body read, written again,
 * reads back equal. Corpus: {@code src/test/resources/org/salotto/server/api/BodyCodecFuzzTestInputs/read/} (a real
 * body of each type, as the web app sends them).
 */
class BodyCodecFuzzTest {
    private static final List<Class<? extends Record>> TYPES = List.of(ApiRequest.Empty.class,
            ApiRequest.SignUp.class, ApiRequest.LogIn.class, ApiRequest.ApiKeyRequest.class, ApiRequest.NewRoom.class,
            ApiRequest.RoomChanges.class, ApiRequest.JoinRequest.class, ApiRequest.AppTokenRequest.class,
            ApiRequest.RoleChange.class);

    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        for (Class<? extends Record> type : TYPES) {
            Record request;
            try {
                request = BodyCodec.read(body, type);
            } catch (ControlException e) {
                if (e.errorCode() != ErrorCode.BAD_REQUEST) throw new AssertionError("refused with " + e.errorCode(), e);
                continue;
            }
            String again = BodyCodec.write(request);
            try {
                assertEquals(request, BodyCodec.read(again, type), "read back differently: " + again);
            } catch (ControlException e) {
                throw new AssertionError("a " + type.getSimpleName() + " written from one read does not read: " + again, e);
            }
        }
    }

    /** Writes the corpus: one body of each type as the web app and an API client send them. */
    @Test
    void writeSeeds() throws IOException {
        String[][] seeds = {
                {"empty-object", "{}"},
                {"sign-up", "{\"username\":\"ada.l\",\"password\":\"correct horse battery\",\"displayName\":\"Ada 🎈\"}"},
                {"log-in", "{\"username\":\"ada.l\",\"password\":\"correct horse battery\"}"},
                {"api-key", "{\"name\":\"my bot\"}"},
                {"new-room", "{\"kind\":\"live\",\"title\":\"Friday jam\",\"activity\":\"dance_party\",\"visibility\":\"private\","
                        + "\"scheduledStart\":\"2026-11-21T18:00:00Z\",\"knock\":true}"},
                {"new-room-minimal", "{\"kind\":\"call\",\"title\":\"Standup\"}"},
                {"room-changes", "{\"title\":\"Renamed\",\"activity\":null,\"locked\":false,\"knock\":true,\"visibility\":\"public\"}"},
                {"join", "{\"displayName\":\"Guest \\u00e9\"}"},
                {"app-token", "{\"user\":\"user-42\",\"displayName\":\"Bob\"}"},
                {"role", "{\"role\":\"co_host\"}"},
        };
        Path dir = Path.of("src/test/resources/org/salotto/server/api/BodyCodecFuzzTestInputs/read");
        if (!Boolean.getBoolean("salotto.fuzz.seed")) {
            // Without the switch: the committed corpus must still hold every seed.
            for (String[] seed : seeds) {
                if (!Files.isRegularFile(dir.resolve(seed[0]))) throw new AssertionError("the seed " + seed[0] + " is missing from " + dir);
            }
            return;
        }
        Files.createDirectories(dir);
        for (String[] seed : seeds) Files.writeString(dir.resolve(seed[0]), seed[1], StandardCharsets.UTF_8);
    }
}
