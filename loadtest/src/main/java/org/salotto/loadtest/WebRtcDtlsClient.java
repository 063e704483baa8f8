package org.salotto.loadtest;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.salotto.media.srtp.SrtpProfile;

/**
 * The DTLS 1.2 client of DTLS-SRTP (RFC 5763, RFC 5764) as a browser plays it: offers {@code use_srtp} with AES-GCM
 * then AES-CM/HMAC-SHA1-80, presents a self-signed certificate, accepts the server's certificate only when its SHA-256
 * fingerprint is the one in the server's SDP, and exports the SRTP keying material when the handshake ends.
 */
final class WebRtcDtlsClient extends DefaultTlsClient {
    /** What a browser offers, in its order. */
    static final int[] BROWSER_PROFILES = {
            SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80};
    /** AES-CM with HMAC-SHA1-80 only: the profile Salotto picks, offered alone so that another server picks it too. */
    static final int[] AES_CM_ONLY = {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80};

    private final ClientIdentity identity;
    private final String expectedServerFingerprint;
    private final int[] offeredProfiles;
    private SrtpProfile profile;
    private byte[] keyingMaterial;

    WebRtcDtlsClient(ClientIdentity identity, String expectedServerFingerprint, int[] offeredProfiles) {
        super(new BcTlsCrypto());
        this.identity = identity;
        this.expectedServerFingerprint = expectedServerFingerprint;
        this.offeredProfiles = offeredProfiles;
    }

    SrtpProfile profile() {
        return profile;
    }

    byte[] keyingMaterial() {
        return keyingMaterial;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return 10_000;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData answer = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (answer == null || answer.getProtectionProfiles().length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter); // RFC 5764 section 4.1.1: exactly one profile
        }
        profile = SrtpProfile.fromId(answer.getProtectionProfiles()[0]);
        if (profile == null) throw new TlsFatalAlert(AlertDescription.illegal_parameter);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                byte[] der = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                if (!ClientIdentity.fingerprint(der).equalsIgnoreCase(expectedServerFingerprint)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate);
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                TlsCertificate certificate = getCrypto().createCertificate(identity.certificateDer());
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                        identity.privateKey(), new Certificate(new TlsCertificate[] {certificate}),
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                2 * (profile.keyLength() + profile.saltLength()));
    }
}
