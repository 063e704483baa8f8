/**
 * SRTP and SRTCP (<a href="https://www.rfc-editor.org/rfc/rfc3711">RFC 3711</a>) with the two DTLS-SRTP protection
 * profiles browsers offer: {@code SRTP_AES128_CM_HMAC_SHA1_80} and {@code SRTP_AEAD_AES_128_GCM}
 * (<a href="https://www.rfc-editor.org/rfc/rfc7714">RFC 7714</a>).
 *
 * <p>Why our own code rather than BouncyCastle's or the JDK's {@code AES/GCM} and {@code HmacSHA1}: this runs once per
 * packet in both directions of every transport, and those APIs allocate per call ({@code Cipher.init} with a new
 * {@code IvParameterSpec}, {@code Mac.doFinal} returning a new array, GCM's internal buffering). Here every key gets
 * one {@code AES/ECB/NoPadding} cipher, initialised once, that encrypts counter blocks we lay out ourselves (AES-CM and
 * GCM's CTR); HMAC-SHA1 is built from a reused {@code MessageDigest}; GHASH uses precomputed 4-bit tables over longs.
 * In steady state protect and unprotect allocate nothing, which a test checks. GCM is checked against the JDK's
 * {@code AES/GCM} and both profiles against the RFC test vectors.
 *
 * <p>Errors are media errors: the methods return a negative {@link org.salotto.media.srtp.SrtpError} code, never throw,
 * and leave the buffer and the replay state untouched when a packet fails authentication.
 *
 * <p>Threading: an {@link org.salotto.media.srtp.SrtpContext} belongs to one thread at a time (the transport's
 * receive or send path); it holds scratch buffers and has no locks.
 */
package org.salotto.media.srtp;
