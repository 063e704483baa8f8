/**
 * Badges and the money behind them (PRODUCT.md "Live rooms: comments and badges"; docs/architecture.md "The ledger"):
 * a double-entry ledger in integer minor units of one currency ({@link LedgerAccount}, {@link Entry},
 * {@link LedgerTransaction}), the badge prices and the platform's fee ({@link BadgePrices}), the payment provider port
 * ({@link PaymentProvider}, with {@link SandboxPaymentProvider} for development and tests), and {@link Purchases}, which
 * charges, lets the live decide, and keeps each purchase exactly once under its idempotency key. Entries are never
 * changed or deleted: a refund is a reversing transaction, and every balance is the sum of its account's entries.
 */
package org.salotto.rooms.money;
