package org.salotto.rooms.money;

import java.time.Duration;
import java.util.Objects;

/**
 * The configuration's {@code badges}: prices and fee, which payment provider, and the waits of a purchase.
 *
 * @param idempotencyWait how long a request waits for another one with the same Idempotency-Key to finish
 * @param providerTimeout how long a purchase waits for the payment provider's answer
 * @param sandbox         what the sandbox provider does (decline, be slow, answer twice)
 */
public record BadgesConfig(BadgePrices prices, String provider, Duration idempotencyWait, Duration providerTimeout,
                           SandboxPaymentProvider.Settings sandbox) {

    public BadgesConfig {
        Objects.requireNonNull(prices, "prices");
        if (!"sandbox".equals(provider)) throw new IllegalArgumentException("the only payment provider is sandbox");
        if (idempotencyWait == null || !idempotencyWait.isPositive()) throw new IllegalArgumentException("idempotencyWait must be positive");
        if (providerTimeout == null || !providerTimeout.isPositive()) throw new IllegalArgumentException("providerTimeout must be positive");
        Objects.requireNonNull(sandbox, "sandbox");
    }

    public static BadgesConfig defaults() {
        return new BadgesConfig(BadgePrices.defaults(), "sandbox", Duration.ofSeconds(30), Duration.ofSeconds(10),
                SandboxPaymentProvider.Settings.approveAll());
    }

    public BadgesConfig withSandbox(SandboxPaymentProvider.Settings s) {
        return new BadgesConfig(prices, provider, idempotencyWait, providerTimeout, s);
    }

    /** The provider these settings name. */
    public PaymentProvider newProvider() {
        return new SandboxPaymentProvider(sandbox);
    }
}
