/**
 * Abuse limits (docs/security.md): token buckets per key with bounded memory ({@link org.salotto.rooms.limits.RateLimiter}),
 * a lockout after wrong passwords ({@link org.salotto.rooms.limits.FailureLockout}), and a bounded number of
 * password hashes at once ({@link org.salotto.rooms.limits.ConcurrencyGate}). The settings are
 * {@link org.salotto.rooms.limits.Limits}, the configuration's {@code limits} section.
 */
package org.salotto.rooms.limits;
