package org.salotto.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A live for the badge tests: a host (an account) and guests on stage, and viewers (guests with guest tokens), each
 * in the room on a WebSocket of their own, as the app would be.
 */
final class Live implements AutoCloseable {
    final String url;
    final Person host;
    final String roomId;
    final RoomClient hostSocket;
    final List<Person> guests = new ArrayList<>();
    final List<RoomClient> guestSockets = new ArrayList<>();
    final List<Person> viewers = new ArrayList<>();
    final List<RoomClient> viewerSockets = new ArrayList<>();

    private Live(String url, Person host, String roomId, RoomClient hostSocket) {
        this.url = url;
        this.host = host;
        this.roomId = roomId;
        this.hostSocket = hostSocket;
    }

    static Live open(String url, int guests, int viewers) throws Exception {
        Person host = Person.account(url, ServerFixture.uniqueName("host"));
        String roomId = host.createRoom("live", Map.of());
        Live live = new Live(url, host, roomId, host.enter(roomId));
        for (int i = 0; i < guests; i++) {
            Person g = Person.guest(url, "Guest " + i);
            RoomClient s = g.enter(roomId);
            Person.Reply invited = host.put("/api/rooms/" + roomId + "/participants/" + s.participantId + "/role",
                    Map.of("role", "guest"));
            if (invited.status() != 200) throw new AssertionError("invite to the stage: " + invited);
            Person.Reply accepted = g.post("/api/rooms/" + roomId + "/invitation/accept", null);
            if (accepted.status() != 204) throw new AssertionError("accept the invitation: " + accepted);
            live.guests.add(g);
            live.guestSockets.add(s);
        }
        for (int i = 0; i < viewers; i++) {
            Person v = Person.guest(url, "Viewer " + i);
            live.viewerSockets.add(v.enter(roomId));
            live.viewers.add(v);
        }
        return live;
    }

    /** A badge bought by {@code buyer} for the participant {@code targetId}, under {@code key}. */
    Person.Answer buy(Person buyer, String key, String targetId, int hearts) throws Exception {
        return buyer.postWithKey("/api/rooms/" + roomId + "/badges", Map.of("targetId", targetId, "hearts", hearts), key);
    }

    @Override
    public void close() {
        hostSocket.close();
        guestSockets.forEach(RoomClient::close);
        viewerSockets.forEach(RoomClient::close);
    }
}
