package org.salotto.loadtest;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Janus videoroom one run shares: a fresh numeric room id, and the publishers' feed ids, which listeners need
 * before they can subscribe (Janus, unlike Salotto, does not offer a newcomer the room's media by itself).
 */
final class JanusRoom {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long id = 1 + RANDOM.nextLong(1L << 52);
    private final int publishers;
    private final List<Long> feeds = new ArrayList<>();
    private final CompletableFuture<List<Long>> allFeeds = new CompletableFuture<>();

    JanusRoom(int publishers) {
        this.publishers = publishers;
        if (publishers == 0) allFeeds.complete(List.of());
    }

    long id() {
        return id;
    }

    synchronized void publisherJoined(long feed) {
        feeds.add(feed);
        if (feeds.size() == publishers) allFeeds.complete(List.copyOf(feeds));
    }

    /** Completes when every publisher of the run is in. */
    CompletableFuture<List<Long>> feeds() {
        return allFeeds;
    }
}
