package org.salotto.media.rtp;

/**
 * What forwarding needs to know of a video payload, without decoding it: whether a packet starts a keyframe (a
 * simulcast consumer may only switch layers there), and a VP8 keyframe's size (which says how large a layer is).
 * Static functions over the payload bytes {@code [off, off+len)}; every read is bounds-checked, so they are safe on
 * anything that passed {@link RtpPacket#validate}.
 *
 * <p>VP8 (RFC 7741 §4.2 payload descriptor, RFC 6386 §9.1 frame header):
 * <pre>
 *  X R N S R PID    X: extensions follow; S: start of a partition; PID: partition index
 *  I L T K RSV      (when X) I: picture id; L: TL0PICIDX; T/K: TID/KEYIDX byte
 *  M PictureID      (when I) 7 or 15 bits
 *  ...then the VP8 frame: size0|show|ver|P (P = 0 on a keyframe), 2 more size bytes,
 *  a keyframe's start code 9d 01 2a, width (14 bits LE), height (14 bits LE)
 * </pre>
 * H.264 (RFC 6184 §5): a keyframe starts with an SPS or IDR NAL unit, alone, in a STAP-A, or as an FU-A's start.
 */
public final class VideoPayloads {
    public static final int CODEC_OTHER = 0;
    public static final int CODEC_VP8 = 1;
    public static final int CODEC_H264 = 2;

    private VideoPayloads() {
    }

    /** {@link #CODEC_VP8}, {@link #CODEC_H264} or {@link #CODEC_OTHER} for a mime type such as "video/VP8". */
    public static int codecOf(String mimeType) {
        if (mimeType.equalsIgnoreCase("video/VP8")) return CODEC_VP8;
        if (mimeType.equalsIgnoreCase("video/H264")) return CODEC_H264;
        return CODEC_OTHER;
    }

    /** Whether the payload is the first packet of a keyframe in {@code codec}. */
    public static boolean isKeyframeStart(int codec, byte[] b, int off, int len) {
        return switch (codec) {
            case CODEC_VP8 -> vp8FrameOffset(b, off, len) >= 0 && (b[vp8FrameOffset(b, off, len)] & 0x01) == 0;
            case CODEC_H264 -> h264KeyframeStart(b, off, len);
            default -> false;
        };
    }

    /**
     * A VP8 keyframe's size as {@code width << 16 | height} (scaling bits dropped), or -1 when the payload does not
     * start a keyframe or is too short to hold its header.
     */
    public static int vp8KeyframeSize(byte[] b, int off, int len) {
        int f = vp8FrameOffset(b, off, len);
        int end = off + len;
        if (f < 0 || (b[f] & 0x01) != 0 || f + 10 > end) return -1;
        if ((b[f + 3] & 0xFF) != 0x9d || (b[f + 4] & 0xFF) != 0x01 || (b[f + 5] & 0xFF) != 0x2a) return -1;
        int width = ((b[f + 6] & 0xFF) | (b[f + 7] & 0xFF) << 8) & 0x3FFF;
        int height = ((b[f + 8] & 0xFF) | (b[f + 9] & 0xFF) << 8) & 0x3FFF;
        return width << 16 | height;
    }

    /**
     * Where the VP8 payload descriptor holds its PictureID and its TL0PICIDX, as offsets from {@code off}:
     * {@code pictureId << 16 | tl0PicIdx}, each 0 when the descriptor has none (neither can be at offset 0); -1 when
     * the descriptor is cut short. A PictureID is 7 bits, or 15 when the first of its bytes has the M bit (0x80).
     */
    public static int vp8IndexFields(byte[] b, int off, int len) {
        int end = off + len;
        if (len < 1) return -1;
        if ((b[off] & 0x80) == 0) return 0;
        int p = off + 1;
        if (p >= end) return -1;
        int x = b[p++] & 0xFF;
        int pictureId = 0;
        int tl0 = 0;
        if ((x & 0x80) != 0) {
            if (p >= end) return -1;
            boolean wide = (b[p] & 0x80) != 0;
            if (wide && p + 1 >= end) return -1;
            pictureId = p - off;
            p += wide ? 2 : 1;
        }
        if ((x & 0x40) != 0) {
            if (p >= end) return -1;
            tl0 = p - off;
        }
        return pictureId << 16 | tl0;
    }

    /** The offset of the VP8 frame header when this packet starts partition 0 of a frame, else -1. */
    private static int vp8FrameOffset(byte[] b, int off, int len) {
        int end = off + len;
        if (len < 1) return -1;
        int first = b[off] & 0xFF;
        if ((first & 0x10) == 0 || (first & 0x07) != 0) return -1; // S must be set, PID 0
        int p = off + 1;
        if ((first & 0x80) != 0) {
            if (p >= end) return -1;
            int x = b[p++] & 0xFF;
            if ((x & 0x80) != 0) {
                if (p >= end) return -1;
                p += (b[p] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) p++;
            if ((x & 0x30) != 0) p++;
        }
        return p < end ? p : -1;
    }

    private static boolean h264KeyframeStart(byte[] b, int off, int len) {
        int end = off + len;
        if (len < 1) return false;
        int type = b[off] & 0x1F;
        if (type == 5 || type == 7) return true;
        if (type == 24) { // STAP-A: 16-bit sizes, each NAL unit's type in its first byte
            int p = off + 1;
            while (p + 2 < end) {
                int size = Bytes.u16(b, p);
                if (size == 0 || p + 2 + size > end) return false;
                int t = b[p + 2] & 0x1F;
                if (t == 5 || t == 7) return true;
                p += 2 + size;
            }
            return false;
        }
        if (type == 28 && len >= 2) { // FU-A: the start bit and the fragmented unit's type
            int header = b[off + 1] & 0xFF;
            int t = header & 0x1F;
            return (header & 0x80) != 0 && (t == 5 || t == 7);
        }
        return false;
    }
}
