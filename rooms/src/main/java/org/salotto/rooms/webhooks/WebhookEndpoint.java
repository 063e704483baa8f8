package org.salotto.rooms.webhooks;

import java.time.Instant;
import java.util.Set;

/**
 * An endpoint an account registered. {@code secret}: {@code whsec_<base64>}, shown to its owner once. {@code eventTypes}:
 * the types sent (empty: all). {@code failingSince}: when the current run of failures began, or null.
 */
public record WebhookEndpoint(String id, long accountId, String url, String description, String secret,
                              Set<String> eventTypes, boolean enabled, String disabledReason, Instant failingSince,
                              Instant createdAt) {

    public WebhookEndpoint {
        eventTypes = Set.copyOf(eventTypes);
    }

    /** Never shows the secret: records end up in logs. */
    @Override
    public String toString() {
        return "WebhookEndpoint[id=" + id + ", account=" + accountId + ", url=" + url + ", enabled=" + enabled + "]";
    }

    public boolean wants(String type) {
        return eventTypes.isEmpty() || eventTypes.contains(type);
    }
}
