package org.salotto.loadtest;


import org.salotto.media.rtp.Bytes;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;

/**
 * Builds, protects and sends the RTP packets of one outgoing stream in one reused buffer: the fixed header, a one-byte
 * header extension block (RFC 8285) with the transport-wide sequence number and, for audio, the audio level, then the
 * payload, whose last 8 bytes are the send time ({@link System#nanoTime()}: sender and receiver share one machine).
 * Allocates nothing per packet. One pacer thread only.
 */
final class RtpWriter {
    private final ClientConnection connection;
    private final Metrics metrics;
    private final int payloadType;
    private final int ssrc;
    private final boolean audioLevel;
    private final byte[] buf = new byte[1500];
    private int sequence = (int) (Math.random() * 65536);
    /** The RFC 6464 byte written on audio packets: V bit and level in -dBov (speech at -30 dBov unless changed). */
    private volatile int audioLevelByte = 0x80 | 30;

    RtpWriter(ClientConnection connection, Metrics metrics, int payloadType, int ssrc, boolean audioLevel) {
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

    /** The offset where the payload starts; write it there, then call {@link #send}. */
    int payloadOffset() {
        return RtpPacket.FIXED_HEADER_LENGTH + (audioLevel ? 12 : 8);
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
        Bytes.put16(buf, p + 2, audioLevel ? 2 : 1);
        p += 4;
        if (audioLevel) {
            buf[p++] = (byte) (ClientSdp.AUDIO_LEVEL_ID << 4);
            buf[p++] = (byte) audioLevelByte; // voice activity and level, -30 dBov unless set
        }
        buf[p++] = (byte) (ClientSdp.TRANSPORT_CC_ID << 4 | 1);
        Bytes.put16(buf, p, connection.transportSequence);
        connection.transportSequence = (connection.transportSequence + 1) & 0xFFFF;
        p += 2;
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
