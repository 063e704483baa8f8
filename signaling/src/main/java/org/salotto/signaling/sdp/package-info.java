/**
 * SDP for Salotto's two peer connections per browser.
 *
 * <p>Two layers in one package:
 * <ul>
 *   <li>a generic session description model, parser and writer (RFC 8866): {@link org.salotto.signaling.sdp.SessionDescription},
 *       {@link org.salotto.signaling.sdp.MediaDescription}, {@link org.salotto.signaling.sdp.Attribute},
 *       {@link org.salotto.signaling.sdp.SdpParser}, {@link org.salotto.signaling.sdp.SdpWriter};</li>
 *   <li>the WebRTC negotiation Salotto does with it, turning SDP into the plain parameters of
 *       {@code org.salotto.media.params}: {@link org.salotto.signaling.sdp.PublisherNegotiation} answers a browser's
 *       publisher offer, {@link org.salotto.signaling.sdp.SubscriberOffer} writes the subscriber offer and
 *       {@link org.salotto.signaling.sdp.SubscriberAnswer} reads the browser's answer to it.</li>
 * </ul>
 *
 * <p>Salotto is ICE-lite on one UDP port and always the DTLS server ({@code a=setup:passive} in answers,
 * {@code a=setup:actpass} in offers); see {@code docs/protocol.md}. Every input that comes from the network fails only
 * with {@link org.salotto.signaling.sdp.SdpException}, which maps to the {@code bad_sdp} error frame.
 */
package org.salotto.signaling.sdp;
