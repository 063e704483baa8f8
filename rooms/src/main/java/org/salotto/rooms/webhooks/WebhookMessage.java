package org.salotto.rooms.webhooks;

import java.time.Instant;

/**
 * One event as an endpoint gets it: {@code id} is the {@code webhook-id} header (the same on every attempt and replay),
 * {@code type} the webhook's type ({@code room.started}...), or null for an outbox event that is no webhook's (a hand
 * raised: passed over), {@code body} the JSON sent ({@code {"type", "timestamp", "data"}}).
 */
public record WebhookMessage(String id, String stream, long seq, String type, Instant at, byte[] body) {
}
