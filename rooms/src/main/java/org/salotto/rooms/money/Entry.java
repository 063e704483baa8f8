package org.salotto.rooms.money;

import java.util.Objects;

/** One line of a transaction: an amount in minor units on an account, debit positive, credit negative, never 0. */
public record Entry(LedgerAccount account, long amount) {
    public Entry {
        Objects.requireNonNull(account, "account");
        if (amount == 0) throw new IllegalArgumentException("an entry of 0 on " + account);
    }

    public Entry reversed() {
        return new Entry(account, Math.negateExact(amount));
    }
}
