package org.salotto.loadtest;


import org.salotto.media.rtp.Bytes;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;

/**
 * Builds, protects and sends the RTP packets of one outgoing stream in one reused buffer: the fixed header, a one-byte
 * header extension block (RFC 8285) with the transport-wide sequence number and, for audio, the audio level, for a
 * simulcast layer its rid (RFC 8852), then the payload, whose last 8 bytes are the send time ({@link System#nanoTime()}:
 * sender and receiver share one machine). Allocates nothing per packet. One pacer thread only.
 *
 * <p>A layer's rid goes on every packet until a receiver report from the server names the layer's SSRC (the server has
 * learnt it), then no more, as Chromium does (libwebrtc's RTPSender sends MID and RID until its SSRC is acked by an
 * RTCP report block). Its element's room stays in the block, as padding, so that the payload's offset never moves.
 */
final class RtpWriter {
    private final ClientConnection connection;
    private final Metrics metrics;
    private final int payloadType;
    private final int ssrc;
    private final boolean audioLevel;
    private final byte[] rid; // null: not a simulcast layer
    /** Set by the receiver thread when a report block names {@link #ssrc()}: the rid is no longer sent. */
    volatile boolean ridAcked;
    private final byte[] buf = new byte[1500];
    private int sequence = (int) (Math.random() * 65536);
    /** The RFC 6464 byte written on audio packets: V bit and level in -dBov (speech at -30 dBov unless changed). */
    private volatile int audioLevelByte = 0x80 | 30;

    RtpWriter(ClientConnection connection, Metrics metrics, int payloadType, int ssrc, boolean audioLevel) {
        this(connection, metrics, payloadType, ssrc, audioLevel, null);
    }

    /** A simulcast layer's writer: {@code rid} (1 to 16 ASCII characters) in each packet until acked. */
    RtpWriter(ClientConnection connection, Metrics metrics, int payloadType, int ssrc, boolean audioLevel, String rid) {
        if (rid != null && (rid.isEmpty() || rid.length() > 16)) throw new IllegalArgumentException("rid: 1 to 16 characters");
        this.rid = rid == null ? null : rid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.connection = connection;
        this.metrics = metrics;
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.audioLevel = audioLevel;
    }

    /** The level the next audio packets carry (0..127 -dBov) and their voice-activity bit; any thread. */
    void setAudioLevel(int dbov, boolean voice) {
        audioLevelByte = (voice ? 0x80 : 0) | (dbov & 0x7F);
    }

    int ssrc() {
        return ssrc;
    }

    /** The offset where the payload starts; write it there, then call {@link #send}. */
    int payloadOffset() {
        return RtpPacket.FIXED_HEADER_LENGTH + 4 + extensionWords() * 4;
    }

    /** The extension block's length in 32-bit words: transport-cc (3 bytes), audio level (2), rid (1 + its length). */
    private int extensionWords() {
        int bytes = 3 + (audioLevel ? 2 : 0) + (rid == null ? 0 : 1 + rid.length);
        return (bytes + 3) / 4;
    }

    byte[] buffer() {
        return buf;
    }

    /** Sends one packet whose payload ({@code payloadLength} bytes, at least 8) is already in the buffer. */
    void send(long rtpTimestamp, boolean marker, int payloadLength) {
        RtpPacket.writeHeader(buf, 0, marker, payloadType, sequence, rtpTimestamp, ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        buf[0] |= 0x10; // X: a header extension follows
        int p = RtpPacket.FIXED_HEADER_LENGTH;
        Bytes.put16(buf, p, RtpHeaderExtensions.ONE_BYTE_PROFILE);
        Bytes.put16(buf, p + 2, extensionWords());
        p += 4;
        if (audioLevel) {
            buf[p++] = (byte) (ClientSdp.AUDIO_LEVEL_ID << 4);
            buf[p++] = (byte) audioLevelByte; // voice activity and level, -30 dBov unless set
        }
        buf[p++] = (byte) (ClientSdp.TRANSPORT_CC_ID << 4 | 1);
        Bytes.put16(buf, p, connection.transportSequence);
        connection.transportSequence = (connection.transportSequence + 1) & 0xFFFF;
        p += 2;
        if (rid != null && !ridAcked) {
            buf[p++] = (byte) (ClientSdp.RID_ID << 4 | (rid.length - 1));
            for (byte c : rid) buf[p++] = c;
        }
        while (p < payloadOffset()) buf[p++] = 0; // padding elements
        int end = p + payloadLength;
        Bytes.put64(buf, end - 8, System.nanoTime());
        int n = connection.srtpOut.protectRtp(buf, 0, end);
        if (n < 0) return;
        if (connection.send(buf, 0, n)) {
            metrics.packetsSent.increment();
            metrics.bytesSent.add(n);
        }
    }
}
