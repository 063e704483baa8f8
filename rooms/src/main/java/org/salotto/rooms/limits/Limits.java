package org.salotto.rooms.limits;

import java.time.Duration;
import java.util.List;

/**
 * Every abuse limit (the configuration's {@code limits} section, where each has its default and unit). A refusal is
 * {@code 429 rate_limited} with {@code Retry-After} (an {@code error} frame with {@code retryAfterMs} on the
 * WebSocket); a full password-hash queue is {@code 503 busy}.
 *
 * @param loginPerAddress        logins and sign-ups from one client address
 * @param loginPerAccount        logins and sign-ups naming one username, from anywhere
 * @param loginLockoutFailures   wrong passwords in a row that lock an account's login (0: never)
 * @param loginLockout           how long that lock lasts
 * @param passwordHashesAtOnce   Argon2id hashes running at once (0: half the processors, at least 1)
 * @param passwordHashQueue      logins waiting for a hash at most; past it, {@code busy}
 * @param passwordHashWait       how long a login waits for a hash at most; past it, {@code busy}
 * @param roomsPerAccount        rooms one account creates
 * @param guestTokensPerAddress  guest tokens one client address gets
 * @param joinTokensPerAddress   join tokens (and application tokens) one client address gets
 * @param reactionsPerPerson     reactions one person sends in a room
 * @param knocksPerPerson        joins (each a knock in a room with a lobby) one person sends in a room
 * @param lobbyMaxPeople         people waiting in one room's lobby; a knock past it is refused
 * @param framesPerConnection    WebSocket frames one connection sends; past it, an error and the socket closes
 * @param connectionsPerAddress  TCP connections open at once from one address (0: no limit)
 * @param requestHeaderTimeout   a connection must finish sending a request's headers within this
 * @param trackedKeysMax         keys (addresses, accounts, people) each limiter remembers at most
 * @param trustedProxies         addresses of reverse proxies whose {@code X-Forwarded-For} names the client
 * @param commentsPerPerson      comments one person writes in a live
 */
