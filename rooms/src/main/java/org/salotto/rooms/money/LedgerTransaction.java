package org.salotto.rooms.money;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One balanced transaction of the ledger: its entries sum to zero (checked here, so an unbalanced one cannot be made),
 * all in one currency. A purchase is one; its refund is another, {@link #reversal}, whose entries are the purchase's
 * with the sign turned: nothing is ever changed or deleted.
 *
 * @param reverses the transaction this one reverses, or null
 */
public record LedgerTransaction(String id, Kind kind, String purchaseId, String reverses, String currency, Instant at,
                                List<Entry> entries) {

    public enum Kind { PURCHASE, REFUND }

    public LedgerTransaction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(purchaseId, "purchaseId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(at, "at");
        entries = List.copyOf(entries);
        if (entries.size() < 2) throw new IllegalArgumentException("a transaction has two entries at least");
        if ((kind == Kind.REFUND) != (reverses != null)) {
            throw new IllegalArgumentException("a refund, and only a refund, reverses a transaction");
        }
        long sum = 0;
        for (Entry e : entries) sum = Math.addExact(sum, e.amount());
        if (sum != 0) throw new IllegalArgumentException("transaction " + id + " does not balance: its entries sum to " + sum);
    }

    /**
     * A badge bought: the buyer's money comes in through the provider (clearing debited, the buyer credited), and the
     * buyer spends it on the badge (the buyer debited, the creator's earnings and the platform's fee credited). The
     * buyer's account so shows both what they paid and what they bought, and holds nothing after a purchase.
     */
    public static LedgerTransaction purchase(String id, String purchaseId, String currency, Instant at, String buyerIdentity,
                                             String creatorIdentity, long amount, long fee) {
        if (amount <= 0) throw new IllegalArgumentException("a purchase of " + amount);
        if (fee < 0 || fee > amount) throw new IllegalArgumentException("a fee of " + fee + " on " + amount);
        LedgerAccount buyer = LedgerAccount.buyer(buyerIdentity);
        List<Entry> entries = new ArrayList<>(5);
        entries.add(new Entry(LedgerAccount.PROVIDER_CLEARING, amount));
        entries.add(new Entry(buyer, -amount));
        entries.add(new Entry(buyer, amount));
        if (amount - fee > 0) entries.add(new Entry(LedgerAccount.earnings(creatorIdentity), -(amount - fee)));
        if (fee > 0) entries.add(new Entry(LedgerAccount.PLATFORM_FEES, -fee));
        return new LedgerTransaction(id, Kind.PURCHASE, purchaseId, null, currency, at, entries);
    }

    /** The refund of this transaction: every entry with its sign turned. */
    public LedgerTransaction reversal(String id, Instant at) {
        if (kind != Kind.PURCHASE) throw new IllegalArgumentException("only a purchase is refunded");
        List<Entry> back = new ArrayList<>(entries.size());
        for (Entry e : entries) back.add(e.reversed());
        return new LedgerTransaction(id, Kind.REFUND, purchaseId, this.id, currency, at, back);
    }

    /** The sum of this transaction's entries on {@code account}. */
    public long on(LedgerAccount account) {
        long sum = 0;
        for (Entry e : entries) if (e.account().equals(account)) sum += e.amount();
        return sum;
    }
}
