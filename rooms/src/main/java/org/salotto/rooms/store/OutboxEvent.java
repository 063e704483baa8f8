package org.salotto.rooms.store;

import java.time.Instant;

/**
 * One row of the event outbox: an event a room decided, in order per room ({@code seq} from 1), as JSON. Written in
 * the same transaction as the state the event changed; webhooks and notifications read it.
 */
public record OutboxEvent(String roomId, long seq, String type, String payload, Instant at) {
}
