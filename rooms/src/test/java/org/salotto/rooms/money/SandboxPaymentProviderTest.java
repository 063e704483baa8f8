package org.salotto.rooms.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sandbox provider does what its settings say: declines, delays, answers twice; and is idempotent by reference. */
class SandboxPaymentProviderTest {

    private static List<PaymentProvider.ChargeAnswer> charge(SandboxPaymentProvider p, String reference, int answers)
            throws InterruptedException {
        List<PaymentProvider.ChargeAnswer> got = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(answers);
        p.charge(new PaymentProvider.ChargeRequest(reference, "g:x", 499, "USD", "a badge"), a -> {
            got.add(a);
            done.countDown();
        });
        assertTrue(done.await(5, TimeUnit.SECONDS), "answered " + answers + " time(s)");
        return got;
    }

    @Test
    void declinesEveryNthNewChargeAndAnswersARepeatedReferenceAlike() throws Exception {
        SandboxPaymentProvider p = new SandboxPaymentProvider(new SandboxPaymentProvider.Settings(2, Duration.ZERO, false));
        assertInstanceOf(PaymentProvider.ChargeAnswer.Approved.class, charge(p, "pu_1", 1).getFirst());
        assertInstanceOf(PaymentProvider.ChargeAnswer.Declined.class, charge(p, "pu_2", 1).getFirst());
        assertEquals(charge(p, "pu_1", 1), charge(p, "pu_1", 1), "the same reference, the same charge");
        assertInstanceOf(PaymentProvider.ChargeAnswer.Declined.class, charge(p, "pu_2", 1).getFirst());
        assertEquals(2, p.charges());
        assertEquals(499, p.heldTotal());
    }

    @Test
    void answersTwiceAfterTheDelayAndRefundsOnce() throws Exception {
        SandboxPaymentProvider p = new SandboxPaymentProvider(new SandboxPaymentProvider.Settings(0, Duration.ofMillis(30), true));
        long start = System.nanoTime();
        List<PaymentProvider.ChargeAnswer> answers = charge(p, "pu_1", 2);
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(30).toNanos(), "not before the delay");
        assertEquals(answers.get(0), answers.get(1));
        String id = ((PaymentProvider.ChargeAnswer.Approved) answers.get(0)).chargeId();
        assertNotEquals(id, ((PaymentProvider.ChargeAnswer.Approved) charge(p, "pu_2", 2).get(0)).chargeId());
        p.refund(id);
        p.refund(id);
        assertEquals(1, p.refunds());
        assertEquals(499, p.heldTotal());
        assertThrows(PaymentException.class, () -> p.refund("ch_unknown"));
    }
}
