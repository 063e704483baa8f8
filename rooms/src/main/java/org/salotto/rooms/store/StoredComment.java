package org.salotto.rooms.store;

import java.time.Instant;

/**
 * A live's comment as stored. {@code seq}: the room's order (the outbox sequence number of the event that posted
 * it). {@code participantId}: the writer's in the live when they wrote it. {@code hiddenBy} and {@code hiddenAt} are null while it is visible.
 */
public record StoredComment(String roomId, long seq, String id, String participantId, String identity, String name,
                            String text, Instant at,
                            int badge, boolean hidden, String hiddenBy, Instant hiddenAt) {
}
