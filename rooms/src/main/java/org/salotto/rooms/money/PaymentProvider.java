package org.salotto.rooms.money;

import java.util.function.Consumer;

/**
 * A payment provider: takes a buyer's money for a badge, and gives it back. Only {@link SandboxPaymentProvider} exists
 * for now; a real one (a card processor's API) implements the same two calls.
 */
public interface PaymentProvider {

    /**
     * A charge to ask for. {@code reference} is the purchase's id, and is the provider's idempotency key: asking twice
     * with one reference charges once and answers the same.
     */
    record ChargeRequest(String reference, String payer, long amount, String currency, String description) {
    }

    sealed interface ChargeAnswer {
        record Approved(String chargeId) implements ChargeAnswer {
        }

        record Declined(String reason) implements ChargeAnswer {
        }
    }

    /**
     * Asks for a charge; the provider answers later, on a thread of its own. It may answer more than once (a provider
     * delivering its callback again): the caller takes the first answer and ignores the others.
     */
    void charge(ChargeRequest request, Consumer<ChargeAnswer> answer);

    /** Gives back the whole of an approved charge (a refund, or a void when nothing was bought with it). Idempotent. */
    void refund(String chargeId) throws PaymentException;

    /** A name for logs and the API ("sandbox"). */
    String name();
}
