package org.salotto.rooms.webhooks;

import java.time.Duration;

/**
 * {@code webhooks.*}: how deliveries are retried and how long they may take, and which addresses an endpoint may name.
 *
 * @param retryFor             how long an event is retried before its endpoint is disabled (1 d)
 * @param retryInitial         the first retry's delay; each next one doubles (5 s)
 * @param retryMaxInterval     the longest delay between two attempts (1 h)
 * @param connectTimeout       connecting to a receiver (5 s)
 * @param requestTimeout       a receiver's whole answer (15 s)
 * @param pollInterval         how often every stream is looked at, besides the wake-up after each stored decision: the
 *                             events another server wrote, and notifications (5 s)
 * @param allowPrivateNetworks whether an endpoint may be on loopback, a private or a link-local address (false; tests
 *                             and single-host setups turn it on: docs/security.md "Webhooks")
 * @param maxEndpoints         endpoints per account (10)
 */
public record WebhooksConfig(Duration retryFor, Duration retryInitial, Duration retryMaxInterval, Duration connectTimeout,
                             Duration requestTimeout, Duration pollInterval, boolean allowPrivateNetworks,
                             int maxEndpoints) {

    public WebhooksConfig {
        require(retryFor != null && retryFor.isPositive(), "webhooks.retry-for must be positive");
        require(retryInitial != null && retryInitial.isPositive(), "webhooks.retry-initial must be positive");
        require(retryMaxInterval != null && retryMaxInterval.compareTo(retryInitial) >= 0,
                "webhooks.retry-max-interval must be at least webhooks.retry-initial");
        require(connectTimeout != null && connectTimeout.isPositive(), "webhooks.connect-timeout must be positive");
        require(requestTimeout != null && requestTimeout.isPositive(), "webhooks.request-timeout must be positive");
        require(pollInterval != null && pollInterval.isPositive(), "webhooks.poll-interval must be positive");
        require(maxEndpoints >= 1, "webhooks.max-endpoints must be at least 1");
    }

    public static WebhooksConfig defaults() {
        return new WebhooksConfig(Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(5),
                Duration.ofSeconds(15), Duration.ofSeconds(5), false, 10);
    }

    /** For tests: a receiver on loopback, retries in milliseconds. */
    public WebhooksConfig withRetries(Duration initial, Duration max, Duration retryFor) {
        return new WebhooksConfig(retryFor, initial, max, connectTimeout, requestTimeout, pollInterval, allowPrivateNetworks,
                maxEndpoints);
    }

    public WebhooksConfig withPrivateNetworks(boolean allow) {
        return new WebhooksConfig(retryFor, retryInitial, retryMaxInterval, connectTimeout, requestTimeout, pollInterval,
                allow, maxEndpoints);
    }

    public WebhooksConfig withPollInterval(Duration poll) {
        return new WebhooksConfig(retryFor, retryInitial, retryMaxInterval, connectTimeout, requestTimeout, poll,
                allowPrivateNetworks, maxEndpoints);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
