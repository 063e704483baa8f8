package org.salotto.rooms.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where endpoints, their positions in each stream and the delivery log are kept (the JDBC store's
 * {@code WebhookTables}, tables of {@code V9__webhooks.sql}). Every method is a short transaction and may block.
 */
public interface WebhookStore {

    /** The stream of an account's notifications (room streams are named by the room's id). */
    String NOTIFICATIONS = "~notifications";

    /**
     * Stores a new endpoint and puts it at the end of every stream its account has now (the outbox of each of its
     * rooms, its notifications): it gets what happens from now on.
     */
    void createEndpoint(WebhookEndpoint endpoint);

    Optional<WebhookEndpoint> endpoint(String id);

    List<WebhookEndpoint> endpointsOf(long accountId);

    /** Whether any endpoint is enabled (a server without webhooks looks up nothing after each decision). */
    boolean anyEnabled();

    /** Every enabled endpoint of the account that hosts {@code roomId}. */
    List<WebhookEndpoint> enabledEndpointsOfRoom(String roomId);

    /** Writes url, description, event types and enabled (and clears the failure run and reason when enabled). */
    void updateEndpoint(WebhookEndpoint endpoint);

    boolean deleteEndpoint(String id);

    /** Marks the start of a run of failures, if none is marked; returns the run's start. */
    Instant markFailing(String endpointId, Instant at);

    /** Disables an endpoint (its run of failures lasted too long); false if it was not enabled. */
    boolean disable(String endpointId, String reason);

    /**
     * Where the endpoint is in a stream: the last seq delivered or passed over. A stream it was never in is entered at
     * 0 (its start) and that is returned.
     */
    long position(String endpointId, String stream);

    /**
     * Records deliveries the receiver took (2xx) and moves the endpoint's position in {@code stream} from {@code from}
     * to {@code to} (past them, and past events it does not take), ending its run of failures: one transaction, so the
     * log and the position never disagree. The position moves only if it still is {@code from} (a replay may have set
     * it back meanwhile); returns whether it moved.
     */
    boolean recordDelivered(String endpointId, String stream, List<WebhookDelivery> delivered, long from, long to);

    /** Records an attempt that moves no position (a failure, a test, a replay of one delivery); returns it with its id. */
    WebhookDelivery log(WebhookDelivery attempt);

    /**
     * Sets the endpoint's position back, in every stream of its account, to before the first event at or after
     * {@code since} (never forward): a replay. Returns the streams set back.
     */
    List<String> rewind(String endpointId, long accountId, Instant since);

    /** An endpoint's delivery log, newest first, at most {@code limit}, before the delivery {@code beforeId} (0: from the end). */
    List<WebhookDelivery> deliveries(String endpointId, long beforeId, int limit);

    Optional<WebhookDelivery> delivery(String endpointId, long id);

    /** Work to do: each (enabled endpoint, stream) whose stream has events past the endpoint's position. */
    List<Lag> lagging();

    /** An account's notifications after {@code afterId}, oldest first (issue 13's table). */
    List<Notification> notifications(long accountId, long afterId, int limit);

    /** Deletes log entries older than {@code before}; returns how many. */
    int purgeDeliveries(Instant before);

    /** An endpoint behind in a stream. */
    record Lag(String endpointId, String stream) {
    }

    /** One row of issue 13's notifications table, as a webhook carries it. */
    record Notification(long id, String type, String roomId, String payload, Instant createdAt) {
    }
}
