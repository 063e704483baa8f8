/**
 * The one owner of Salotto's wire protocol: the frames of the room WebSocket as sealed hierarchies of records
 * ({@link org.salotto.signaling.protocol.ServerFrame}, {@link org.salotto.signaling.protocol.ClientFrame},
 * {@link org.salotto.signaling.protocol.RoomEventFrame}); the one codec that maps them to and from JSON
 * ({@link org.salotto.signaling.protocol.FrameCodec}) and its sibling for the HTTP API's bodies
 * ({@link org.salotto.signaling.protocol.BodyCodec}, which reads requests strictly into records); the catalogue of
 * stable error codes for HTTP and WebSocket ({@link org.salotto.signaling.protocol.ErrorCode}); and the JSON Schemas of
 * the records ({@link org.salotto.signaling.protocol.JsonSchemas}), from which the machine-readable documents are made
 * ({@link org.salotto.signaling.protocol.ProtocolSchema}: asyncapi.json and the web app's TypeScript; the server's
 * ApiSchema: openapi.json's schemas and their TypeScript).
 */
package org.salotto.signaling.protocol;
