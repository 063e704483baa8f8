/**
 * ICE-lite (RFC 8445 §2.5): Salotto has one public address, answers the browser's connectivity checks and never
 * sends checks of its own. Consent freshness (RFC 7675) is the browser's checks continuing; when they stop for
 * 30 seconds the transport is closed.
 */
package org.salotto.media.ice;
