/**
 * The one owner of Salotto's wire protocol: the frames of the room WebSocket as sealed hierarchies of records
 * ({@link org.salotto.signaling.protocol.ServerFrame}, {@link org.salotto.signaling.protocol.ClientFrame},
 * {@link org.salotto.signaling.protocol.RoomEventFrame}), the one codec that maps them to and from JSON
 * ({@link org.salotto.signaling.protocol.FrameCodec}), the catalogue of stable error codes for HTTP and WebSocket
 * ({@link org.salotto.signaling.protocol.ErrorCode}), and the generator of the machine-readable documents made from
 * the records ({@link org.salotto.signaling.protocol.ProtocolSchema}: asyncapi.json and the web app's TypeScript).
 */
package org.salotto.signaling.protocol;
