package org.salotto.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The BouncyCastle {@code TlsServer} policy for a WebRTC peer: DTLS 1.2 only, ECDHE-ECDSA suites, our self-signed
 * ECDSA certificate, a mandatory client certificate authenticated by its SDP fingerprint (RFC 5763 section 5), and
 * the {@code use_srtp} extension (RFC 5764 section 4.1) with keys exported when the handshake completes (RFC 5764
 * section 4.2).
 *
 * <p>One instance per handshake; used only by the session's thread.
 */
final class WebRtcDtlsServer extends DefaultTlsServer {
    /** Our order of preference: AEAD first, then the CBC suites older stacks may need. */
    private static final int[] CIPHER_SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };

    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final DtlsIdentity identity;
    private final CertificateFingerprint expectedClientFingerprint;
    private final int handshakeTimeoutMillis;

    private int srtpProfile = -1;
    private byte[] keyingMaterial;

    WebRtcDtlsServer(BcTlsCrypto crypto, DtlsIdentity identity, CertificateFingerprint expectedClientFingerprint,
                     int handshakeTimeoutMillis) {
        super(crypto);
        this.identity = identity;
        this.expectedClientFingerprint = expectedClientFingerprint;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** The negotiated SRTP protection profile; valid once the handshake has completed. */
    int srtpProfile() {
        return srtpProfile;
    }

    /** The RFC 5705 exporter output for SRTP; null until the handshake has completed. */
    byte[] keyingMaterial() {
        return keyingMaterial;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
    }

    /** Overall limit for the handshake; BouncyCastle's own retransmission timers run inside it. */
    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    /**
     * The client's certificate is authenticated by its fingerprint alone, so how it was signed does not matter (a
     * self-signed browser certificate need not use an algorithm from our CertificateRequest).
     */
    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        srtpProfile = SrtpProfiles.select(offered.getProtectionProfiles());
        if (srtpProfile < 0) {
            // RFC 5764 4.1.3 lets a server go on without SRTP, but a WebRTC media transport is useless without it.
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no SRTP protection profile in common");
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // BouncyCastle's API uses raw Hashtable
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // An empty srtp_mki: we do not use master key identifiers (RFC 5764 section 4.1.1), nor does WebRTC.
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[]{srtpProfile}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        Vector<?> clientSigAlgs = context.getSecurityParametersHandshake().getClientSigAlgs();
        if (clientSigAlgs != null && !clientSigAlgs.contains(ECDSA_SHA256)) {
            return null; // our P-256 key can only sign with SHA-256 here; the suite is then not selectable
        }
        TlsCertificate certificate = getCrypto().createCertificate(identity.certificateDer());
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                identity.privateKey(), new Certificate(new TlsCertificate[]{certificate}), ECDSA_SHA256);
    }

    /** Browsers always answer with a certificate; we ask for ECDSA (what Chrome and Firefox use) or RSA. */
    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
        for (short hash : new short[]{HashAlgorithm.sha256, HashAlgorithm.sha384, HashAlgorithm.sha512}) {
            algorithms.add(SignatureAndHashAlgorithm.getInstance(hash, SignatureAlgorithm.ecdsa));
        }
        algorithms.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
        for (short hash : new short[]{HashAlgorithm.sha256, HashAlgorithm.sha384, HashAlgorithm.sha512}) {
            algorithms.add(SignatureAndHashAlgorithm.getInstance(hash, SignatureAlgorithm.rsa));
        }
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, algorithms, null);
    }

    /**
     * The whole of client authentication: the leaf certificate must hash to the SDP fingerprint. No chain or validity
     * checks, since WebRTC certificates are self-signed. BouncyCastle checks the CertificateVerify signature against
     * this certificate's key afterwards, which proves the client holds the key.
     */
    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client sent no certificate");
        }
        byte[] leaf = clientCertificate.getCertificateAt(0).getEncoded();
        if (!expectedClientFingerprint.matches(leaf)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "client certificate does not match the " + expectedClientFingerprint.algorithm()
                            + " fingerprint from its SDP");
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        // Exported here, while the handshake's security parameters are still in place.
        keyingMaterial = context.exportKeyingMaterial(
                ExporterLabel.dtls_srtp, null, SrtpProfiles.keyingMaterialLength(srtpProfile));
    }
}
