package org.salotto.server.api;

import java.time.Instant;
import java.util.List;
import org.salotto.signaling.protocol.ServerFrame;
import org.salotto.signaling.protocol.Wire;

/**
 * Every answer body of the HTTP API but a room's own ({@link ServerFrame.Room}, shared with the WebSocket) and the
 * error ({@link org.salotto.signaling.protocol.HttpError}), written by {@link org.salotto.signaling.protocol.BodyCodec}
 * in component order (docs/api.md, openapi.json).
 */
public sealed interface ApiAnswer {

    @Wire.Doc("An account as its owner sees it.")
    record Account(long id, String username, String displayName) implements ApiAnswer {
    }

    record NewApiKey(String id,
                     @Wire.Doc("The secret `sk_<id>_<43 characters>`: shown only now. Send it as `Authorization: Bearer`.")
                     String key) implements ApiAnswer {
    }

    record ApiKey(String id, String name, Instant createdAt) implements ApiAnswer {
    }

    record ApiKeyList(List<ApiKey> apiKeys) implements ApiAnswer {
    }

    @Wire.Doc("Someone the account blocked from its rooms.")
    record Block(String identity, String name, Instant at) implements ApiAnswer {
    }

    record BlockList(List<Block> blocks) implements ApiAnswer {
    }

    record GuestToken(@Wire.Doc("`g2.<guest id>.<expiry>.<signature>`: valid for rooms.guest-token-ttl (30 days by default).") String guestToken) implements ApiAnswer {
    }

    record RoomList(List<ServerFrame.Room> rooms) implements ApiAnswer {
    }

    record JoinAnswer(@Wire.Doc("The join token (`j1....`), valid for a short time.") String token,
                      @Wire.Doc("`/ws/rooms/{roomId}`") String webSocket,
                      ServerFrame.Room room) implements ApiAnswer {
    }

    record AppToken(@Wire.Doc("The join token (`j1....`), valid for a short time.") String token,
                    @Wire.Doc("`/ws/rooms/{roomId}`") String webSocket) implements ApiAnswer {
    }

    record RoleResult(RoleOutcome result) implements ApiAnswer {
    }

    @Wire.Doc("done: the role is set; invited: the person must accept the invitation to the stage first.")
    enum RoleOutcome { DONE, INVITED }

    record ParticipantList(List<ServerFrame.Member> participants) implements ApiAnswer {
    }

    record Lobby(List<ServerFrame.LobbyEntry> waiting) implements ApiAnswer {
    }
}
