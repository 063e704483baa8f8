/**
 * What a browser needs from the server to be safe (docs/security.md): the Origin check and the CSRF header on
 * state-changing requests and on the WebSocket upgrade, the response headers (Content-Security-Policy, framing,
 * nosniff, Referrer-Policy), who may read {@code /metrics}, and how a request that came through a trusted TLS reverse
 * proxy is seen (its scheme, host and client address).
 */
package org.salotto.server.security;
