package org.salotto.rooms.money;

import java.util.List;
import java.util.Objects;

/**
 * What a badge of one, two or three hearts costs, in minor units of the one currency (configuration {@code badges}),
 * and the platform's fee in basis points (1/100 of a percent) of each price, rounded down: the creator gets the rest,
 * so no minor unit is ever lost or made up.
 */
public record BadgePrices(String currency, List<Long> prices, int feeBasisPoints) {
    public static final int MAX_HEARTS = 3;

    public BadgePrices {
        Objects.requireNonNull(currency, "currency");
        if (!currency.matches("[A-Z]{3}")) throw new IllegalArgumentException("currency must be an ISO 4217 code such as USD");
        prices = List.copyOf(prices);
        if (prices.size() != MAX_HEARTS) throw new IllegalArgumentException("three prices: for 1, 2 and 3 hearts");
        for (long p : prices) if (p <= 0 || p > 100_000_000L) throw new IllegalArgumentException("a price must be 1 to 100000000 minor units");
        if (feeBasisPoints < 0 || feeBasisPoints > 10_000) throw new IllegalArgumentException("the fee is 0 to 10000 basis points");
    }

    /** 0.99, 1.99 and 4.99 US dollars, a fee of 20%. */
    public static BadgePrices defaults() {
        return new BadgePrices("USD", List.of(99L, 199L, 499L), 2000);
    }

    public long price(int hearts) {
        if (hearts < 1 || hearts > MAX_HEARTS) throw new IllegalArgumentException("1 to 3 hearts");
        return prices.get(hearts - 1);
    }

    /** The platform's part of {@code amount}, rounded down. */
    public long fee(long amount) {
        return Math.multiplyExact(amount, (long) feeBasisPoints) / 10_000;
    }
}
