package org.salotto.rooms.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** A purchase's transaction balances and splits exactly; its reversal undoes it; an unbalanced one cannot be made. */
class LedgerTransactionTest {
    private static final Instant T = Instant.parse("2026-12-01T18:00:00Z");

    @Property
    void aPurchaseBalancesAndSplitsEveryMinorUnit(@ForAll @LongRange(min = 1, max = 100_000_000) long amount,
                                                  @ForAll @IntRange(min = 0, max = 10_000) int feeBasisPoints) {
        BadgePrices prices = new BadgePrices("USD", List.of(amount, amount, amount), feeBasisPoints);
        long fee = prices.fee(amount);
        LedgerTransaction t = LedgerTransaction.purchase("tx1", "pu1", "USD", T, "g:buyer", "a:7", amount, fee);
        assertEquals(0, t.entries().stream().mapToLong(Entry::amount).sum());
        assertEquals(amount, t.on(LedgerAccount.PROVIDER_CLEARING));
        assertEquals(0, t.on(LedgerAccount.buyer("g:buyer")), "the buyer pays in what they spend");
        assertEquals(amount, LedgerAccount.earnings("a:7").shown(t.on(LedgerAccount.earnings("a:7")))
                + LedgerAccount.PLATFORM_FEES.shown(t.on(LedgerAccount.PLATFORM_FEES)), "creator + fee = price, exactly");
        LedgerTransaction back = t.reversal("tx2", T);
        for (LedgerAccount a : List.of(LedgerAccount.PROVIDER_CLEARING, LedgerAccount.PLATFORM_FEES,
                LedgerAccount.earnings("a:7"), LedgerAccount.buyer("g:buyer"))) {
            assertEquals(0, t.on(a) + back.on(a), "the refund undoes " + a);
        }
    }

    @Test
    void defaultPricesAndFee() {
        BadgePrices p = BadgePrices.defaults();
        assertEquals(499, p.price(3));
        assertEquals(99, p.fee(499), "20% of 4.99, rounded down");
        assertThrows(IllegalArgumentException.class, () -> p.price(4));
    }

    @Test
    void anUnbalancedTransactionCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new LedgerTransaction("tx", LedgerTransaction.Kind.PURCHASE, "pu",
                null, "USD", T, List.of(new Entry(LedgerAccount.PROVIDER_CLEARING, 100),
                new Entry(LedgerAccount.PLATFORM_FEES, -99))));
        assertThrows(IllegalArgumentException.class, () -> new Entry(LedgerAccount.PLATFORM_FEES, 0));
        assertThrows(IllegalArgumentException.class, () -> new LedgerAccount("wallet:x"));
    }
}
