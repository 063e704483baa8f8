/**
 * RTP packets (RFC 3550 §5) and RTP header extensions (RFC 8285) as zero-allocation views.
 *
 * <p>Every class here is a bag of static functions over {@code (byte[] buf, int off, int len)}: nothing is allocated,
 * nothing is copied and nothing throws for bad input. Functions named {@code validate}/{@code is*} are the only ones
 * that check bounds; they face the network and return {@code -1}/{@code false} for anything malformed. The other
 * accessors assume the caller validated first and do not re-check.
 *
 * <p>Conventions: SSRCs are Java {@code int}s (compare with {@code ==}, print with {@link Integer#toUnsignedString});
 * sequence numbers are {@code int} in 0..65535; unsigned 32-bit quantities such as RTP timestamps are returned as
 * {@code long} in 0..2<sup>32</sup>-1 and accepted as {@code long} (only the low 32 bits are written).
 */
package org.salotto.media.rtp;
