package org.salotto.rooms.account;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Passwords as slow, salted hashes: Argon2id (RFC 9106) through BouncyCastle, encoded the way the reference
 * implementation and most libraries write it (the PHC string format):
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, salt and hash in base64 without padding.
 * The parameters travel in the string, so a hash made with older settings still verifies and
 * {@link #needsRehash(String)} says when to replace it at the next login. Thread-safe.
 */
public final class PasswordHasher {
    /** OWASP's interactive-login setting for Argon2id: 19 MiB, 2 passes, 1 lane; about 20-40 ms on a server core. */
    public static final int DEFAULT_MEMORY_KIB = 19_456;
    public static final int DEFAULT_ITERATIONS = 2;
    public static final int DEFAULT_PARALLELISM = 1;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final String PREFIX = "$argon2id$v=19$";

    // Limits on what verify() accepts from a stored string, so a corrupted or hostile row cannot make one login
    // allocate gigabytes or spin for minutes. The constructor keeps to the same limits, so every hash made verifies.
    private static final int MAX_MEMORY_KIB = 1 << 20; // 1 GiB
    private static final int MAX_ITERATIONS = 1_000;
    private static final int MAX_PARALLELISM = 64;
    private static final int MIN_SALT_BYTES = 8; // RFC 9106 §3.1: salt at least 8 bytes
    private static final int MAX_SALT_BYTES = 64;
    private static final int MIN_HASH_BYTES = 16;
    private static final int MAX_HASH_BYTES = 64;

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();

    public PasswordHasher() {
        this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);
    }

    /** Argon2id with {@code memoryKib} KiB of memory, {@code iterations} passes over it and {@code parallelism} lanes. */
    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("parallelism must be 1.." + MAX_PARALLELISM + ", is " + parallelism);
        }
        // RFC 9106 §3.1: at least 8 KiB per lane.
        if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("memory must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB + " KiB, is " + memoryKib);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + ", is " + iterations);
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /** Cheap settings (64 KiB, 1 pass) for tests that make many accounts. Never for real passwords. */
    public static PasswordHasher forTests() {
        return new PasswordHasher(64, 1, 1);
    }

    /** A new encoded hash of {@code password} with a fresh random salt. */
    public String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2id(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return PREFIX + "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * Whether {@code password} is the one {@code encoded} was made from, compared in constant time. False, never an
     * exception, for a null or malformed {@code encoded}.
     */
    public boolean verify(char[] password, String encoded) {
        Objects.requireNonNull(password, "password");
        Encoded e = Encoded.parse(encoded);
        if (e == null) return false;
        byte[] actual = argon2id(password, e.salt, e.memoryKib, e.iterations, e.parallelism, e.hash.length);
        return MessageDigest.isEqual(actual, e.hash);
    }

    /** Whether {@code encoded} was made with other settings than this hasher's (or cannot be read): hash again. */
    public boolean needsRehash(String encoded) {
        Encoded e = Encoded.parse(encoded);
        return e == null || e.memoryKib != memoryKib || e.iterations != iterations || e.parallelism != parallelism
                || e.salt.length != SALT_BYTES || e.hash.length != HASH_BYTES;
    }

    /** Argon2id version 0x13 of the password's UTF-8 bytes. */
    private static byte[] argon2id(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        byte[] bytes = utf8(password);
        try {
            return argon2id(bytes, salt, null, null, memoryKib, iterations, parallelism, length);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The raw function with RFC 9106's optional secret and associated data, here so the RFC's vectors can test it. */
    static byte[] argon2id(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, int memoryKib,
                           int iterations, int parallelism, int length) {
        Argon2Parameters.Builder params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt);
        if (secret != null) params.withSecret(secret);
        if (associatedData != null) params.withAdditional(associatedData);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params.build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        // Do not leave a copy of the password in the encoder's buffer.
        if (encoded.hasArray()) Arrays.fill(encoded.array(), (byte) 0);
        return bytes;
    }

    /** A parsed and bounds-checked PHC string; {@link #parse} gives null for anything else. */
    private record Encoded(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
        static Encoded parse(String s) {
            if (s == null || !s.startsWith(PREFIX)) return null;
            String[] parts = s.substring(PREFIX.length()).split("\\$", -1);
            if (parts.length != 3) return null;
            String[] params = parts[0].split(",", -1);
            if (params.length != 3) return null;
            int m = param(params[0], "m=");
            int t = param(params[1], "t=");
            int p = param(params[2], "p=");
            if (p < 1 || p > MAX_PARALLELISM || m < 8 * p || m > MAX_MEMORY_KIB || t < 1 || t > MAX_ITERATIONS) return null;
            byte[] salt = base64(parts[1]);
            byte[] hash = base64(parts[2]);
            if (salt == null || salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) return null;
            if (hash == null || hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) return null;
            return new Encoded(m, t, p, salt, hash);
        }

        /** The decimal after {@code key}, or -1. At most 9 digits, so it fits an int and never overflows. */
        private static int param(String s, String key) {
            if (!s.startsWith(key)) return -1;
            String digits = s.substring(key.length());
            if (digits.isEmpty() || digits.length() > 9) return -1;
            for (int i = 0; i < digits.length(); i++) {
                if (digits.charAt(i) < '0' || digits.charAt(i) > '9') return -1;
            }
            return Integer.parseInt(digits);
        }

        /** PHC base64: the standard alphabet, no padding. */
        private static byte[] base64(String s) {
            if (s.isEmpty() || s.indexOf('=') >= 0) return null;
            try {
                return B64_DECODER.decode(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
