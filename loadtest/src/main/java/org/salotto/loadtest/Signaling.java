package org.salotto.loadtest;

/**
 * One simulated participant's signaling with the server under test: everything that differs between servers'
 * protocols is behind this interface ({@link SignalingClient} for Salotto, {@link JanusClient} for Janus's
 * videoroom), so that the media side ({@link SimulatedParticipant}) sends identical traffic to either.
 *
 * <p>{@link #join}, {@link #publish} and {@link #subscribe} block (call them on a virtual thread); subscribe offers
 * arrive on {@link Events#onSubscribeOffer}, on the signaling thread, and are answered with {@link #answer}.
 */
interface Signaling extends AutoCloseable {

    /** What the server tells a participant, on the signaling thread. */
    interface Events {
        /** An offer for the participant's subscriber connection: the whole set of streams it receives. */
        void onSubscribeOffer(String sdp, long version);

        /** The server refused something or the signaling connection broke. */
        void onFailure(String why);

        /**
         * Salotto's {@code stageSlots}: whom each of an audience member's fixed slots (audio, and a live's video)
         * carries now (slot track id to participant id, null for an empty slot).
         */
        default void onStageSlots(java.util.Map<String, String> audio) {
        }

        /**
         * Salotto's {@code publisherLayers} (dynacast): of the simulcast track on m-section {@code mid}, send the
         * layers whose rids {@code active} names and pause the others.
         */
        default void onPublisherLayers(String mid, java.util.Set<String> active) {
        }

        /**
         * The signaling connection closed without the participant leaving (its node lost), at {@code lostAtNanos}
         * ({@link System#nanoTime}); the signaling is coming back through another node. Its media connections are gone.
         */
        default void onConnectionLost(long lostAtNanos) {
        }

        /**
         * Back in the room after a loss ({@code how}: "resumed" as the same participant, or "joined" afresh), through
         * the node at {@code nodeUrl}, {@code afterNanos} after the loss.
         */
        default void onReconnected(String how, String nodeUrl, long afterNanos) {
        }
    }

    /** Enters the room; {@code publishes} says whether this participant will publish. Blocking. */
    void join(String name, boolean publishes) throws Exception;

    /** Sends the publisher connection's offer and returns the server's answer. Blocking. */
    String publish(String offerSdp, boolean audio, boolean video) throws Exception;

    /**
     * Asks for the other participants' media, where the server waits to be asked (Janus); Salotto offers it unasked.
     * Blocking.
     */
    void subscribe() throws Exception;

    /** Answers the subscribe offer of that version. */
    void answer(String answerSdp, long version);

    /**
     * Tells the server the size a video track is shown at (Salotto's {@code videoSize}: a simulcast track's layer is
     * chosen by it); a server without layers ignores it.
     */
    default void videoSize(String trackId, int width, int height) {
    }

    /** The participant's id on the server, once joined. */
    String participantId();

    /** Leaves the room and closes the signaling connection; never throws. */
    @Override
    void close();
}
