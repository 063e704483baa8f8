package org.salotto.media.rtcp;

/**
 * Picture loss indication (PLI), RFC 4585 §6.3.1: PT 206 (PSFB), FMT 1, no FCI. The SFU relays it from a subscriber
 * to the publisher after rewriting the media SSRC with {@link #setMediaSsrc}.
 *
 * <pre>
 * |V=2|P|  FMT=1  |    PT=206     |          length=2             |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.3.1">RFC 4585 §6.3.1</a>
 */
public final class PictureLossIndication {
    public static final int FMT = 1;
    public static final int LENGTH = 12;

    private PictureLossIndication() {
    }

    public static boolean validate(byte[] b, int off, int len) {
        return RtcpFeedback.validate(b, off, len, RtcpPacket.PSFB, FMT);
    }

    public static int senderSsrc(byte[] b, int off) {
        return RtcpFeedback.senderSsrc(b, off);
    }

    public static int mediaSsrc(byte[] b, int off) {
        return RtcpFeedback.mediaSsrc(b, off);
    }

    public static void setSenderSsrc(byte[] b, int off, int ssrc) {
        RtcpFeedback.setSenderSsrc(b, off, ssrc);
    }

    public static void setMediaSsrc(byte[] b, int off, int ssrc) {
        RtcpFeedback.setMediaSsrc(b, off, ssrc);
    }

    /** @return {@link #LENGTH} */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc) {
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.PSFB, FMT, LENGTH, senderSsrc, mediaSsrc);
        return LENGTH;
    }
}
