package org.salotto.signaling;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.salotto.media.MediaServer;

/** The signaling entry point: conferences by room name, created on first join and dropped when empty. */
public final class SignalingService implements AutoCloseable {
    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final MediaServer media;
    private final String announceAddress;
    private final int announcePort;
    private final ConcurrentHashMap<String, Conference> conferences = new ConcurrentHashMap<>();

    public SignalingService(MediaServer media, String announceAddress, int announcePort) {
        this.media = media;
        this.announceAddress = announceAddress;
        this.announcePort = announcePort;
    }

    /** A new client connection for a room; a bad room name is answered with an error and the connection closed. */
    public SignalingSession connect(String room, ClientConnection connection) {
        if (room == null || !ROOM_NAME.matcher(room).matches()) {
            connection.send(Messages.error("bad_room", "a room name is 1 to 64 of A-Z, a-z, 0-9, '_' and '-'", null));
            connection.close("bad room name");
            return null;
        }
        return new SignalingSession(this, room, connection);
    }

    /** Joins a room's conference, creating it if needed; atomic with {@link #release}, so no one joins a dropped one. */
    Participant join(String room, String name, Outbox outbox) {
        Participant[] joined = new Participant[1];
        conferences.compute(room, (r, c) -> {
            Conference conference = c != null ? c : new Conference(r, media, announceAddress, announcePort);
            joined[0] = conference.join(name, outbox);
            return conference;
        });
        return joined[0];
    }

    Conference conference(String room) {
        return conferences.get(room);
    }

    void release(Conference conference) {
        if (conference != null) conferences.computeIfPresent(conference.name(), (k, c) -> c.size() == 0 ? null : c);
    }

    public int roomCount() {
        return conferences.size();
    }

    public int participantCount() {
        int n = 0;
        for (Conference c : conferences.values()) n += c.size();
        return n;
    }

    @Override
    public void close() {
        conferences.clear();
    }
}
