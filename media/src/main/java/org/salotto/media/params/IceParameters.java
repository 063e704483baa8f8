package org.salotto.media.params;

/** ICE credentials of one side (RFC 8445 section 5.3). */
public record IceParameters(String ufrag, String pwd) {
    public IceParameters {
        if (ufrag == null || ufrag.length() < 4 || ufrag.length() > 256) throw new IllegalArgumentException("ice-ufrag length");
        if (pwd == null || pwd.length() < 22 || pwd.length() > 256) throw new IllegalArgumentException("ice-pwd length");
    }
}
