/**
 * Signaling: the conference that turns offers and answers into producers and consumers of the media layer. Knows SDP
 * (in {@code sdp}) and the protocol of docs/protocol.md (in {@code protocol}: its frames, codec and error catalogue);
 * knows nothing of HTTP or WebSocket: the server hands it text frames and a
 * {@link org.salotto.signaling.ClientConnection} to answer on.
 */
package org.salotto.signaling;
