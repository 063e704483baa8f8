package org.salotto.rooms.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.salotto.rooms.Caller;
import org.salotto.rooms.Names;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.auth.StoredJoinKeys;
import org.salotto.rooms.auth.TokenSigner;
import org.salotto.rooms.limits.ConcurrencyGate;
import org.salotto.rooms.limits.Limiters;
import org.salotto.rooms.limits.Limits;
import org.salotto.rooms.store.Account;
import org.salotto.rooms.store.ApiKey;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.StoreException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * Sign up, log in and out, browser sessions and API keys. Passwords are kept only as Argon2id hashes; session tokens
 * and API key secrets (random, 256 bits) as SHA-256 hashes, so a copy of the database opens no account. An API key's
 * secret is also kept sealed (AES-GCM under a server secret, {@link StoredJoinKeys}), to verify the join tokens an
 * application signs with it: a copy of the whole database (its secrets table included) reveals those secrets, so
 * backups are kept as secret as the server's keys (docs/security.md).
 *
 * <p>Guessing is limited ({@link Limiters}): logins per username, a lockout after wrong passwords in a row, and every
 * Argon2id hash through one gate that runs only a few at once, so a flood of logins cannot take every core.
 */
public final class Accounts {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.]{3,32}");
    private static final Pattern API_KEY = Pattern.compile("sk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Store store;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Duration sessionTtl;
    private final Limiters limiters;
    /** Verified against when the username is unknown, so that a wrong name takes as long as a wrong password. */
    private final String decoyHash;
    private final TokenSigner deviceSigner;
    private final StoredJoinKeys joinKeys;

    public Accounts(Store store, PasswordHasher hasher, Clock clock, Duration sessionTtl) {
        this(store, hasher, clock, sessionTtl, new Limiters(Limits.defaults(), System::nanoTime));
    }

    /** Device cookies signed with a key of this instance's own: they hold until it is gone (tests). */
    public Accounts(Store store, PasswordHasher hasher, Clock clock, Duration sessionTtl, Limiters limiters) {
        this(store, hasher, clock, sessionTtl, limiters, new TokenSigner(randomKey()));
    }

    /** @param deviceSigner signs the device cookies (the server's token key: they hold across restarts) */
    public Accounts(Store store, PasswordHasher hasher, Clock clock, Duration sessionTtl, Limiters limiters,
                    TokenSigner deviceSigner) {
        this(store, hasher, clock, sessionTtl, limiters, deviceSigner, null);
    }

    /** @param joinKeys keeps each new API key's secret, sealed, to verify the join tokens minted with it (or null) */
    public Accounts(Store store, PasswordHasher hasher, Clock clock, Duration sessionTtl, Limiters limiters,
                    TokenSigner deviceSigner, StoredJoinKeys joinKeys) {
        this.joinKeys = joinKeys;
        this.store = store;
        this.deviceSigner = deviceSigner;
        this.hasher = hasher;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
        this.limiters = limiters;
        this.decoyHash = hasher.hash("not a password anyone has".toCharArray());
    }

    /** A new account; {@code address} is the client's, to queue its password hash (see {@link #logIn}). */
    public Account signUp(String username, String displayName, String password, String address) throws RoomException {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw RoomException.badRequest("'username' must be 3 to 32 of A-Z, a-z, 0-9, '_' and '.'");
        }
        String name = Names.displayName(displayName == null ? username : displayName);
        checkPassword(password);
        String hash = limiters.passwordHashes.call(lane(address), () -> hasher.hash(password.toCharArray()));
        try {
            return store.createAccount(username, name, hash, clock.instant());
        } catch (StoreException.Conflict e) {
            throw new RoomException(ErrorCode.USERNAME_TAKEN, "the username '" + username + "' is taken");
        }
    }

    /**
     * Checks the password and opens a session: returns the session token for the cookie, and the device token for the
     * device cookie. {@code address} is the client's; {@code deviceToken} the device cookie the browser sent, or null.
     *
     * <p>Guessing is slowed without locking the owner out (the device cookies of OWASP's "Slow down online guessing
     * attacks"): a browser that logged in to this account before brings its device token, and for it the wrong
     * passwords of others count nothing: it is locked only by its own wrong passwords, is not held to the account's
     * login rate, and its hash goes first ({@link ConcurrencyGate.Lane#TRUSTED}). Anyone else is held to the account's
     * lockout and rate, and after a wrong password from an address its next hashes wait behind everyone else's
     * ({@link ConcurrencyGate.Lane#SUSPECT}), so a flood of guesses delays the guessers.
     */
    public Session logIn(String username, String password, String address, String deviceToken) throws RoomException {
        if (username == null || password == null || username.length() > 64 || password.length() > 256) {
            throw new RoomException(ErrorCode.BAD_CREDENTIALS, "wrong username or password");
        }
        Optional<Account> account = store.accountByUsername(username);
        String device = deviceToken == null ? null : deviceSigner.verify(deviceToken);
        boolean trusted = device != null && account.isPresent() && device.startsWith("d1." + account.get().id() + ".");
        // Checked before the hash, so that a refused guess costs nothing; keyed by the device, or by the name as
        // typed, case folded.
        String key = trusted ? device : username.toLowerCase(java.util.Locale.ROOT);
        long locked = limiters.loginLockout.lockedFor(key);
        if (locked > 0) {
            throw RoomException.rateLimited((trusted ? "too many wrong passwords from this browser" : "too many wrong passwords for this account")
                    + ": try again in " + (locked + 999) / 1000 + " seconds", locked);
        }
        if (!trusted) Limiters.check(limiters.loginPerAccount, key, "logins for this account");
        String stored = account.map(Account::passwordHash).orElse(decoyHash);
        ConcurrencyGate.Lane lane = trusted ? ConcurrencyGate.Lane.TRUSTED : lane(address);
        boolean ok = limiters.passwordHashes.call(lane, () -> hasher.verify(password.toCharArray(), stored));
        if (account.isEmpty() || !ok) {
            limiters.loginLockout.failed(key);
            limiters.suspectAddresses.failed(address);
            throw new RoomException(ErrorCode.BAD_CREDENTIALS, "wrong username or password");
        }
        limiters.loginLockout.succeeded(key);
        limiters.suspectAddresses.succeeded(address);
        // Told only to someone who knows the password: a guesser learns nothing of the suspension.
        if (store.people().suspended(account.get().id())) {
            throw new RoomException(ErrorCode.SUSPENDED, "this account is suspended by the server's admins");
        }
        return startSession(account.get(), trusted ? deviceToken : newDeviceToken(account.get().id()));
    }

    /** A session for an account that has just signed up: no second hash of the password it was made with. */
    public Session startSession(Account account) {
        return startSession(account, newDeviceToken(account.id()));
    }

    private Session startSession(Account account, String deviceToken) {
        String token = randomToken();
        store.createSession(sha256(token), account.id(), clock.instant().plus(sessionTtl));
        return new Session(token, account, sessionTtl, deviceToken);
    }

    /** A device token for a browser that just logged in to the account: {@code d1.<account>.<random>}, signed. */
    private String newDeviceToken(long accountId) {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return deviceSigner.sign("d1." + accountId + "." + TokenSigner.base64url(id));
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private ConcurrencyGate.Lane lane(String address) {
        return limiters.suspectAddresses.lockedFor(address) > 0 ? ConcurrencyGate.Lane.SUSPECT : ConcurrencyGate.Lane.FIRST;
    }

    /** An open session: {@code token} for the session cookie, {@code deviceToken} for the device cookie. */
    public record Session(String token, Account account, Duration ttl, String deviceToken) {
    }

    public void logOut(String sessionToken) {
        if (sessionToken != null && sessionToken.length() <= 64) store.deleteSession(sha256(sessionToken));
    }

    /** Ends every session of the account, this browser's included ("log out everywhere"); returns how many. */
    public int logOutEverywhere(long accountId) {
        return store.deleteSessionsOf(accountId);
    }

    /** Deletes the sessions that have expired (they already open nothing); returns how many. */
    public int purgeExpiredSessions() {
        return store.deleteExpiredSessions(clock.instant());
    }

    /** The caller of a session cookie, if the session is open. */
    public Optional<Caller> sessionCaller(String sessionToken) {
        if (sessionToken == null || sessionToken.length() > 64) return Optional.empty();
        return store.sessionAccount(sha256(sessionToken), clock.instant()).map(Caller::account);
    }

    public Optional<Account> account(long id) {
        return store.account(id);
    }

    /** A new API key for the account: the text is shown once and only its hash is kept. */
    public String createApiKey(long accountId, String name) throws RoomException {
        String keyName = Names.displayName(name);
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) id.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        String secret = randomToken();
        store.createApiKey(new ApiKey(id.toString(), accountId, keyName, sha256(secret), clock.instant()));
        String text = "sk_" + id + "_" + secret;
        if (joinKeys != null) joinKeys.keepApiKeySecret(id.toString(), text);
        return text;
    }

    public List<ApiKey> apiKeys(long accountId) {
        return store.apiKeysOf(accountId);
    }

    public boolean deleteApiKey(long accountId, String keyId) {
        return store.deleteApiKey(keyId, accountId);
    }

    /** The caller of an API key text, if the key exists and its secret matches. */
    public Optional<Caller> apiKeyCaller(String text) {
        if (text == null) return Optional.empty();
        var m = API_KEY.matcher(text);
        if (!m.matches()) return Optional.empty();
        return store.apiKey(m.group(1))
                .filter(k -> MessageDigest.isEqual(k.secretHash(), sha256(m.group(2))))
                // A suspended account's keys open nothing (its sessions were deleted).
                .filter(k -> !store.people().suspended(k.accountId()))
                .map(k -> Caller.apiKey(k.accountId(), k.id()));
    }

    private static void checkPassword(String password) throws RoomException {
        if (password == null || password.length() < 8 || password.length() > 256) {
            throw RoomException.badRequest("'password' must be 8 to 256 characters");
        }
    }

    private static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return TokenSigner.base64url(b);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
