package org.salotto.media.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's crypto for DTLS with AES-GCM records that keep no multiplication tables. The default multiplier
 * precomputes 4 KB per key and direction, about 20 KB of heap per connection for as long as the DTLS session lives
 * (the whole call: it reads alerts until close_notify). After the handshake DTLS carries only alerts, so the slower
 * table-free GHASH costs nothing that matters; media is SRTP, which has its own code.
 *
 * <p>Its record ciphers turn every decryption failure into a discarded record ({@link RecordDiscardingCipher}).
 */
final class CompactTlsCrypto extends BcTlsCrypto {
    private final Runnable onRecordDiscarded;

    CompactTlsCrypto(SecureRandom random, Runnable onRecordDiscarded) {
        super(random);
        this.onRecordDiscarded = onRecordDiscarded;
    }

    @Override
    public TlsCipher createCipher(TlsCryptoParameters parameters, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        return new RecordDiscardingCipher(super.createCipher(parameters, encryptionAlgorithm, macAlgorithm),
                onRecordDiscarded);
    }

    @Override
    protected AEADBlockCipher createGCMMode(BlockCipher engine) {
        return GCMBlockCipher.newInstance(engine, new BasicGCMMultiplier());
    }
}
