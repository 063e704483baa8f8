package org.salotto.rooms.money;

import java.time.Instant;

/**
 * The first answer to a purchase request with an {@code Idempotency-Key}, kept so that a retry gets it again: a
 * completed purchase (its id), or a refusal that came after the payment was asked for (declined by the provider, or
 * refused by the live after the charge was given back), with its error code and message. {@code requestHash} tells a
 * retry from another request that reuses the key. Keys belong to the caller who sent them.
 */
public record IdempotencyRecord(String identity, String key, String requestHash, Outcome outcome, String purchaseId,
                                String errorCode, String message, Instant at) {

    public enum Outcome { COMPLETED, DECLINED, REFUSED }

    public IdempotencyRecord {
        if ((outcome == Outcome.COMPLETED) != (purchaseId != null)) {
            throw new IllegalArgumentException("a completed outcome, and only that, names its purchase");
        }
    }
}
