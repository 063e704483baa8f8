package org.salotto.rooms.money;

/**
 * What one badge bought writes, in the same database transaction as the live's decision and its outbox event: the
 * purchase, its balanced ledger transaction, and the idempotency record that answers retries.
 */
public record BadgeSale(Purchase purchase, LedgerTransaction transaction, IdempotencyRecord idempotency) {
}
