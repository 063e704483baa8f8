package org.salotto.rooms.store;

import java.time.Instant;

/** Someone's report of a comment; {@code reason} may be null. One per person and comment. */
public record CommentReport(String roomId, String commentId, String reporterIdentity, String reporterName, String reason,
                            Instant at) {
}
