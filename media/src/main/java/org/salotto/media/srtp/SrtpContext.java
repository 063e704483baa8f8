package org.salotto.media.srtp;

import static org.salotto.media.srtp.AesCounterMode.INT_BE;

import java.util.Arrays;
import java.util.Objects;

/**
 * SRTP and SRTCP (<a href="https://www.rfc-editor.org/rfc/rfc3711">RFC 3711</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc7714">RFC 7714</a>) for one direction of one DTLS-SRTP session: one
 * master key and salt, any number of SSRCs (up to {@link #MAX_SSRCS}). The session keys are derived once (key
 * derivation rate 0) and shared by all SSRCs; per SSRC the context keeps the highest index (rollover counter and
 * highest sequence number), a 128-packet replay window for SRTP and one for SRTCP, and the next outbound SRTCP index.
 *
 * <p>Packets are transformed in place in {@code buf[off, off+len)}. Every method returns the new length or a negative
 * {@link SrtpError} code, and never throws for a bad packet. {@code unprotect} authenticates a packet before it
 * touches the rollover counter or replay window, and leaves buffer and state unchanged when it fails.
 *
 * <p>In steady state (known SSRCs) nothing is allocated.
 *
 * <p>Not thread-safe: one thread at a time per context (the transport's receive path owns the inbound context, the
 * send path the outbound one). No locks.
 */
public final class SrtpContext {

    /** SSRCs one context tracks; packets from further SSRCs get {@link SrtpError#SSRC_LIMIT}. */
    public static final int MAX_SSRCS = 1024;

    private static final int RTP_HEADER_LENGTH = 12;
    private static final int RTCP_HEADER_LENGTH = 8;

    private final SrtpProfile profile;
    private final SrtpTransform rtp;
    private final SrtpTransform rtcp;
    private final StreamStateMap streams = new StreamStateMap(MAX_SSRCS);

