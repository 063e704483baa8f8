package org.salotto.media.dtls;

import java.security.SecureRandom;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's crypto for DTLS with AES-GCM records that keep no multiplication tables. The default multiplier
 * precomputes 4 KB per key and direction, about 20 KB of heap per connection for as long as the DTLS session lives
 * (the whole call: it reads alerts until close_notify). After the handshake DTLS carries only alerts, so the slower
 * table-free GHASH costs nothing that matters; media is SRTP, which has its own code.
 */
final class CompactTlsCrypto extends BcTlsCrypto {
    CompactTlsCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    protected AEADBlockCipher createGCMMode(BlockCipher engine) {
        return GCMBlockCipher.newInstance(engine, new BasicGCMMultiplier());
    }
}
