package org.salotto.media.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A browser stand-in: a BouncyCastle DTLS 1.2 client with its own self-signed ECDSA certificate that offers
 * {@code use_srtp} and exports SRTP keying material the way a WebRTC client does. Public for the ICE-TCP test
 * ({@code transport.IceTcpTest}), which runs it over a TCP connection.
 */
public final class TestDtlsClient extends DefaultTlsClient {
    private final DtlsIdentity identity; // null: answer the CertificateRequest with an empty certificate
    private final int[] offeredSrtpProfiles; // null: no use_srtp extension

    public volatile int selectedSrtpProfile = -1;
    public volatile byte[] keyingMaterial;
    volatile byte[] serverCertificateDer;
    volatile boolean receivedCloseNotify;
    /** How long the client's handshake may take; the fuzz target shortens it. */
    volatile int handshakeTimeoutMillis = 5_000;

    public TestDtlsClient(DtlsIdentity identity, int... offeredSrtpProfiles) {
        super(new BcTlsCrypto());
        this.identity = identity;
        this.offeredSrtpProfiles = offeredSrtpProfiles;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        if (offeredSrtpProfiles != null) {
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredSrtpProfiles, TlsUtils.EMPTY_BYTES));
        }
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData answer = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (answer != null && answer.getProtectionProfiles().length == 1) {
            selectedSrtpProfile = answer.getProtectionProfiles()[0];
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                serverCertificateDer = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                if (identity == null) {
                    return null;
                }
                TlsCertificate certificate = getCrypto().createCertificate(identity.certificateDer());
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context),
                        (BcTlsCrypto) getCrypto(), identity.privateKey(),
                        new Certificate(new TlsCertificate[]{certificate}),
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        if (selectedSrtpProfile > 0) {
            keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                    SrtpProfiles.keyingMaterialLength(selectedSrtpProfile));
        }
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertLevel == AlertLevel.warning && alertDescription == AlertDescription.close_notify) {
            receivedCloseNotify = true;
        }
    }
}
