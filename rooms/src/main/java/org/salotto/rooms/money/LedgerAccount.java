package org.salotto.rooms.money;

import java.util.Objects;

/**
 * An account of the ledger, by its id: {@code buyer:<identity>} (what a buyer paid in and spent), {@code
 * earnings:<identity>} (what the platform owes a creator), {@code platform:fees} (the platform's fee) and {@code
 * provider:clearing} (money the payment provider holds for the platform until it pays out). Identities are those of
 * {@code Identities} ({@code a:<account>}, {@code g:<guest>}, {@code k:<key>:<user>}).
 *
 * <p>Amounts are signed, debit positive, credit negative, so that a balanced transaction sums to zero. The buyer and
 * clearing accounts are debit-normal, earnings and fees credit-normal: {@link #shown(long)} turns a balance into the
 * number a person reads (what a creator has earned is positive).
 */
public record LedgerAccount(String id) {
    public static final LedgerAccount PLATFORM_FEES = new LedgerAccount("platform:fees");
    public static final LedgerAccount PROVIDER_CLEARING = new LedgerAccount("provider:clearing");
    /** Longest account id: a prefix and an identity of at most 160 characters. */
    public static final int MAX_LENGTH = 200;

    public enum Kind { BUYER, EARNINGS, PLATFORM_FEES, PROVIDER_CLEARING }

    public LedgerAccount {
        Objects.requireNonNull(id, "id");
        if (id.length() > MAX_LENGTH) throw new IllegalArgumentException("account id longer than " + MAX_LENGTH);
        kindOf(id);
    }

    public static LedgerAccount buyer(String identity) {
        return new LedgerAccount("buyer:" + identity);
    }

    public static LedgerAccount earnings(String identity) {
        return new LedgerAccount("earnings:" + identity);
    }

    public Kind kind() {
        return kindOf(id);
    }

    /** The identity of a buyer or earnings account; null for the platform's accounts. */
    public String identity() {
        return switch (kind()) {
            case BUYER -> id.substring("buyer:".length());
            case EARNINGS -> id.substring("earnings:".length());
            default -> null;
        };
    }

    /** A balance as its owner reads it: credit-normal accounts (earnings, fees) shown with the sign turned. */
    public long shown(long balance) {
        return switch (kind()) {
            case EARNINGS, PLATFORM_FEES -> -balance;
            case BUYER, PROVIDER_CLEARING -> balance;
        };
    }

    private static Kind kindOf(String id) {
        if (id.equals("platform:fees")) return Kind.PLATFORM_FEES;
        if (id.equals("provider:clearing")) return Kind.PROVIDER_CLEARING;
        if (id.startsWith("buyer:") && id.length() > "buyer:".length()) return Kind.BUYER;
        if (id.startsWith("earnings:") && id.length() > "earnings:".length()) return Kind.EARNINGS;
        throw new IllegalArgumentException("not a ledger account: " + id);
    }

    @Override
    public String toString() {
        return id;
    }
}
