package org.salotto.rooms.money;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.salotto.rooms.Caller;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.domain.Actor;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.domain.MemberView;
import org.salotto.rooms.domain.RoomMachine;
import org.salotto.rooms.runtime.RoomRuntime;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.StoreException;
import org.salotto.signaling.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Badges bought and refunded, exactly once per {@code Idempotency-Key} (docs/architecture.md "The ledger"):
 *
 * <ol>
 * <li>requests of one caller with one key run one after the other (an in-process lock per key, waiting at most
 *     {@code badges.idempotency-wait}); a key already answered gets that answer again, or {@code idempotency_mismatch}
 *     when the request differs;</li>
 * <li>the live is asked whether it would take the badge (the buyer a viewer in it, the target on stage), so that what
 *     it would refuse is not charged;</li>
 * <li>the payment provider is asked for the charge, on this (virtual) thread, never on the room's executor; the
 *     purchase's id, made from the caller and the key, is the provider's idempotency key too;</li>
 * <li>the live decides {@link Command.BuyBadge}; the decision's unit of work carries the purchase, its balanced
 *     ledger transaction, the key's record and the outbox event, in one database transaction. The live refusing it
 *     (the target just left the stage) gives the charge back.</li>
 * </ol>
 *
 * The database's primary key on (caller, key) is the last defence, for two servers on one database.
 */
