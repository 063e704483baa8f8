package org.salotto.rooms.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.protocol.ErrorCode;

/** Lifetimes and single use of the tokens (issue 11): time is a clock the test moves. */
class TokensTest {
    private static final byte[] KEY = "tokens-test-key-of-32-bytes-----".getBytes(StandardCharsets.US_ASCII);

    /** A clock the test sets. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final Set<String> liveKeys = new HashSet<>(Set.of("key1"));
    private final Tokens tokens = new Tokens(new TokenSigner(KEY), clock, Duration.ofDays(30), liveKeys::contains);

    @Test
    void aGuestTokenExpiresAfterItsLifetime() {
        String t = tokens.newGuestToken();
        assertNotNull(tokens.guestId(t));
        clock.now = clock.now.plus(Duration.ofDays(30)).minusSeconds(1);
        assertNotNull(tokens.guestId(t), "still valid a second before");
        clock.now = clock.now.plusSeconds(1);
        assertNull(tokens.guestId(t), "refused once its lifetime is over");
    }

    @Test
    void theOldGuestTokensThatNeverExpiredAreRefused() {
        TokenSigner signer = new TokenSigner(KEY);
        assertNull(tokens.guestId(signer.sign("g1.AAAAAAAAAAAAAAAAAAAA")));
        assertNull(tokens.guestId(signer.sign("g2.AAAAAAAAAAAAAAAAAAAA.notanumber")));
    }

    @Test
    void aResumeTokenSaysWhetherItsMemberHadAnApplicationsGrants() throws RoomException {
        Tokens.ResumeGrant plain = tokens.readResumeToken(tokens.resumeToken("r1", "p1", "g:x"));
        assertEquals(new Tokens.ResumeGrant("r1", "p1", "g:x", true), plain);
        Tokens.ResumeGrant limited = tokens.readResumeToken(tokens.resumeToken("r1", "p1", "g:x", false));
        assertEquals(new Tokens.ResumeGrant("r1", "p1", "g:x", false), limited);
    }

    @Test
    void aJoinTokenIsRedeemedOnce() throws RoomException {
        String t = tokens.joinToken("room1", "g:aaaaaaaaaaaaaaaaaaaa", "Ann", Duration.ofMinutes(10));
        assertEquals("room1", tokens.redeemJoinToken(t).roomId());
        RoomException again = assertThrows(RoomException.class, () -> tokens.redeemJoinToken(t));
        assertEquals(ErrorCode.INVALID_TOKEN, again.errorCode());
        String other = tokens.joinToken("room1", "g:aaaaaaaaaaaaaaaaaaaa", "Ann", Duration.ofMinutes(10));
        assertEquals("room1", tokens.redeemJoinToken(other).roomId(), "a new token for the same person works");
    }

    @Test
    void spentTokensAreForgottenOnceExpiredAndStayRefused() throws RoomException {
        String t = tokens.joinToken("room1", "a:42", "Ann", Duration.ofMinutes(10));
        tokens.redeemJoinToken(t);
        assertEquals(0, tokens.forgetExpired());
        assertEquals(1, tokens.redeemedCount());
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertEquals(1, tokens.forgetExpired());
        assertEquals(0, tokens.redeemedCount());
        assertTrue(assertThrows(RoomException.class, () -> tokens.redeemJoinToken(t)).getMessage().contains("expired"));
    }

    @Test
    void anApplicationsTokenDiesWithItsApiKey() throws RoomException {
        String first = tokens.joinToken("room1", "k:key1:user-7", "Seven", Duration.ofMinutes(10));
        String second = tokens.joinToken("room1", "k:key1:user-8", "Eight", Duration.ofMinutes(10));
        tokens.redeemJoinToken(first);
        liveKeys.remove("key1");
        RoomException e = assertThrows(RoomException.class, () -> tokens.redeemJoinToken(second));
        assertEquals(ErrorCode.INVALID_TOKEN, e.errorCode());
        assertTrue(e.getMessage().contains("deleted"), e.getMessage());
    }
}
