package org.salotto.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * Datagrams that a media port facing the internet must shrug off: everything that is not a packet of an established
 * ICE/DTLS/SRTP session, sent from sockets that never did ICE with the server. Demultiplexing by first byte follows
 * RFC 7983: 0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP.
 */
final class MalformedDatagrams {

    enum Kind {
        /** Random bytes of random length. */
        GARBAGE,
        /** First byte 0x00/0x01 with too few bytes, a length field that lies, or a wrong magic cookie. */
        TRUNCATED_STUN,
        /** A complete Binding request with an unknown username and a MESSAGE-INTEGRITY that cannot verify. */
        STUN_BAD_INTEGRITY,
        /** DTLS-looking records (first byte 20-63), among them ClientHello-shaped handshakes, from an unknown address. */
        DTLS_FROM_STRANGER,
        /** RTP/RTCP-looking datagrams too short for their header, or with RTCP lengths that lie. */
        TRUNCATED_RTP,
        /** RTP/RTCP-looking datagrams up to the largest UDP payload, 65507 bytes. */
        OVERSIZED_RTP,
        /** Well-formed RTP, version 2, random SSRC, from a socket that never did ICE. */
        STRANGER_RTP
    }

    private static final int STUN_MAGIC_COOKIE = 0x2112A442;
    private static final int MAX_UDP_PAYLOAD = 65_507;

    private final Random random;

    MalformedDatagrams(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Sends {@code count} datagrams to {@code target}, the kinds taking turns, a little paced so that they arrive
     * while media flows rather than in one burst the kernel drops. Returns how many of each kind were sent.
     */
    Map<Kind, Integer> send(InetSocketAddress target, int count) throws IOException {
        Map<Kind, Integer> sent = new EnumMap<>(Kind.class);
        Kind[] kinds = Kind.values();
        DatagramChannel[] sockets = new DatagramChannel[4];
        try {
            for (int i = 0; i < sockets.length; i++) {
                sockets[i] = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            }
            for (int i = 0; i < count; i++) {
                Kind kind = kinds[i % kinds.length];
                // Few oversized ones: they are about the parser's bounds, not about volume.
                if (kind == Kind.OVERSIZED_RTP && i % (kinds.length * 20) != Kind.OVERSIZED_RTP.ordinal()) {
                    kind = Kind.STRANGER_RTP;
                }
                sockets[i % sockets.length].send(ByteBuffer.wrap(datagram(kind)), target);
                sent.merge(kind, 1, Integer::sum);
                if (i % 25 == 24) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
        } finally {
            for (DatagramChannel socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return sent;
    }

    byte[] datagram(Kind kind) {
        return switch (kind) {
            case GARBAGE -> randomBytes(1 + random.nextInt(1500));
            case TRUNCATED_STUN -> truncatedStun();
            case STUN_BAD_INTEGRITY -> stunWithBadIntegrity();
            case DTLS_FROM_STRANGER -> dtlsRecord();
            case TRUNCATED_RTP -> truncatedRtp();
            case OVERSIZED_RTP -> rtp(MAX_UDP_PAYLOAD - random.nextInt(1000));
            case STRANGER_RTP -> rtp(12 + 20 + random.nextInt(1100));
        };
    }

    private byte[] truncatedStun() {
        return switch (random.nextInt(3)) {
            case 0 -> { // shorter than the 20-byte header
                byte[] b = randomBytes(1 + random.nextInt(19));
                b[0] = (byte) random.nextInt(2);
                yield b;
            }
            case 1 -> { // header claims more attributes than follow
                ByteBuffer b = stunHeader(0x0001, 200 + 4 * random.nextInt(100), 20 + random.nextInt(40));
                yield b.array();
            }
            default -> { // wrong magic cookie, or a length that is not a multiple of 4
                ByteBuffer b = stunHeader(0x0001, 8, 28);
                b.putInt(4, random.nextBoolean() ? random.nextInt() : STUN_MAGIC_COOKIE);
                b.putShort(2, (short) (1 + 4 * random.nextInt(3)));
                yield b.array();
            }
        };
    }

    /** A Binding request: USERNAME "stranger:xxxx", MESSAGE-INTEGRITY of random bytes, a correct FINGERPRINT. */
    private byte[] stunWithBadIntegrity() {
        byte[] username = ("stranger" + random.nextInt(1000) + ":" + Long.toHexString(random.nextLong()))
                .getBytes(StandardCharsets.US_ASCII);
        int usernamePadded = (username.length + 3) & ~3;
        int length = 4 + usernamePadded + 4 + 20 + 4 + 4;
        ByteBuffer b = stunHeader(0x0001, length, 20 + length);
        b.position(20);
        b.putShort((short) 0x0006).putShort((short) username.length).put(username);
        b.position(20 + 4 + usernamePadded);
        b.putShort((short) 0x0008).putShort((short) 20).put(randomBytes(20));
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putShort((short) 0x8028).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554e);
        return b.array();
    }

    private ByteBuffer stunHeader(int type, int length, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort((short) type).putShort((short) length).putInt(STUN_MAGIC_COOKIE).put(randomBytes(12));
        return b;
    }

    /** A DTLS 1.2 record header (RFC 9147 section 4) with a random content type in 20-63 and a body of any kind. */
    private byte[] dtlsRecord() {
        int bodyLength = random.nextInt(600);
        ByteBuffer b = ByteBuffer.allocate(13 + bodyLength);
        int contentType = random.nextInt(3) == 0 ? 22 : 20 + random.nextInt(44);
        b.put((byte) contentType).putShort((short) 0xFEFD).putShort((short) random.nextInt(3));
        b.put(randomBytes(6));
        // Sometimes the length field tells the truth, sometimes not.
        b.putShort((short) (random.nextBoolean() ? bodyLength : random.nextInt(65536)));
        if (contentType == 22 && bodyLength > 0) {
            byte[] body = randomBytes(bodyLength);
            body[0] = 1; // handshake type ClientHello
            b.put(body);
        } else {
            b.put(randomBytes(bodyLength));
        }
        return b.array();
    }

    private byte[] truncatedRtp() {
        if (random.nextBoolean()) { // shorter than a 12-byte RTP header
            byte[] b = randomBytes(1 + random.nextInt(11));
            b[0] = (byte) (0x80 | random.nextInt(0x40));
            return b;
        }
        // RTCP (packet type 200-207) whose length field claims far more than the datagram holds.
        byte[] b = randomBytes(8 + random.nextInt(40));
        b[0] = (byte) (0x80 | random.nextInt(32));
        b[1] = (byte) (200 + random.nextInt(8));
        b[2] = (byte) 0xFF;
        b[3] = (byte) random.nextInt(256);
        return b;
    }

    /** RTP version 2 with a random SSRC, payload type 96 or 111, and random payload (RFC 3550 section 5.1). */
    private byte[] rtp(int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) 0x80).put((byte) (random.nextBoolean() ? 96 : 111));
        b.putShort((short) random.nextInt(65536)).putInt(random.nextInt()).putInt(random.nextInt());
        b.put(randomBytes(size - 12));
        return b.array();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
