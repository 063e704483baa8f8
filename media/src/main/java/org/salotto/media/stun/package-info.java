/**
 * STUN (RFC 8489, formerly RFC 5389) as ICE-lite needs it: Binding requests in, Binding responses out.
 *
 * <p>STUN is not on the per-packet path (a browser sends a check every few seconds per transport), so messages are
 * parsed into small objects; media packets never come here.
 */
package org.salotto.media.stun;
