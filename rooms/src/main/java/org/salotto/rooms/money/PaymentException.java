package org.salotto.rooms.money;

/** The payment provider could not do what was asked (not a decline: it failed, or did not answer in time). */
public final class PaymentException extends Exception {
    public PaymentException(String message) {
        super(message);
    }
}
