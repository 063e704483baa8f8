package org.salotto.rooms.money;

import java.time.Instant;

/**
 * A badge bought in a live: who bought it for whom (identity, participant id and name as the live knew them), how many
 * hearts, what it cost (amount, of which the platform's fee) and the provider's charge. The row is written once, with
 * its ledger transaction; {@code refundedAt} is when a reversing transaction was written, or null.
 */
public record Purchase(String id, String roomId, String buyerIdentity, String buyerParticipantId, String buyerName,
                       String targetIdentity, String targetParticipantId, String targetName, int hearts, long amount,
                       long fee, String currency, String chargeId, Instant at, Instant refundedAt) {

    public enum State { COMPLETED, REFUNDED }

    public State state() {
        return refundedAt == null ? State.COMPLETED : State.REFUNDED;
    }

    public Purchase refunded(Instant when) {
        return new Purchase(id, roomId, buyerIdentity, buyerParticipantId, buyerName, targetIdentity, targetParticipantId,
                targetName, hearts, amount, fee, currency, chargeId, at, when);
    }
}
