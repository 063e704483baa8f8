package org.salotto.rooms.people;

/** An avatar as the server re-encoded it: {@code image/png} bytes, and the version in its URL. */
public record Avatar(String contentType, byte[] image, long version) {
}
