package org.salotto.rooms.domain;

import java.security.SecureRandom;

/** Where new participant and lobby ids come from: random in the server, counted in tests. */
@FunctionalInterface
public interface IdSource {
    String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** A new id starting with {@code prefix}. */
    String next(String prefix);

    /** 14 random characters after the prefix (83 bits): ids are not guessable. */
    static IdSource random() {
        SecureRandom random = new SecureRandom();
        return prefix -> {
            StringBuilder b = new StringBuilder(prefix);
            for (int i = 0; i < 14; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            return b.toString();
        };
    }
}
