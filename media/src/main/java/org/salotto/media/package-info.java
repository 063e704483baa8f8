/**
 * Salotto's media plane, the bottom layer: {@link org.salotto.media.MediaServer} and below it packets
 * ({@code stun}, {@code rtp}, {@code rtcp}), security ({@code dtls}, {@code srtp}), connectivity ({@code ice},
 * {@code transport}) and {@code forward}ing. It depends on nothing above it; the build enforces that.
 */
package org.salotto.media;
