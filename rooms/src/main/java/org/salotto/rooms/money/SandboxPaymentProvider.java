package org.salotto.rooms.money;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A payment provider that moves no money, for development and tests ({@code badges.provider = sandbox}). It approves
 * every charge unless told otherwise by its {@link Settings} (configuration {@code badges.sandbox}): decline every
 * n-th charge, answer only after a delay, or deliver each answer twice. Like a real provider it is idempotent by the
 * charge's reference, and it answers on a thread of its own.
 */
public final class SandboxPaymentProvider implements PaymentProvider {

    /**
     * @param declineEvery decline every n-th new charge (1: all; 0: none)
     * @param delay        how long before each answer
     * @param answerTwice  deliver each answer twice
     */
    public record Settings(int declineEvery, Duration delay, boolean answerTwice) {
        public Settings {
            if (declineEvery < 0) throw new IllegalArgumentException("declineEvery must not be negative");
            if (delay == null || delay.isNegative()) throw new IllegalArgumentException("delay must not be negative");
        }

        public static Settings approveAll() {
            return new Settings(0, Duration.ZERO, false);
        }
    }

    private enum State { APPROVED, DECLINED, REFUNDED }

    private record Charge(String id, long amount, State state) {
    }

    private final Settings settings;
    /** Charges by reference. */
    private final Map<String, Charge> byReference = new ConcurrentHashMap<>();
    private final Map<String, String> referenceOf = new ConcurrentHashMap<>();
    private final AtomicLong asked = new AtomicLong();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong refunds = new AtomicLong();

    public SandboxPaymentProvider(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void charge(ChargeRequest request, Consumer<ChargeAnswer> answer) {
        Charge charge = byReference.computeIfAbsent(request.reference(), ref -> {
            long n = asked.incrementAndGet();
            boolean decline = settings.declineEvery() > 0 && n % settings.declineEvery() == 0;
            // Unique across restarts too: purchases keep charge ids, and one charge pays for one purchase.
            String id = "ch_sandbox_" + java.util.UUID.randomUUID().toString().replace("-", "");
            referenceOf.put(id, ref);
            return new Charge(id, request.amount(), decline ? State.DECLINED : State.APPROVED);
        });
        ChargeAnswer a = charge.state() == State.DECLINED
                ? new ChargeAnswer.Declined(settings.declineEvery() == 1 ? "the sandbox declines every charge"
                        : "the sandbox declines every " + nth(settings.declineEvery()) + " charge")
                : new ChargeAnswer.Approved(charge.id());
        Thread.ofVirtual().name("sandbox-payment").start(() -> {
            try {
                if (settings.delay().isPositive()) Thread.sleep(settings.delay());
            } catch (InterruptedException e) {
                return;
            }
            answers.incrementAndGet();
            answer.accept(a);
            if (settings.answerTwice()) {
                answers.incrementAndGet();
                answer.accept(a);
            }
        });
    }

    @Override
    public void refund(String chargeId) throws PaymentException {
        String ref = referenceOf.get(chargeId);
        if (ref == null) throw new PaymentException("the sandbox has no charge " + chargeId);
        Charge before = byReference.get(ref);
        if (before.state() == State.DECLINED) throw new PaymentException("charge " + chargeId + " was declined: nothing to give back");
        // Atomically: two refunds of one charge at once give it back once.
        if (byReference.replace(ref, before, new Charge(before.id(), before.amount(), State.REFUNDED))
                && before.state() == State.APPROVED) {
            refunds.incrementAndGet();
        }
    }

    @Override
    public String name() {
        return "sandbox";
    }

    /** Charges asked for (new references). */
    public long charges() {
        return asked.get();
    }

    /** Answers delivered, each duplicate counted. */
    public long answers() {
        return answers.get();
    }

    /** Charges given back. */
    public long refunds() {
        return refunds.get();
    }

    /** Minor units approved and not given back: what the buyers are out of pocket. */
    public long heldTotal() {
        long sum = 0;
        for (Charge c : byReference.values()) if (c.state() == State.APPROVED) sum += c.amount();
        return sum;
    }

    private static String nth(int n) {
        return n + (n % 10 == 1 && n % 100 != 11 ? "st" : n % 10 == 2 && n % 100 != 12 ? "nd" : n % 10 == 3 && n % 100 != 13 ? "rd" : "th");
    }
}
