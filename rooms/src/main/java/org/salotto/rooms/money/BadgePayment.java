package org.salotto.rooms.money;

import java.time.Instant;

/**
 * A payment the provider approved, carried by the live's {@code BuyBadge} command: once the live decides the badge,
 * its writes ({@link #sale}) go into the decision's unit of work, so that the purchase, its ledger transaction, its
 * idempotency record and the outbox event commit together or not at all.
 */
public record BadgePayment(String purchaseId, String transactionId, String roomId, int hearts, long amount, long fee,
                           String currency, String chargeId, String idempotencyKey, String requestHash) {

    /** The writes of this payment for the badge the live decided, with who bought it for whom as the live knew them. */
    public BadgeSale sale(String buyerIdentity, String buyerParticipantId, String buyerName, String targetIdentity,
                          String targetParticipantId, String targetName, Instant at) {
        Purchase p = new Purchase(purchaseId, roomId, buyerIdentity, buyerParticipantId, buyerName, targetIdentity,
                targetParticipantId, targetName, hearts, amount, fee, currency, chargeId, at, null);
        LedgerTransaction t = LedgerTransaction.purchase(transactionId, purchaseId, currency, at, buyerIdentity,
                targetIdentity, amount, fee);
        IdempotencyRecord r = new IdempotencyRecord(buyerIdentity, idempotencyKey, requestHash,
                IdempotencyRecord.Outcome.COMPLETED, purchaseId, null, null, at);
        return new BadgeSale(p, t, r);
    }
}
