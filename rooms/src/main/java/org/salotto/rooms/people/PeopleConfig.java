package org.salotto.rooms.people;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Configuration {@code people.*}: the largest avatar upload in bytes, the usernames that are admins (besides the
 * first account and the accounts stored as admins), and how many reports an account may file in an hour.
 */
public record PeopleConfig(int avatarMaxBytes, List<String> admins, int reportsPerHour) {
    public static final int DEFAULT_AVATAR_MAX_BYTES = 2 * 1024 * 1024;

    public PeopleConfig {
        if (avatarMaxBytes < 1024) throw new IllegalArgumentException("people.avatar-max-bytes must be at least 1024");
        if (reportsPerHour < 1) throw new IllegalArgumentException("people.reports-per-hour must be at least 1");
        admins = List.copyOf(admins);
    }

    public static PeopleConfig defaults() {
        return new PeopleConfig(DEFAULT_AVATAR_MAX_BYTES, List.of(), 10);
    }

    public PeopleConfig withAdmins(List<String> names) {
        return new PeopleConfig(avatarMaxBytes, names, reportsPerHour);
    }

    public PeopleConfig withReportsPerHour(int n) {
        return new PeopleConfig(avatarMaxBytes, admins, n);
    }

    public PeopleConfig withAvatarMaxBytes(int n) {
        return new PeopleConfig(n, admins, reportsPerHour);
    }

    /** The configured admins' usernames, lower case (usernames compare case-insensitively). */
    Set<String> adminsLower() {
        return admins.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
