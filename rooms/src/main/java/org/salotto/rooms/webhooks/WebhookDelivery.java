package org.salotto.rooms.webhooks;

import java.time.Instant;

/**
 * One attempt to deliver a message, as the delivery log keeps it. {@code stream}: the room's id, or
 * {@link WebhookStore#NOTIFICATIONS}; {@code seq}: the event's place in it. {@code status}: the receiver's HTTP status,
 * or null when it gave none ({@code error} says why). {@code response}: the start of its body.
 */
public record WebhookDelivery(long id, String endpointId, String messageId, String stream, long seq, String type,
                              int attempt, Trigger trigger, Integer status, String error, String response,
                              long durationMs, Instant at) {

    public enum Trigger {
        /** Sent from the outbox, in order (the first attempt and its retries). */
        DISPATCH,
        /** Sent again because the owner asked. */
        REPLAY,
        /** A {@code webhook.test} message the owner asked for. */
        TEST
    }

    public boolean succeeded() {
        return status != null && status >= 200 && status < 300;
    }
}
