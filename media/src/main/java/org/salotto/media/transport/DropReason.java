package org.salotto.media.transport;

/** Why a datagram or packet was dropped; each reason has its own counter and its own rate-limited log line. */
public enum DropReason {
    UNKNOWN_FIRST_BYTE("datagram that is neither STUN, DTLS nor RTP/RTCP (RFC 7983)"),
    STUN_MALFORMED("malformed STUN message"),
    STUN_NOT_A_REQUEST("STUN message that is not a Binding request or indication"),
    STUN_BAD_FINGERPRINT("STUN message with a wrong FINGERPRINT"),
    STUN_UNKNOWN_USERNAME("STUN Binding request for an unknown ICE username, left unanswered"),
    STUN_BAD_INTEGRITY("STUN Binding request with a wrong MESSAGE-INTEGRITY, left unanswered"),
    STUN_BAD_REQUEST("STUN Binding request without USERNAME or MESSAGE-INTEGRITY, left unanswered"),
    ICE_ADDRESS_HELD("ICE check from an address another live transport holds, left unanswered"),
    UNVALIDATED_SOURCE("DTLS or RTP from an address that has not passed ICE"),
    DTLS_QUEUE_FULL("DTLS datagram while the handshake queue was full"),
    DTLS_INVALID_RECORD("DTLS datagram with a malformed record, or a record in the wrong epoch or too short"),
    DTLS_UNAUTHENTIC("DTLS record that failed decryption or authentication"),
    SRTP_NOT_READY("SRTP before the DTLS handshake finished"),
    SRTP_AUTH_FAILED("SRTP/SRTCP packet that failed authentication or was malformed"),
    SRTP_REPLAYED("SRTP/SRTCP packet replayed or too old"),
    RTP_MALFORMED("RTP packet with a malformed header"),
    RTP_UNKNOWN_SSRC("RTP packet with an SSRC no producer announced"),
    RTP_NOT_ALLOWED("RTP from a transport that may not publish"),
    RTP_NOT_GRANTED("RTP on an SSRC of a track the publisher's grants refuse (refused in the offer, or revoked)"),
    RTX_MALFORMED("RTX packet too short for its original sequence number, or with a payload type not negotiated"),
    RED_MALFORMED("RED packet (RFC 2198) whose block headers run past its payload, whose primary block is empty, or"
            + " that carries a block of another codec than the one negotiated inside it"),
    RTCP_MALFORMED("malformed RTCP compound packet"),
    OVERSIZED("datagram larger than the receive buffer"),
    SEND_FAILED("datagram the socket would not take"),
    PACER_QUEUE_FULL("video packet for a subscriber whose pacer queue was full (its downlink is far below what is sent)"),
    TCP_BAD_FRAME("ICE-TCP frame of length 0 or longer than a datagram may be; its connection was closed"),
    TCP_REFUSED("ICE-TCP connection refused: too many from its address, or in all"),
    TCP_QUEUE_FULL("ICE-TCP frame while the media loop's TCP ring was full"),
    TCP_SEND_BUFFER_FULL("packet for an ICE-TCP connection whose output buffer was full (the peer reads too slowly)");

    private final String description;

    DropReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
