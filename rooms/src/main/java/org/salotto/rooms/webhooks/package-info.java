/**
 * Webhooks (issue 14, docs/api.md "Webhooks"): an account's endpoints ({@link WebhookEndpoint}, kept by
 * {@link WebhookStore}), the room events of its rooms read from the transactional outbox ({@code room_events}) and its
 * notifications, turned into Standard Webhooks messages ({@link WebhookEvents}), signed ({@link WebhookSigner}) and
 * delivered at least once, in order per room, by {@link WebhookDispatcher}; {@link Webhooks} is what the HTTP API calls.
 * An adapter that consumes events: the room domain knows nothing of it.
 */
package org.salotto.rooms.webhooks;
