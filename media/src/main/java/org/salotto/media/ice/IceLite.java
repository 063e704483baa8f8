package org.salotto.media.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessage;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;
import org.salotto.media.transport.DropReason;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.WebRtcTransport;

/**
 * Answers ICE connectivity checks on the shared port (RFC 8445 §7.3).
 *
 * <p>A Binding request must carry USERNAME "localUfrag:remoteUfrag" for a transport we know and a MESSAGE-INTEGRITY
 * made with that transport's password. A request that does not is dropped, counted and left unanswered: RFC 8489
 * §9.1.3 would have us answer 400 or 401, but the source of an unauthenticated UDP request is unproven, and an error
 * response three times the request's size makes the server a reflector towards whoever's address was forged; a
 * browser with stale credentials sees its check time out, which ends it the same way. An authenticated request with an
 * unknown comprehension-required attribute is answered 420, and one from an older remote ufrag 401 (it proved it knows
 * our password). A request with a wrong FINGERPRINT is dropped too (it may not be STUN at all). A good request binds its
 * source address to the transport, which is what lets DTLS and SRTP from that address in, unless another live
 * transport holds that address ({@link MediaLoop#bindAddress}): then it is dropped unanswered as well.
 */
public final class IceLite {
    private static final String SOFTWARE = "salotto";

    private final MediaLoop loop;
    private final MediaCounters counters;

    public IceLite(MediaLoop loop, MediaCounters counters) {
        this.loop = loop;
        this.counters = counters;
    }

    public void onStun(byte[] buf, int len, InetSocketAddress from, long nowNanos) {
        StunMessage m = StunMessage.parse(buf, 0, len);
        if (m == null) {
            counters.drop(DropReason.STUN_MALFORMED, from);
            return;
        }
        if (!m.verifyFingerprint()) {
            counters.drop(DropReason.STUN_BAD_FINGERPRINT, from);
            return;
        }
        if (m.type() == StunMessageType.BINDING_INDICATION) return; // a keepalive, nothing to answer
        if (m.type() != StunMessageType.BINDING_REQUEST) {
            counters.drop(DropReason.STUN_NOT_A_REQUEST, from);
            return;
        }
        String username = m.username();
        if (username == null || !m.hasAttribute(StunAttribute.MESSAGE_INTEGRITY)) {
            counters.drop(DropReason.STUN_BAD_REQUEST, from);
            return;
        }
        int colon = username.indexOf(':');
        String localUfrag = colon < 0 ? username : username.substring(0, colon);
        String remoteUfrag = colon < 0 ? "" : username.substring(colon + 1);
        WebRtcTransport transport = loop.transportForUfrag(localUfrag);
        if (transport == null) {
            counters.drop(DropReason.STUN_UNKNOWN_USERNAME, from);
            return;
        }
        byte[] key = transport.localIce().pwd().getBytes(StandardCharsets.UTF_8);
        if (!m.verifyMessageIntegrity(key)) {
            counters.drop(DropReason.STUN_BAD_INTEGRITY, from);
            return;
        }
        int[] unknown = m.unknownComprehensionRequired();
        if (unknown.length > 0) {
            sendError(m, from, 420, "Unknown Attribute", unknown);
            return;
        }
        if (!transport.acceptsRemoteUfrag(remoteUfrag)) {
            // The browser checks with the credentials of an older session (before an ICE restart): not ours to answer.
            counters.drop(DropReason.STUN_UNKNOWN_USERNAME, from);
            sendError(m, from, 401, "Unauthorized", null);
            return;
        }
        if (!loop.bindAddress(from, transport, nowNanos)) return; // another live transport holds it: counted there
        byte[] response = new StunMessageWriter(StunMessageType.BINDING_SUCCESS_RESPONSE, m.transactionId())
                .addXorMappedAddress(loop.peerAddress(from))
                .addMessageIntegrity(key)
                .addFingerprint()
                .toByteArray();
        loop.send(response, 0, response.length, from);
        transport.onConnectivityCheck(from, m.hasAttribute(StunAttribute.USE_CANDIDATE), nowNanos);
    }

    private void sendError(StunMessage request, InetSocketAddress to, int code, String reason, int[] unknown) {
        StunMessageWriter w = new StunMessageWriter(StunMessageType.BINDING_ERROR_RESPONSE, request.transactionId())
                .addErrorCode(code, reason)
                .addSoftware(SOFTWARE);
        if (unknown != null) w.addUnknownAttributes(unknown);
        byte[] response = w.addFingerprint().toByteArray();
        loop.send(response, 0, response.length, to);
    }
}
