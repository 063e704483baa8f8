package org.salotto.rooms.people;

import java.time.Instant;

/** One entry of a followers or following list: the other person, and when the follow began. */
public record Follow(Person person, Instant at) {
}