public record Limits(Rate loginPerAddress, Rate loginPerAccount, int loginLockoutFailures, Duration loginLockout,
                     int passwordHashesAtOnce, int passwordHashQueue, Duration passwordHashWait, Rate roomsPerAccount,
                     Rate guestTokensPerAddress, Rate joinTokensPerAddress, Rate reactionsPerPerson,
                     Rate knocksPerPerson, int lobbyMaxPeople, Rate framesPerConnection, int connectionsPerAddress,
                     Duration requestHeaderTimeout, int trackedKeysMax, List<String> trustedProxies,
                     Rate commentsPerPerson) {

    /** The default comment rate: 5 per 10 s per person. */
    public static final Rate COMMENTS_PER_PERSON = Rate.of(5, Duration.ofSeconds(10));

    /** Limits with the default comment rate. */
    public Limits(Rate loginPerAddress, Rate loginPerAccount, int loginLockoutFailures, Duration loginLockout,
                  int passwordHashesAtOnce, int passwordHashQueue, Duration passwordHashWait, Rate roomsPerAccount,
                  Rate guestTokensPerAddress, Rate joinTokensPerAddress, Rate reactionsPerPerson,
                  Rate knocksPerPerson, int lobbyMaxPeople, Rate framesPerConnection, int connectionsPerAddress,
                  Duration requestHeaderTimeout, int trackedKeysMax, List<String> trustedProxies) {
        this(loginPerAddress, loginPerAccount, loginLockoutFailures, loginLockout, passwordHashesAtOnce, passwordHashQueue,
                passwordHashWait, roomsPerAccount, guestTokensPerAddress, joinTokensPerAddress, reactionsPerPerson,
                knocksPerPerson, lobbyMaxPeople, framesPerConnection, connectionsPerAddress, requestHeaderTimeout,
                trackedKeysMax, trustedProxies, COMMENTS_PER_PERSON);
    }

    public Limits {
        if (loginLockoutFailures < 0 || passwordHashesAtOnce < 0 || passwordHashQueue < 0 || lobbyMaxPeople < 1
                || connectionsPerAddress < 0 || trackedKeysMax < 1) {
            throw new IllegalArgumentException("limits must not be negative; lobby and tracked keys at least 1");
        }
        for (Duration d : new Duration[] {loginLockout, passwordHashWait, requestHeaderTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("limit durations must be positive");
        }
        trustedProxies = List.copyOf(trustedProxies);
        if (commentsPerPerson == null) throw new IllegalArgumentException("limits.comments-per-person is missing");
    }

    /** The defaults of salotto-reference.conf. */
    public static Limits defaults() {
        return new Limits(Rate.of(20, Duration.ofMinutes(1)), Rate.of(10, Duration.ofMinutes(1)), 10,
                Duration.ofMinutes(5), 0, 32, Duration.ofSeconds(2), Rate.of(20, Duration.ofHours(1)),
                Rate.of(20, Duration.ofMinutes(1)), Rate.of(60, Duration.ofMinutes(1)), Rate.of(20, Duration.ofSeconds(10)),
                Rate.of(10, Duration.ofMinutes(1)), 100, Rate.of(100, Duration.ofSeconds(1)), 100,
                Duration.ofSeconds(10), 100_000, List.of());
    }

    /**
     * Limits far above what any test does, for tests of other things (one address makes all their requests). The
     * lobby and hash limits stay real.
     */
    public static Limits relaxed() {
        Rate many = Rate.of(1_000_000, Duration.ofSeconds(1));
        return new Limits(many, many, 0, Duration.ofMinutes(5), 0, 1_000, Duration.ofSeconds(30), many, many, many,
                many, many, 100, many, 0, Duration.ofSeconds(10), 100_000, List.of(), many);
    }

    /** The hashes that may run at once: the setting, or half the processors (at least 1) for 0. */
    public int hashesAtOnce() {
        return passwordHashesAtOnce > 0 ? passwordHashesAtOnce : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public Limits withLogin(Rate perAddress, Rate perAccount, int lockoutFailures, Duration lockout) {
        return new Limits(perAddress, perAccount, lockoutFailures, lockout, passwordHashesAtOnce, passwordHashQueue,
                passwordHashWait, roomsPerAccount, guestTokensPerAddress, joinTokensPerAddress, reactionsPerPerson,
                knocksPerPerson, lobbyMaxPeople, framesPerConnection, connectionsPerAddress, requestHeaderTimeout,
                trackedKeysMax, trustedProxies, commentsPerPerson);
    }

    public Limits withPasswordHashes(int atOnce, int queue, Duration wait) {
        return new Limits(loginPerAddress, loginPerAccount, loginLockoutFailures, loginLockout, atOnce, queue, wait,
                roomsPerAccount, guestTokensPerAddress, joinTokensPerAddress, reactionsPerPerson, knocksPerPerson,
                lobbyMaxPeople, framesPerConnection, connectionsPerAddress, requestHeaderTimeout, trackedKeysMax,
                trustedProxies, commentsPerPerson);
    }

    public Limits withTokens(Rate roomsPerAccount, Rate guestTokensPerAddress, Rate joinTokensPerAddress) {
        return new Limits(loginPerAddress, loginPerAccount, loginLockoutFailures, loginLockout, passwordHashesAtOnce,
                passwordHashQueue, passwordHashWait, roomsPerAccount, guestTokensPerAddress, joinTokensPerAddress,
                reactionsPerPerson, knocksPerPerson, lobbyMaxPeople, framesPerConnection, connectionsPerAddress,
                requestHeaderTimeout, trackedKeysMax, trustedProxies, commentsPerPerson);
    }

    public Limits withRoom(Rate reactionsPerPerson, Rate knocksPerPerson, int lobbyMaxPeople, Rate framesPerConnection) {
        return new Limits(loginPerAddress, loginPerAccount, loginLockoutFailures, loginLockout, passwordHashesAtOnce,
                passwordHashQueue, passwordHashWait, roomsPerAccount, guestTokensPerAddress, joinTokensPerAddress,
                reactionsPerPerson, knocksPerPerson, lobbyMaxPeople, framesPerConnection, connectionsPerAddress,
                requestHeaderTimeout, trackedKeysMax, trustedProxies, commentsPerPerson);
    }

    public Limits withConnections(int connectionsPerAddress, Duration requestHeaderTimeout, List<String> trustedProxies) {
        return new Limits(loginPerAddress, loginPerAccount, loginLockoutFailures, loginLockout, passwordHashesAtOnce,
                passwordHashQueue, passwordHashWait, roomsPerAccount, guestTokensPerAddress, joinTokensPerAddress,
                reactionsPerPerson, knocksPerPerson, lobbyMaxPeople, framesPerConnection, connectionsPerAddress,
                requestHeaderTimeout, trackedKeysMax, trustedProxies, commentsPerPerson);
    }

    public Limits withComments(Rate commentsPerPerson) {
        return new Limits(loginPerAddress, loginPerAccount, loginLockoutFailures, loginLockout, passwordHashesAtOnce,
                passwordHashQueue, passwordHashWait, roomsPerAccount, guestTokensPerAddress, joinTokensPerAddress,
                reactionsPerPerson, knocksPerPerson, lobbyMaxPeople, framesPerConnection, connectionsPerAddress,
                requestHeaderTimeout, trackedKeysMax, trustedProxies, commentsPerPerson);
    }
}
