package org.salotto.rooms.domain;

import java.time.Instant;

/**
 * A comment in a live, as everyone in it sees it: who wrote it (their participant id then, identity and name), the
 * text (already normalized at the edge), when, and the hearts of the best badge the writer had bought in this live
 * when they wrote it (0: none).
 */
public record LiveComment(String id, String participantId, String identity, String name, String text, Instant at,
                          int badge) {
}
