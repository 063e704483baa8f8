package org.salotto.loadtest;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.signaling.sdp.SdpParser;
import org.salotto.signaling.sdp.SessionDescription;

/**
 * A guest that receives only, on our own ICE, DTLS and SRTP: answers its one subscriber offer, connects a while later
 * (as a browser does), sends no RTCP at all (so never a PLI), and hands each decrypted RTP packet's VP8 payload to the
 * test. The tests' subscriber.
 */
final class Viewer implements AutoCloseable {
    /** What happens between the answer and the first connectivity check. */
    interface BeforeConnect {
        void run() throws InterruptedException;
    }

    /** A decrypted RTP packet: {@code buf[payload, end)} is its payload, {@code nowNanos} its arrival. */
    interface Packets {
        void onPacket(byte[] buf, int payload, int end, long nowNanos);
    }

    private final HttpClient http;
    private final SalottoRoom room;
    private final MediaReceiver receiver;
    private final ClientIdentity identity;
    /** Runs between the answer and the connection's first check (a browser's own delay), or does nothing. */
    private final BeforeConnect beforeConnect;
    private final Packets packets;
    /** When the DTLS handshake ended (System.nanoTime), or why it did not. */
    final CompletableFuture<Long> connectedAt = new CompletableFuture<>();
    private volatile Signaling signaling;
    private volatile ClientConnection connection;

    Viewer(HttpClient http, SalottoRoom room, MediaReceiver receiver, ClientIdentity identity, BeforeConnect beforeConnect,
           Packets packets) {
        this.http = http;
        this.room = room;
        this.receiver = receiver;
        this.identity = identity;
        this.beforeConnect = beforeConnect;
        this.packets = packets;
    }

    /** Joins the room as a guest called {@code name}; the media connection follows the server's offer. */
    Viewer join(String name) throws Exception {
        signaling(null).join(name, false);
        return this;
    }

    /**
     * Joins with a join token made elsewhere (an application's); {@code frames} sees every frame the server sends
     * (null: none). The media connection follows the server's offer.
     */
    Viewer joinWithToken(String token, java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode> frames)
            throws Exception {
        signaling(frames).joinWithToken(token);
        return this;
    }

    private SignalingClient signaling(java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode> frames) {
        SignalingClient client = new SignalingClient(http, room, new Signaling.Events() {
            @Override
            public void onSubscribeOffer(String sdp, long version) {
                onOffer(sdp, version);
            }

            @Override
            public void onFailure(String why) {
                connectedAt.completeExceptionally(new java.io.IOException("viewer: " + why));
            }
        });
        if (frames != null) client.observe(frames);
        signaling = client;
        return client;
    }

    private void onOffer(String sdp, long version) {
        if (connection != null) return;
        try {
            SessionDescription offer = SdpParser.parse(sdp);
            ClientConnection c = new ClientConnection(receiver.open(InetAddress.getByName("127.0.0.1")), true, false,
                    ServerKind.SALOTTO.srtpProfiles);
            connection = c;
            RemoteTransport remote = RemoteTransport.read(offer);
            c.setRemote(remote, this::onSrtp);
            receiver.register(c);
            signaling.answer(ClientSdp.subscriberAnswer(offer, c, identity), version);
            Thread.ofVirtual().start(() -> {
                try {
                    beforeConnect.run(); // a browser's first check comes a while after its answer
                    c.connect(identity, remote.fingerprintSha256(), 10_000);
                    connectedAt.complete(System.nanoTime());
                } catch (java.io.IOException | InterruptedException | RuntimeException e) {
                    connectedAt.completeExceptionally(e);
                }
            });
        } catch (Exception e) {
            connectedAt.completeExceptionally(e);
        }
    }

    private void onSrtp(ClientConnection c, byte[] buf, int off, int len, long nowNanos) {
        if (ClientConnection.isRtcp(buf, off)) return;
        int clear = c.srtpIn.unprotectRtp(buf, off, len);
        if (clear < 0) return;
        int payload = off + RtpPacket.headerLength(buf, off, clear);
        if (payload + 2 > off + clear) return;
        packets.onPacket(buf, payload, off + clear, nowNanos);
    }

    /** Whether a VP8 payload starts a keyframe (RFC 7741 sections 4.2 and 4.3: S set, partition 0, P bit 0). */
    static boolean startsKeyframe(byte[] buf, int payload) {
        int descriptor = buf[payload] & 0xFF;
        boolean startOfFrame = (descriptor & 0x10) != 0 && (descriptor & 0x07) == 0;
        boolean extended = (descriptor & 0x80) != 0;
        return startOfFrame && !extended && (buf[payload + 1] & 0x01) == 0;
    }

    @Override
    public void close() {
        Signaling s = signaling;
        if (s != null) s.close();
        ClientConnection c = connection;
        if (c != null) c.close();
    }
}