public final class Purchases {
    private static final Logger log = LoggerFactory.getLogger(Purchases.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A purchase as answered: {@code replayed} when it is the stored answer to an earlier request with the key. */
    public record Outcome(Purchase purchase, boolean replayed) {
    }

    /** What one person on stage earned in a live: {@code amount} in minor units, after the platform's fee. */
    public record Earning(String identity, String participantId, String name, long amount, int badges) {
    }

    /** Who supported a live: what they paid (refunds taken off), hearts and badges. */
    public record Supporter(String identity, String name, long amount, int hearts, int badges) {
    }

    private final RoomRuntime rooms;
    private final LedgerStore ledger;
    private final PaymentProvider provider;
    private final BadgesConfig config;
    private final Clock clock;
    private final KeyedLocks locks = new KeyedLocks();
    /** Keys whose purchase the live decided but whose writes were held by a database outage: key -> room. */
    private final Map<String, String> pending = new ConcurrentHashMap<>();
    private final AtomicLong duplicateAnswers = new AtomicLong();
    private final AtomicLong voided = new AtomicLong();
    private final AtomicLong bought = new AtomicLong();
    private final AtomicLong declined = new AtomicLong();

    public Purchases(RoomRuntime rooms, LedgerStore ledger, PaymentProvider provider, BadgesConfig config, Clock clock) {
        this.rooms = rooms;
        this.ledger = ledger;
        this.provider = provider;
        this.config = config;
        this.clock = clock;
    }

    public BadgePrices prices() {
        return config.prices();
    }

    public PaymentProvider provider() {
        return provider;
    }

    public LedgerStore ledger() {
        return ledger;
    }

    /** Provider answers after the first one for a charge, ignored. */
    public long duplicateAnswers() {
        return duplicateAnswers.get();
    }

    /** Badges bought (answered 201 the first time; replays not counted). */
    public long bought() {
        return bought.get();
    }

    /** Charges the provider declined. */
    public long declined() {
        return declined.get();
    }

    /** Charges given back because the live refused the badge after the payment. */
    public long voided() {
        return voided.get();
    }

    // ---- buying ----

    /**
     * Buys a badge of {@code hearts} for {@code targetId} in the live {@code room} (which the caller may see), once per
     * {@code key}. Refusals: {@code bad_request}, {@code not_allowed}, {@code not_on_stage}, {@code payment_declined},
     * {@code idempotency_mismatch}, {@code busy} (the key is still in use past the wait), {@code unavailable}.
     */
    public Outcome buy(Caller caller, Room room, String key, String targetId, int hearts) throws RoomException {
        checkKey(key);
        if (hearts < 1 || hearts > BadgePrices.MAX_HEARTS) throw RoomException.badRequest("'hearts' must be 1, 2 or 3");
        if (targetId == null || targetId.isEmpty() || targetId.length() > 64) throw RoomException.badRequest("'targetId' is missing");
        String hash = requestHash(room.id(), targetId, hearts);
        String lockKey = caller.identity() + "\n" + key;
        KeyedLocks.Held held;
        try {
            held = locks.acquire(lockKey, config.idempotencyWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoomException(ErrorCode.BUSY, "interrupted while waiting for the purchase");
        }
        if (held == null) {
            throw new RoomException(ErrorCode.BUSY, "a purchase with this Idempotency-Key is still being made: try again");
        }
        try (held) {
            String waitFor = pending.get(lockKey);
            if (waitFor != null) {
                // Its writes were held by an outage: they are stored (or still waiting: unavailable) before we read.
                rooms.settled(waitFor);
                pending.remove(lockKey);
            }
            Optional<IdempotencyRecord> prior = ledger.idempotency(caller.identity(), key);
            if (prior.isPresent()) return replay(prior.get(), hash);
            return buyOnce(caller, room, key, hash, lockKey, targetId, hearts);
        }
    }

    private Outcome buyOnce(Caller caller, Room room, String key, String hash, String lockKey, String targetId, int hearts)
            throws RoomException {
        if (room.kind() != RoomKind.LIVE) throw RoomException.badRequest("badges are bought in a live");
        if (room.state() == RoomState.ENDED) throw new RoomException(ErrorCode.ROOM_ENDED, "this live has ended");
        Actor actor = new Actor(caller.identity(), caller.accountId());
        // Asked before the charge; the live asks again when it decides (the stage may change meanwhile).
        RoomException refusal = rooms.read(room.id(), model -> Optional.ofNullable(RoomMachine.badgeRefusal(model, actor, targetId)))
                .orElseGet(() -> Optional.of(RoomException.notAllowed("join the live to buy a badge")))
                .orElse(null);
        if (refusal != null) throw refusal;

        BadgePrices prices = config.prices();
        long amount = prices.price(hearts);
        long fee = prices.fee(amount);
        String purchaseId = purchaseId(caller.identity(), key);
        PaymentProvider.ChargeAnswer answer = charge(new PaymentProvider.ChargeRequest(purchaseId, caller.identity(), amount,
                prices.currency(), hearts + (hearts == 1 ? " heart" : " hearts") + " badge in live " + room.id()));
        if (answer instanceof PaymentProvider.ChargeAnswer.Declined d) {
            RoomException declined = new RoomException(ErrorCode.PAYMENT_DECLINED, "the payment was declined: " + d.reason());
            this.declined.incrementAndGet();
            keepRefusal(caller, key, hash, IdempotencyRecord.Outcome.DECLINED, declined);
            throw declined;
        }
        String chargeId = ((PaymentProvider.ChargeAnswer.Approved) answer).chargeId();
        BadgePayment payment = new BadgePayment(purchaseId, newId("tx_"), room.id(), hearts, amount, fee, prices.currency(),
                chargeId, key, hash);
        try {
            rooms.decide(room.id(), new Command.BuyBadge(actor, targetId, hearts, payment));
        } catch (RoomException refused) {
            // The live did not take it: nothing was written; the buyer gets the money back.
            giveBack(chargeId, purchaseId);
            keepRefusal(caller, key, hash, IdempotencyRecord.Outcome.REFUSED, refused);
            throw refused;
        } catch (StoreException.Unavailable outage) {
            // Decided, and held by the room's writer until the database is back: a retry waits for it (see buy).
            pending.put(lockKey, room.id());
            throw outage;
        } catch (StoreException.Conflict conflict) {
            // Another server on the same database stored this key's purchase first (same purchase id, same charge).
            Optional<IdempotencyRecord> first = ledger.idempotency(caller.identity(), key);
            if (first.isPresent()) {
                log.warn("purchase {}: another server stored it first", purchaseId);
                return replay(first.get(), hash);
            }
            // Something else clashed (a charge id used before): nothing was stored, so the money goes back.
            giveBack(chargeId, purchaseId);
            throw conflict;
        }
        Purchase p = ledger.purchase(purchaseId).orElseThrow(() -> new IllegalStateException("purchase " + purchaseId + " not stored"));
        bought.incrementAndGet();
        return new Outcome(p, false);
    }

    private Outcome replay(IdempotencyRecord prior, String hash) throws RoomException {
        if (!prior.requestHash().equals(hash)) {
            throw new RoomException(ErrorCode.IDEMPOTENCY_MISMATCH,
                    "this Idempotency-Key was used for another purchase: use a new key for a new purchase");
        }
        if (prior.outcome() == IdempotencyRecord.Outcome.COMPLETED) {
            Purchase p = ledger.purchase(prior.purchaseId())
                    .orElseThrow(() -> new IllegalStateException("purchase " + prior.purchaseId() + " of a key is missing"));
            return new Outcome(p, true);
        }
        throw new RoomException(ErrorCode.valueOf(prior.errorCode().toUpperCase(java.util.Locale.ROOT)), prior.message());
    }

    /** The provider's first answer, within badges.provider-timeout; later answers are counted and ignored. */
    private PaymentProvider.ChargeAnswer charge(PaymentProvider.ChargeRequest request) throws RoomException {
        CompletableFuture<PaymentProvider.ChargeAnswer> first = new CompletableFuture<>();
        provider.charge(request, a -> {
            if (!first.complete(a)) {
                duplicateAnswers.incrementAndGet();
                log.debug("purchase {}: the payment provider answered again; the first answer stands", request.reference());
            }
        });
        try {
            return first.get(config.providerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Nothing is stored: a retry with the same key asks again with the same reference, which the provider
            // answers as it answered this one (one charge).
            log.warn("purchase {}: the payment provider did not answer within {}", request.reference(), config.providerTimeout());
            throw new RoomException(ErrorCode.UNAVAILABLE, "the payment provider did not answer in time: try again with the same Idempotency-Key");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoomException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the payment provider");
        } catch (ExecutionException e) {
            throw new RoomException(ErrorCode.UNAVAILABLE, "the payment provider failed: " + e.getCause().getMessage());
        }
    }

    private void giveBack(String chargeId, String purchaseId) {
        try {
            provider.refund(chargeId);
            voided.incrementAndGet();
        } catch (PaymentException e) {
            log.error("purchase {}: the live refused the badge but charge {} could not be given back: {}", purchaseId, chargeId,
                    e.getMessage());
        }
    }

    private void keepRefusal(Caller caller, String key, String hash, IdempotencyRecord.Outcome outcome, RoomException e) {
        try {
            ledger.recordRefusal(new IdempotencyRecord(caller.identity(), key, hash, outcome, null, e.errorCode().wireName(),
                    e.getMessage(), clock.instant()));
        } catch (StoreException kept) {
            // Another server answered this key meanwhile, or the database is down: a retry asks again, as it would.
            log.warn("the answer to an Idempotency-Key could not be kept: {}", kept.getMessage());
        }
    }

    // ---- refunds ----

    /** Refunds a purchase (the host of its live): a reversing transaction, once, whoever asks how often. */
    public Purchase refund(Caller caller, String purchaseId, java.util.function.Function<String, Room> roomOf) throws RoomException {
        if (purchaseId == null || purchaseId.length() > 64) throw new RoomException(ErrorCode.NOT_FOUND, "there is no such purchase");
        KeyedLocks.Held held;
        try {
            held = locks.acquire("refund\n" + purchaseId, config.idempotencyWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoomException(ErrorCode.BUSY, "interrupted while waiting for the refund");
        }
        if (held == null) throw new RoomException(ErrorCode.BUSY, "this purchase is being refunded: try again");
        try (held) {
            Purchase p = ledger.purchase(purchaseId).orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND, "there is no such purchase"));
            Room room = roomOf.apply(p.roomId());
            if (caller == null || caller.accountId() < 0 || caller.accountId() != room.hostAccountId()) {
                throw RoomException.notAllowed("only the host of the live refunds its badges");
            }
            // A refund the live decided whose write an outage holds is stored (or this waits, unavailable) before
            // the purchase is read again: a retry does not decide it twice.
            rooms.settled(p.roomId());
            p = ledger.purchase(purchaseId).orElseThrow();
            if (p.state() == Purchase.State.REFUNDED) return p;
            LedgerTransaction original = ledger.purchaseTransaction(purchaseId)
                    .orElseThrow(() -> new IllegalStateException("purchase " + purchaseId + " has no transaction"));
            try {
                provider.refund(p.chargeId());
            } catch (PaymentException e) {
                throw new RoomException(ErrorCode.UNAVAILABLE, "the payment provider did not refund: " + e.getMessage());
            }
            // The live decides it (ended or not): the reversal is written by the room's writer with the
            // purchaseRefunded outbox event, in the room's sequence (webhooks' purchase.refunded).
            try {
                rooms.decide(p.roomId(), new Command.RefundBadge(p, original.reversal(newId("tx_"), clock.instant())));
            } catch (StoreException.Conflict refundedElsewhere) {
                // Another server on the same database refunded it first: its reversal and its event stand.
                log.warn("purchase {}: another server refunded it first", purchaseId);
            }
            return ledger.purchase(purchaseId).orElseThrow();
        }
    }

    // ---- what a live earned ----

    /**
     * What the people on stage earned in a live, from the ledger's entries: the host sees everyone, anyone else who is
     * on stage or earned in it their own line; others are refused.
     */
    public List<Earning> earnings(Caller caller, Room room) throws RoomException {
        Map<String, MemberView> present = new LinkedHashMap<>();
        for (MemberView m : rooms.read(room.id(), model -> model.members()).orElse(List.of())) present.put(m.identity(), m);
        Map<String, Long> owed = new LinkedHashMap<>();
        for (Map.Entry<LedgerAccount, Long> b : ledger.roomBalances(room.id()).entrySet()) {
            if (b.getKey().kind() == LedgerAccount.Kind.EARNINGS) owed.put(b.getKey().identity(), b.getKey().shown(b.getValue()));
        }
        Map<String, int[]> badges = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Purchase p : ledger.purchases(room.id())) {
            names.put(p.targetIdentity(), p.targetName());
            if (p.state() == Purchase.State.COMPLETED) badges.computeIfAbsent(p.targetIdentity(), k -> new int[1])[0]++;
        }
        // Everyone on stage now, and everyone who earned here.
        List<String> who = new ArrayList<>();
        for (MemberView m : present.values()) if (onStage(m.role())) who.add(m.identity());
        for (String id : names.keySet()) if (!who.contains(id)) who.add(id);
        boolean host = caller.accountId() >= 0 && caller.accountId() == room.hostAccountId();
        if (!host) {
            if (!who.contains(caller.identity())) throw RoomException.notAllowed("earnings are for the people on stage");
            who = List.of(caller.identity());
        }
        List<Earning> out = new ArrayList<>(who.size());
        for (String identity : who) {
            MemberView m = present.get(identity);
            String name = m != null ? m.displayName() : names.getOrDefault(identity, "someone");
            int[] n = badges.get(identity);
            out.add(new Earning(identity, m == null ? null : m.participantId(), name, owed.getOrDefault(identity, 0L),
                    n == null ? 0 : n[0]));
        }
        return out;
    }

    /** The live's supporters, biggest first (the host only): refunded badges do not count. */
    public List<Supporter> supporters(Caller caller, Room room) throws RoomException {
        if (caller.accountId() < 0 || caller.accountId() != room.hostAccountId()) {
            throw RoomException.notAllowed("only the host sees the supporters of the live");
        }
        Map<String, Supporter> by = new LinkedHashMap<>();
        for (Purchase p : ledger.purchases(room.id())) {
            if (p.state() != Purchase.State.COMPLETED) continue;
            Supporter s = by.get(p.buyerIdentity());
            by.put(p.buyerIdentity(), s == null ? new Supporter(p.buyerIdentity(), p.buyerName(), p.amount(), p.hearts(), 1)
                    : new Supporter(s.identity(), p.buyerName(), s.amount() + p.amount(), s.hearts() + p.hearts(), s.badges() + 1));
        }
        List<Supporter> out = new ArrayList<>(by.values());
        out.sort(Comparator.comparingLong(Supporter::amount).reversed().thenComparing(Supporter::name));
        return out;
    }

    /**
     * The balance of one of the caller's accounts: {@code me} or {@code earnings:me} (what they earned as a creator),
     * {@code buyer:me}, or either with their own identity. The platform's accounts are the operator's, not the API's.
     */
    public LedgerAccount accountOf(Caller caller, String name) throws RoomException {
        if (caller == null) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in, or use your guest token");
        String id = switch (name) {
            case "me", "earnings:me" -> "earnings:" + caller.identity();
            case "buyer:me" -> "buyer:" + caller.identity();
            default -> name;
        };
        LedgerAccount account;
        try {
            account = new LedgerAccount(id);
        } catch (IllegalArgumentException e) {
            throw new RoomException(ErrorCode.NOT_FOUND, "there is no ledger account " + name);
        }
        if (!caller.identity().equals(account.identity())) throw RoomException.notAllowed("this is not your account");
        return account;
    }

    public long balance(LedgerAccount account) {
        return ledger.balance(account);
    }

    // ---- ids and keys ----

    private static boolean onStage(Role r) {
        return r == Role.HOST || r == Role.CO_HOST || r == Role.STAGE;
    }

    /** 1 to 100 printable ASCII characters, as payment APIs take them. */
    static void checkKey(String key) throws RoomException {
        if (key == null || key.isEmpty()) throw RoomException.badRequest("send an Idempotency-Key header: a new random one per purchase");
        if (key.length() > 100 || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw RoomException.badRequest("the Idempotency-Key must be 1 to 100 printable ASCII characters");
        }
    }

    /** The purchase of a caller's key: the same on every server and after a restart (the provider's reference). */
    static String purchaseId(String identity, String key) {
        byte[] d = sha256(identity + "\n" + key);
        return "pu_" + Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 24);
    }

    static String requestHash(String roomId, String targetId, int hearts) {
        return HexFormat.of().formatHex(sha256(roomId + "\n" + targetId + "\n" + hearts));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newId(String prefix) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
