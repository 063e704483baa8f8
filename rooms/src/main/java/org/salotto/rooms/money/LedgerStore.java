package org.salotto.rooms.money;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the ledger, the purchases and the idempotency records are kept (the JDBC store's {@code LedgerTables}). A
 * badge sale and a refund are written by the room's unit of work (the live's decision, with its outbox event); what
 * is written here stands alone: refusals kept for retries. Nothing is updated or deleted. Every method is a short
 * transaction and may block.
 */
public interface LedgerStore {

    Optional<IdempotencyRecord> idempotency(String identity, String key);

    /** Keeps a refusal for retries; {@code StoreException.Conflict} when the key has an answer already. */
    void recordRefusal(IdempotencyRecord refusal);

    Optional<Purchase> purchase(String id);

    /** A room's purchases, oldest first. */
    List<Purchase> purchases(String roomId);

    /** The purchase's own transaction (not its refund). */
    Optional<LedgerTransaction> purchaseTransaction(String purchaseId);

    /** An account's balance: the sum of its entries, 0 for an account without any. */
    long balance(LedgerAccount account);

    /** The sums of the entries of a room's transactions (purchases and refunds), per account. */
    Map<LedgerAccount, Long> roomBalances(String roomId);

    /** Every account's balance, each the sum of its entries. */
    Map<LedgerAccount, Long> balances();

    /** Every transaction with its entries, in the order written (for audits and tests: the whole ledger). */
    List<LedgerTransaction> transactions();
}
