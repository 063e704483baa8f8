package org.salotto.loadtest;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.salotto.signaling.sdp.MediaDescription;
import org.salotto.signaling.sdp.SdpException;
import org.salotto.signaling.sdp.SessionDescription;

/**
 * The server's end of one peer connection as its SDP describes it: ICE-lite credentials, the SHA-256 fingerprint of
 * its certificate, and its one host candidate.
 */
record RemoteTransport(String ufrag, String pwd, String fingerprintSha256, InetSocketAddress address) {

    /**
     * Reads the first live m-section (both servers bundle everything onto one transport); credentials and fingerprint
     * may also be at session level.
     */
    static RemoteTransport read(SessionDescription sdp) throws SdpException {
        for (MediaDescription m : sdp.media()) {
            if (m.isRejected()) continue;
            String ufrag = m.attribute("ice-ufrag").or(() -> sdp.attribute("ice-ufrag")).orElse(null);
            String pwd = m.attribute("ice-pwd").or(() -> sdp.attribute("ice-pwd")).orElse(null);
            String fingerprint = null;
            List<String> fingerprints = new ArrayList<>(m.attributeValues("fingerprint"));
            fingerprints.addAll(sdp.attributeValues("fingerprint"));
            for (String f : fingerprints) {
                String[] parts = f.strip().split(" +");
                if (parts.length == 2 && parts[0].equalsIgnoreCase("sha-256") && fingerprint == null) {
                    fingerprint = parts[1];
                }
            }
            InetSocketAddress address = null;
            for (String c : m.attributeValues("candidate")) {
                // foundation component transport priority ip port typ host
                String[] f = c.split(" ");
                if (f.length >= 8 && f[2].equalsIgnoreCase("udp")) {
                    address = new InetSocketAddress(f[4], Integer.parseInt(f[5]));
                    break;
                }
            }
            if (ufrag == null || pwd == null || fingerprint == null || address == null) {
                throw new SdpException("the server's SDP lacks ICE credentials, a sha-256 fingerprint or a UDP candidate");
            }
            return new RemoteTransport(ufrag, pwd, fingerprint, address);
        }
        throw new SdpException("the server's SDP has no live m-section");
    }
}
