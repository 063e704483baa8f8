package org.salotto.media.dtls;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;

/**
 * A record cipher whose every decryption failure reads as bad_record_mac. BouncyCastle's connected DTLS transport
 * discards a record that fails with bad_record_mac and keeps the association (RFC 6347 §4.1.2.7), but any other
 * failure (decode_error for a ciphertext too short to hold its nonce and tag, record_overflow, a runtime error in the
 * cipher) closes it: one forged datagram from a participant's address would end their media. Each failure is counted
 * through {@code onDiscarded} before it is rethrown.
 */
final class RecordDiscardingCipher implements TlsCipher {
    private final TlsCipher cipher;
    private final Runnable onDiscarded;

    RecordDiscardingCipher(TlsCipher cipher, Runnable onDiscarded) {
        this.cipher = cipher;
        this.onDiscarded = onDiscarded;
    }

    @Override
    public TlsDecodeResult decodeCiphertext(long sequenceNumber, short recordType, ProtocolVersion recordVersion,
                                            byte[] ciphertext, int offset, int length) throws IOException {
        try {
            return cipher.decodeCiphertext(sequenceNumber, recordType, recordVersion, ciphertext, offset, length);
        } catch (TlsFatalAlert | RuntimeException e) {
            onDiscarded.run();
            throw new TlsFatalAlert(AlertDescription.bad_record_mac);
        }
    }

    @Override
    public int getCiphertextDecodeLimit(int plaintextLimit) {
        return cipher.getCiphertextDecodeLimit(plaintextLimit);
    }

    @Override
    public int getCiphertextEncodeLimit(int plaintextLimit) {
        return cipher.getCiphertextEncodeLimit(plaintextLimit);
    }

    @Override
    public int getPlaintextDecodeLimit(int ciphertextLimit) {
        return cipher.getPlaintextDecodeLimit(ciphertextLimit);
    }

    @Override
    public int getPlaintextEncodeLimit(int ciphertextLimit) {
        return cipher.getPlaintextEncodeLimit(ciphertextLimit);
    }

    @Override
    public TlsEncodeResult encodePlaintext(long sequenceNumber, short contentType, ProtocolVersion recordVersion,
                                           int headerAllocation, byte[] plaintext, int offset, int length)
            throws IOException {
        return cipher.encodePlaintext(sequenceNumber, contentType, recordVersion, headerAllocation, plaintext, offset,
                length);
    }

    @Override
    public void rekeyDecoder() throws IOException {
        cipher.rekeyDecoder();
    }

    @Override
    public void rekeyEncoder() throws IOException {
        cipher.rekeyEncoder();
    }

    @Override
    public boolean usesOpaqueRecordTypeDecode() {
        return cipher.usesOpaqueRecordTypeDecode();
    }

    @Override
    public boolean usesOpaqueRecordTypeEncode() {
        return cipher.usesOpaqueRecordTypeEncode();
    }
}
