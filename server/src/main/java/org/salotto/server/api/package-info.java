/**
 * The HTTP API's bodies as records: {@link org.salotto.server.api.ApiRequest} (what a client sends),
 * {@link org.salotto.server.api.ApiAnswer} (what it is answered), read and written by
 * {@link org.salotto.signaling.protocol.BodyCodec} at the edge only, and {@link org.salotto.server.api.ApiSchema}, which
 * makes openapi.json's schemas and the web app's TypeScript declarations of them.
 */
package org.salotto.server.api;
