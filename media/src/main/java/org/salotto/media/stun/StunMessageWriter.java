package org.salotto.media.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one STUN message (RFC 8489). Attributes are appended in call order; {@link #addMessageIntegrity} and
 * {@link #addFingerprint} must come last, in that order.
 */
public final class StunMessageWriter {
    private byte[] data = new byte[256];
    private int length = StunMessage.HEADER_LENGTH;

    public StunMessageWriter(int messageType, byte[] transactionId) {
        if (transactionId.length != 12) throw new IllegalArgumentException("transaction id must be 12 bytes");
        data[0] = (byte) (messageType >>> 8);
        data[1] = (byte) messageType;
        putInt(4, StunMessage.MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, data, 8, 12);
    }

    public StunMessageWriter addAttribute(int type, byte[] value, int padByte) {
        int padded = (value.length + 3) & ~3;
        ensure(4 + padded);
        data[length] = (byte) (type >>> 8);
        data[length + 1] = (byte) type;
        data[length + 2] = (byte) (value.length >>> 8);
        data[length + 3] = (byte) value.length;
        System.arraycopy(value, 0, data, length + 4, value.length);
        Arrays.fill(data, length + 4 + value.length, length + 4 + padded, (byte) padByte);
        length += 4 + padded;
        setLengthField(length - StunMessage.HEADER_LENGTH);
        return this;
    }

    public StunMessageWriter addAttribute(int type, byte[] value) {
        return addAttribute(type, value, 0);
    }

    public StunMessageWriter addUsername(String username) {
        return addAttribute(StunAttribute.USERNAME, username.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageWriter addSoftware(String software) {
        return addAttribute(StunAttribute.SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageWriter addPriority(long priority) {
        byte[] v = {(byte) (priority >>> 24), (byte) (priority >>> 16), (byte) (priority >>> 8), (byte) priority};
        return addAttribute(StunAttribute.PRIORITY, v);
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 §14.2): port XOR the cookie's top half, address XOR cookie (+ transaction id). */
    public StunMessageWriter addXorMappedAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        byte[] v = new byte[4 + ip.length];
        v[1] = (byte) (ip.length == 4 ? 1 : 2);
        int port = address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16);
        v[2] = (byte) (port >>> 8);
        v[3] = (byte) port;
        for (int i = 0; i < ip.length; i++) v[4 + i] = (byte) (ip[i] ^ data[4 + i]);
        return addAttribute(StunAttribute.XOR_MAPPED_ADDRESS, v);
    }

    /** ERROR-CODE (RFC 8489 §14.8). */
    public StunMessageWriter addErrorCode(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] v = new byte[4 + text.length];
        v[2] = (byte) (code / 100);
        v[3] = (byte) (code % 100);
        System.arraycopy(text, 0, v, 4, text.length);
        return addAttribute(StunAttribute.ERROR_CODE, v);
    }

    public StunMessageWriter addUnknownAttributes(int[] types) {
        byte[] v = new byte[types.length * 2];
        for (int i = 0; i < types.length; i++) {
            v[2 * i] = (byte) (types[i] >>> 8);
            v[2 * i + 1] = (byte) types[i];
        }
        return addAttribute(StunAttribute.UNKNOWN_ATTRIBUTES, v);
    }

    public StunMessageWriter addMessageIntegrity(byte[] key) {
        int at = length;
        ensure(24);
        byte[] mac = StunMessage.hmacSha1(key, data, at, at + 24 - StunMessage.HEADER_LENGTH);
        return addAttribute(StunAttribute.MESSAGE_INTEGRITY, mac);
    }

    public StunMessageWriter addFingerprint() {
        int crc = StunMessage.crc32(data, length);
        return addAttribute(StunAttribute.FINGERPRINT,
                new byte[] {(byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc});
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }

    /** Writes the message into buf at off and returns its length. */
    public int writeTo(byte[] buf, int off) {
        System.arraycopy(data, 0, buf, off, length);
        return length;
    }

    private void ensure(int more) {
        if (length + more > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, length + more));
    }

    private void setLengthField(int value) {
        data[2] = (byte) (value >>> 8);
        data[3] = (byte) value;
    }

    private void putInt(int at, int v) {
        data[at] = (byte) (v >>> 24);
        data[at + 1] = (byte) (v >>> 16);
        data[at + 2] = (byte) (v >>> 8);
        data[at + 3] = (byte) v;
    }
}
