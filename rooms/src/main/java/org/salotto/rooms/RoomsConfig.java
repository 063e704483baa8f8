package org.salotto.rooms;

import java.time.Duration;

/**
 * The limits and timings of rooms (PRODUCT.md's defaults). The server builds this from its configuration.
 *
 * @param callMaxPeople          people in a call room, the host included
 * @param liveStageMax           people on a live stage, the host included
 * @param spaceCoHostsMax        co-hosts on a space stage
 * @param spaceSpeakersMax       speakers on a space stage, not counting the host and co-hosts
 * @param screenShareMaxPeople   a call offers screen share while it has at most this many people
 * @param liveHostGrace          a live ends when its host is gone this long; a space without host or co-host too
 * @param eventBatchInterval     at most one frame of room events per this long (an event after a quiet interval goes at once)
 * @param joinTokenTtl           how long a join token may be used
 * @param sessionTtl             how long a browser session lasts
 * @param resumeGrace            a participant whose connection dropped stays in the room this long, waiting to resume
 * @param guestTokenTtl          how long a guest token (the browser's guest identity) is accepted
 * @param purgeInterval          how often expired sessions are deleted and spent join tokens forgotten
 * @param listedAudience         a space's or a live's first this many listeners or viewers are listed to everyone;
 *                               those after them are counted, not listed ("livestream mode")
 */
public record RoomsConfig(int callMaxPeople, int liveStageMax, int spaceCoHostsMax, int spaceSpeakersMax,
                          int screenShareMaxPeople, Duration liveHostGrace, Duration eventBatchInterval,
                          Duration joinTokenTtl, Duration sessionTtl, Duration resumeGrace, Duration guestTokenTtl,
                          Duration purgeInterval, int listedAudience) {

    /** The default guest token lifetime. */
    public static final Duration GUEST_TOKEN_TTL = Duration.ofDays(30);
    /** The default time between two purges of expired sessions. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);
    /** The default number of a space's or a live's audience listed to everyone. */
    public static final int LISTED_AUDIENCE = 100;

    public RoomsConfig {
        if (callMaxPeople < 2) throw new IllegalArgumentException("a call needs room for at least 2 people");
        if (liveStageMax < 1 || spaceCoHostsMax < 0 || spaceSpeakersMax < 0 || screenShareMaxPeople < 0) {
            throw new IllegalArgumentException("stage limits must not be negative");
        }
        if (listedAudience < 0) throw new IllegalArgumentException("the listed audience must not be negative");
        for (Duration d : new Duration[] {liveHostGrace, eventBatchInterval, joinTokenTtl, sessionTtl, resumeGrace,
                guestTokenTtl, purgeInterval}) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("durations must be positive");
        }
    }

    /** With the default guest token lifetime and purge interval. */
    public RoomsConfig(int callMaxPeople, int liveStageMax, int spaceCoHostsMax, int spaceSpeakersMax,
                       int screenShareMaxPeople, Duration liveHostGrace, Duration eventBatchInterval,
                       Duration joinTokenTtl, Duration sessionTtl, Duration resumeGrace) {
        this(callMaxPeople, liveStageMax, spaceCoHostsMax, spaceSpeakersMax, screenShareMaxPeople, liveHostGrace,
                eventBatchInterval, joinTokenTtl, sessionTtl, resumeGrace, GUEST_TOKEN_TTL, PURGE_INTERVAL, LISTED_AUDIENCE);
    }

    public static RoomsConfig defaults() {
        return new RoomsConfig(50, 4, 2, 10, 10, Duration.ofSeconds(30), Duration.ofMillis(100),
                Duration.ofMinutes(10), Duration.ofDays(30), Duration.ofSeconds(20));
    }

    public RoomsConfig withCallMaxPeople(int people) {
        return new RoomsConfig(people, liveStageMax, spaceCoHostsMax, spaceSpeakersMax, screenShareMaxPeople,
                liveHostGrace, eventBatchInterval, joinTokenTtl, sessionTtl, resumeGrace, guestTokenTtl, purgeInterval, listedAudience);
    }

    public RoomsConfig withLiveHostGrace(Duration grace) {
        return new RoomsConfig(callMaxPeople, liveStageMax, spaceCoHostsMax, spaceSpeakersMax, screenShareMaxPeople,
                grace, eventBatchInterval, joinTokenTtl, sessionTtl, resumeGrace, guestTokenTtl, purgeInterval, listedAudience);
    }

    public RoomsConfig withResumeGrace(Duration grace) {
        return new RoomsConfig(callMaxPeople, liveStageMax, spaceCoHostsMax, spaceSpeakersMax, screenShareMaxPeople,
                liveHostGrace, eventBatchInterval, joinTokenTtl, sessionTtl, grace, guestTokenTtl, purgeInterval, listedAudience);
    }

    public RoomsConfig withGuestTokenTtl(Duration ttl) {
        return new RoomsConfig(callMaxPeople, liveStageMax, spaceCoHostsMax, spaceSpeakersMax, screenShareMaxPeople,
                liveHostGrace, eventBatchInterval, joinTokenTtl, sessionTtl, resumeGrace, ttl, purgeInterval, listedAudience);
    }

    public RoomsConfig withPurgeInterval(Duration interval) {
        return new RoomsConfig(callMaxPeople, liveStageMax, spaceCoHostsMax, spaceSpeakersMax, screenShareMaxPeople,
                liveHostGrace, eventBatchInterval, joinTokenTtl, sessionTtl, resumeGrace, guestTokenTtl, interval, listedAudience);
    }

    public RoomsConfig withSessionTtl(Duration ttl) {
        return new RoomsConfig(callMaxPeople, liveStageMax, spaceCoHostsMax, spaceSpeakersMax, screenShareMaxPeople,
                liveHostGrace, eventBatchInterval, joinTokenTtl, ttl, resumeGrace, guestTokenTtl, purgeInterval, listedAudience);
    }

    public RoomsConfig withListedAudience(int listed) {
        return new RoomsConfig(callMaxPeople, liveStageMax, spaceCoHostsMax, spaceSpeakersMax, screenShareMaxPeople,
                liveHostGrace, eventBatchInterval, joinTokenTtl, sessionTtl, resumeGrace, guestTokenTtl, purgeInterval,
                listed);
    }
}