    /**
     * @param masterKey  {@link SrtpProfile#keyLength()} bytes
     * @param masterSalt {@link SrtpProfile#saltLength()} bytes
     * @throws IllegalArgumentException if a length does not match the profile
     */
    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        Objects.requireNonNull(profile, "profile");
        if (masterKey.length != profile.keyLength() || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException("master key/salt of " + masterKey.length + "/" + masterSalt.length
                    + " bytes; " + profile + " needs " + profile.keyLength() + "/" + profile.saltLength());
        }
        this.profile = profile;
        this.rtp = transform(profile, masterKey, masterSalt,
                SrtpKdf.LABEL_RTP_ENCRYPTION, SrtpKdf.LABEL_RTP_SALT, SrtpKdf.LABEL_RTP_AUTH);
        this.rtcp = transform(profile, masterKey, masterSalt,
                SrtpKdf.LABEL_RTCP_ENCRYPTION, SrtpKdf.LABEL_RTCP_SALT, SrtpKdf.LABEL_RTCP_AUTH);
    }

    private SrtpContext(SrtpProfile profile, SrtpTransform rtp, SrtpTransform rtcp) {
        this.profile = profile;
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    private static SrtpTransform transform(SrtpProfile profile, byte[] masterKey, byte[] masterSalt,
                                           int keyLabel, int saltLabel, int authLabel) {
        byte[] key = SrtpKdf.derive(masterKey, masterSalt, keyLabel, profile.keyLength());
        byte[] salt = SrtpKdf.derive(masterKey, masterSalt, saltLabel, profile.saltLength());
        try {
            return switch (profile) {
                case AES128_CM_HMAC_SHA1_80 -> {
                    byte[] auth = SrtpKdf.derive(masterKey, masterSalt, authLabel, HmacSha1.LENGTH);
                    try {
                        yield new AesCmHmacSha1Transform(key, salt, auth);
                    } finally {
                        Arrays.fill(auth, (byte) 0);
                    }
                }
                case AEAD_AES_128_GCM -> new AesGcmTransform(key, salt);
            };
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(salt, (byte) 0);
        }
    }

    /**
     * A context from session keys directly, skipping the KDF: for test vectors (RFC 7714 §16–17) that give session
     * keys. The auth keys are ignored for GCM.
     */
    static SrtpContext fromSessionKeys(SrtpProfile profile, byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuthKey,
                                       byte[] rtcpKey, byte[] rtcpSalt, byte[] rtcpAuthKey) {
        return switch (profile) {
            case AES128_CM_HMAC_SHA1_80 -> new SrtpContext(profile,
                    new AesCmHmacSha1Transform(rtpKey, rtpSalt, rtpAuthKey),
                    new AesCmHmacSha1Transform(rtcpKey, rtcpSalt, rtcpAuthKey));
            case AEAD_AES_128_GCM -> new SrtpContext(profile,
                    new AesGcmTransform(rtpKey, rtpSalt), new AesGcmTransform(rtcpKey, rtcpSalt));
        };
    }

    /**
     * The two contexts of a DTLS-SRTP session from the exporter output with label {@code "EXTRACTOR-dtls_srtp"}
     * (<a href="https://www.rfc-editor.org/rfc/rfc5764#section-4.2">RFC 5764 §4.2</a>), laid out
     * {@code client_key | server_key | client_salt | server_salt}. Each side sends with its own key and salt.
     *
     * @param material     {@code 2 * (keyLength + saltLength)} bytes
     * @param isDtlsServer whether we were the DTLS server
     * @return {@code {inbound, outbound}}
     */
    public static SrtpContext[] fromKeyingMaterial(SrtpProfile profile, byte[] material, boolean isDtlsServer) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (material.length != 2 * (k + s)) {
            throw new IllegalArgumentException("keying material of " + material.length + " bytes; " + profile
                    + " needs " + 2 * (k + s));
        }
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        try {
            SrtpContext client = new SrtpContext(profile, clientKey, clientSalt);
            SrtpContext server = new SrtpContext(profile, serverKey, serverSalt);
            return isDtlsServer ? new SrtpContext[] {client, server} : new SrtpContext[] {server, client};
        } finally {
            Arrays.fill(clientKey, (byte) 0);
            Arrays.fill(serverKey, (byte) 0);
            Arrays.fill(clientSalt, (byte) 0);
            Arrays.fill(serverSalt, (byte) 0);
        }
    }

    /** The largest number of bytes protect appends to a packet, over all profiles and RTP/RTCP. */
    public static int maxOverhead() {
        return SrtpProfile.AEAD_AES_128_GCM.rtcpTrailerLength();
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Encrypts and authenticates an RTP packet in place. The rollover counter follows the sequence number: it
     * increments when the sequence wraps (RFC 3711 §3.3.1, the same estimate a receiver makes, so a packet sent a
     * little out of order keeps its rollover counter).
     *
     * @return the new length ({@code len + profile().rtpAuthTagLength()}) or a negative {@link SrtpError}
     */
    public int protectRtp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int headerLength = rtpHeaderLength(buf, off, len);
        if (headerLength < 0) {
            return headerLength;
        }
        if (buf.length - off - len < profile.rtpAuthTagLength()) {
            return SrtpError.NO_ROOM;
        }
        int ssrc = (int) INT_BE.get(buf, off + 8);
        StreamState state = streams.getOrCreate(ssrc);
        if (state == null) {
            return SrtpError.SSRC_LIMIT;
        }
        long index = estimateIndex(state.rtp.highest(), sequenceNumber(buf, off));
        if (index < 0) {
            return SrtpError.TOO_OLD;
        }
        int result = rtp.protectRtp(buf, off, len, headerLength, ssrc, index);
        state.rtp.accept(index);
        return result;
    }

    /**
     * Authenticates, replay-checks and decrypts an SRTP packet in place.
     *
     * @return the new length (without the tag) or a negative {@link SrtpError}
     */
    public int unprotectRtp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int tagLength = profile.rtpAuthTagLength();
        if (len < RTP_HEADER_LENGTH + tagLength) {
            return SrtpError.TOO_SHORT;
        }
        int headerLength = rtpHeaderLength(buf, off, len - tagLength);
        if (headerLength < 0) {
            return headerLength;
        }
        int ssrc = (int) INT_BE.get(buf, off + 8);
        StreamState state = streams.get(ssrc);
        if (state == null && streams.isFull()) {
            return SrtpError.SSRC_LIMIT;
        }
        long index = estimateIndex(state == null ? -1 : state.rtp.highest(), sequenceNumber(buf, off));
        if (index < 0) {
            return SrtpError.TOO_OLD;
        }
        if (state != null) {
            int replay = state.rtp.check(index);
            if (replay != 0) {
                return replay;
            }
        }
        int result = rtp.unprotectRtp(buf, off, len, headerLength, ssrc, index);
        if (result < 0) {
            return result;
        }
        if (state == null) {
            state = streams.getOrCreate(ssrc);
        }
        state.rtp.accept(index);
        return result;
    }

    /**
     * Encrypts (E flag set) and authenticates an RTCP compound packet in place, with the next SRTCP index of the
     * first packet's SSRC.
     *
     * @return the new length ({@code len + profile().rtcpTrailerLength()}) or a negative {@link SrtpError}
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < RTCP_HEADER_LENGTH) {
            return SrtpError.TOO_SHORT;
        }
        if ((buf[off] & 0xC0) != 0x80) {
            return SrtpError.MALFORMED;
        }
        if (buf.length - off - len < profile.rtcpTrailerLength()) {
            return SrtpError.NO_ROOM;
        }
        int ssrc = (int) INT_BE.get(buf, off + 4);
        StreamState state = streams.getOrCreate(ssrc);
        if (state == null) {
            return SrtpError.SSRC_LIMIT;
        }
        int index = state.nextSrtcpIndex;
        state.nextSrtcpIndex = (index + 1) & 0x7FFF_FFFF;
        return rtcp.protectRtcp(buf, off, len, ssrc, index);
    }

    /**
     * Authenticates, replay-checks and (if its E flag is set) decrypts an SRTCP packet in place.
     *
     * @return the new length (without the trailer) or a negative {@link SrtpError}
     */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < RTCP_HEADER_LENGTH + profile.rtcpTrailerLength()) {
            return SrtpError.TOO_SHORT;
        }
        if ((buf[off] & 0xC0) != 0x80) {
            return SrtpError.MALFORMED;
        }
        int ssrc = (int) INT_BE.get(buf, off + 4);
        int eAndIndex = (int) INT_BE.get(buf, off + rtcp.srtcpIndexPosition(len));
        long index = eAndIndex & 0x7FFF_FFFF;
        StreamState state = streams.get(ssrc);
        if (state == null) {
            if (streams.isFull()) {
                return SrtpError.SSRC_LIMIT;
            }
        } else {
            int replay = state.rtcp.check(index);
            if (replay != 0) {
                return replay;
            }
        }
        int result = rtcp.unprotectRtcp(buf, off, len, ssrc, eAndIndex);
        if (result < 0) {
            return result;
        }
        if (state == null) {
            state = streams.getOrCreate(ssrc);
        }
        state.rtcp.accept(index);
        return result;
    }

    /** Test hook: the SRTCP index the next outbound packet of {@code ssrc} will carry. */
    void setNextSrtcpIndex(int ssrc, int index) {
        streams.getOrCreate(ssrc).nextSrtcpIndex = index & 0x7FFF_FFFF;
    }

    /** Test hook: the highest RTP packet index (ROC * 2^16 + SEQ) seen for {@code ssrc}, or -1. */
    long highestRtpIndex(int ssrc) {
        StreamState state = streams.get(ssrc);
        return state == null ? -1 : state.rtp.highest();
    }

    /** Test hook: the number of SSRCs with state. */
    int ssrcCount() {
        return streams.size();
    }

    private static int sequenceNumber(byte[] buf, int off) {
        return ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    }

    /**
     * The RTP header length (fixed header, CSRCs, header extension) if it fits in {@code len}, else a negative code.
     */
    static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < RTP_HEADER_LENGTH) {
            return SrtpError.TOO_SHORT;
        }
        int first = buf[off] & 0xFF;
        if ((first & 0xC0) != 0x80) {
            return SrtpError.MALFORMED;
        }
        int length = RTP_HEADER_LENGTH + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (len < length + 4) {
                return SrtpError.TOO_SHORT;
            }
            int words = ((buf[off + length + 2] & 0xFF) << 8) | (buf[off + length + 3] & 0xFF);
            length += 4 + 4 * words;
        }
        return length <= len ? length : SrtpError.TOO_SHORT;
    }

    /**
     * The packet index (ROC * 2^16 + SEQ) of an RTP packet given the highest index so far
     * (<a href="https://www.rfc-editor.org/rfc/rfc3711#section-3.3.1">RFC 3711 §3.3.1</a>, Appendix A): the guess
     * among ROC-1, ROC and ROC+1 closest to the highest. Negative if the guess is ROC-1 with ROC 0; with no highest
     * yet, ROC is 0.
     */
    static long estimateIndex(long highest, int seq) {
        if (highest < 0) {
            return seq;
        }
        long roc = highest >>> 16;
        int highestSeq = (int) highest & 0xFFFF;
        long guess;
        if (highestSeq < 0x8000) {
            guess = seq - highestSeq > 0x8000 ? roc - 1 : roc;
        } else {
            guess = highestSeq - 0x8000 > seq ? roc + 1 : roc;
        }
        return guess < 0 ? -1 : (guess << 16) | seq;
    }
}
