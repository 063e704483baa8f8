package org.salotto.signaling;

import java.util.concurrent.ConcurrentHashMap;
import org.salotto.media.MediaServer;

/**
 * The signaling entry point: a conference per room id, created on first use and dropped when the layer above
 * releases it empty. Who joins which conference with which rights is the layer above's decision.
 */
public final class SignalingService implements AutoCloseable {
    private final MediaServer media;
    private final String announceAddress;
    private final int announcePort;
    private final ConcurrentHashMap<String, Conference> conferences = new ConcurrentHashMap<>();

    public SignalingService(MediaServer media, String announceAddress, int announcePort) {
        this.media = media;
        this.announceAddress = announceAddress;
        this.announcePort = announcePort;
    }

    /** The conference of a room, created if needed. */
    public Conference conference(String roomId) {
        return conferences.computeIfAbsent(roomId, r -> new Conference(r, media, announceAddress, announcePort));
    }

    /** Forgets a room's conference if nobody is in it (atomic, so nobody joins a dropped one). */
    public void release(String roomId) {
        conferences.computeIfPresent(roomId, (k, c) -> c.size() == 0 ? null : c);
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
