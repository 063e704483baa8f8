package org.salotto.media.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.salotto.media.rtp.Bytes;

/**
 * A parsed STUN message (RFC 8489 §5):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #parse} copies the datagram and indexes its attributes; it returns {@code null} for anything that is not
 * a well-formed STUN message, so that a bad datagram is a counted drop and never an exception.
 */
public final class StunMessage {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    private static final int FINGERPRINT_XOR = 0x5354554E;
    private static final int MAX_ATTRIBUTES = 32;

    private final byte[] data;
    private final int type;
    private final int[] attributeOffsets; // offset of each attribute's header in data
    private final int attributeCount;

    private StunMessage(byte[] data, int type, int[] attributeOffsets, int attributeCount) {
        this.data = data;
        this.type = type;
        this.attributeOffsets = attributeOffsets;
        this.attributeCount = attributeCount;
    }

    /** RFC 7983 §7: the first byte of a STUN message is 0-3; also checks the magic cookie and length. */
    public static boolean looksLikeStun(byte[] b, int off, int len) {
        if (len < HEADER_LENGTH || (b[off] & 0xC0) != 0) return false;
        int bodyLength = Bytes.u16(b, off + 2);
        return (bodyLength & 3) == 0 && bodyLength + HEADER_LENGTH == len && Bytes.i32(b, off + 4) == MAGIC_COOKIE;
    }

    /** Parses a STUN message, or returns null if it is malformed (truncated attribute, bad length, bad ordering). */
    public static StunMessage parse(byte[] b, int off, int len) {
        if (!looksLikeStun(b, off, len)) return null;
        byte[] data = Arrays.copyOfRange(b, off, off + len);
        int[] offsets = new int[MAX_ATTRIBUTES];
        int count = 0;
        int pos = HEADER_LENGTH;
        boolean sawIntegrity = false;
        boolean sawFingerprint = false;
        while (pos < len) {
            if (pos + 4 > len || count == MAX_ATTRIBUTES) return null;
            int attrType = Bytes.u16(data, pos);
            int attrLength = Bytes.u16(data, pos + 2);
            int padded = (attrLength + 3) & ~3;
            if (pos + 4 + padded > len) return null;
            // RFC 8489 §14.5, §14.7: only FINGERPRINT may follow MESSAGE-INTEGRITY; nothing follows FINGERPRINT.
            if (sawFingerprint) return null;
            if (sawIntegrity && attrType != StunAttribute.FINGERPRINT) return null;
            if (attrType == StunAttribute.MESSAGE_INTEGRITY) {
                if (attrLength != 20) return null;
                sawIntegrity = true;
            } else if (attrType == StunAttribute.FINGERPRINT) {
                if (attrLength != 4) return null;
                sawFingerprint = true;
            }
            offsets[count++] = pos;
            pos += 4 + padded;
        }
        return new StunMessage(data, Bytes.u16(data, 0), offsets, count);
    }

    public int type() {
        return type;
    }

    public int length() {
        return data.length;
    }

    public byte[] transactionId() {
        return Arrays.copyOfRange(data, 8, 20);
    }

    public boolean hasAttribute(int attributeType) {
        return find(attributeType) >= 0;
    }

    /** The value bytes of an attribute, or null when absent. */
    public byte[] attribute(int attributeType) {
        int at = find(attributeType);
        return at < 0 ? null : Arrays.copyOfRange(data, at + 4, at + 4 + Bytes.u16(data, at + 2));
    }

    public String username() {
        byte[] v = attribute(StunAttribute.USERNAME);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** PRIORITY as an unsigned value, or -1 when absent. */
    public long priority() {
        byte[] v = attribute(StunAttribute.PRIORITY);
        return v == null || v.length != 4 ? -1 : Bytes.i32(v, 0) & 0xFFFFFFFFL;
    }

    /** The error code (300-699) of an error response, or -1. */
    public int errorCode() {
        byte[] v = attribute(StunAttribute.ERROR_CODE);
        return v == null || v.length < 4 ? -1 : (v[2] & 0x7) * 100 + (v[3] & 0xFF);
    }

    /** The comprehension-required attribute types this implementation does not know, for a 420 answer. */
    public int[] unknownComprehensionRequired() {
        int[] unknown = new int[attributeCount];
        int n = 0;
        for (int i = 0; i < attributeCount; i++) {
            int t = Bytes.u16(data, attributeOffsets[i]);
            if (StunAttribute.isComprehensionRequired(t) && !isKnown(t)) unknown[n++] = t;
        }
        return Arrays.copyOf(unknown, n);
    }

    private static boolean isKnown(int t) {
        return t == StunAttribute.USERNAME || t == StunAttribute.MESSAGE_INTEGRITY || t == StunAttribute.ERROR_CODE
                || t == StunAttribute.XOR_MAPPED_ADDRESS || t == StunAttribute.PRIORITY
                || t == StunAttribute.USE_CANDIDATE || t == StunAttribute.UNKNOWN_ATTRIBUTES;
    }

    public InetSocketAddress xorMappedAddress() {
        byte[] v = attribute(StunAttribute.XOR_MAPPED_ADDRESS);
        if (v == null || v.length < 8) return null;
        int family = v[1];
        int port = Bytes.u16(v, 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] address;
        if (family == 1 && v.length == 8) {
            address = new byte[4];
            for (int i = 0; i < 4; i++) address[i] = (byte) (v[4 + i] ^ data[4 + i]);
        } else if (family == 2 && v.length == 20) {
            address = new byte[16];
            for (int i = 0; i < 16; i++) address[i] = (byte) (v[4 + i] ^ data[4 + i]); // cookie + transaction id
        } else {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Checks MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message up to the attribute, with the header's
     * length field counting up to the end of MESSAGE-INTEGRITY.
     */
    public boolean verifyMessageIntegrity(byte[] key) {
        int at = find(StunAttribute.MESSAGE_INTEGRITY);
        if (at < 0) return false;
        byte[] expected = hmacSha1(key, data, at, at + 24 - HEADER_LENGTH);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(data, at + 4, at + 24));
    }

    /** Checks FINGERPRINT (RFC 8489 §14.7) when present; a message without one passes. */
    public boolean verifyFingerprint() {
        int at = find(StunAttribute.FINGERPRINT);
        if (at < 0) return true;
        return crc32(data, at) == Bytes.i32(data, at + 4);
    }

    public boolean hasFingerprint() {
        return find(StunAttribute.FINGERPRINT) >= 0;
    }

    private int find(int attributeType) {
        for (int i = 0; i < attributeCount; i++) {
            if (Bytes.u16(data, attributeOffsets[i]) == attributeType) return attributeOffsets[i];
        }
        return -1;
    }

    /** HMAC-SHA1 over data[0, end) with the length field replaced by lengthField. */
    static byte[] hmacSha1(byte[] key, byte[] data, int end, int lengthField) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
            mac.update(data, 0, 2);
            mac.update((byte) (lengthField >>> 8));
            mac.update((byte) lengthField);
            mac.update(data, 4, end - 4);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** CRC-32 of data[0, end) with the length field counting up to the end of FINGERPRINT, XOR 0x5354554e. */
    static int crc32(byte[] data, int end) {
        CRC32 crc = new CRC32();
        int lengthField = end + 8 - HEADER_LENGTH;
        crc.update(data, 0, 2);
        crc.update(lengthField >>> 8);
        crc.update(lengthField & 0xFF);
        crc.update(data, 4, end - 4);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }
}
