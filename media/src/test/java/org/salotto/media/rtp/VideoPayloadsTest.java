package org.salotto.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Keyframe starts and VP8 keyframe sizes, from payloads as browsers packetize them, and from truncated ones. */
class VideoPayloadsTest {
    private static final int VP8 = VideoPayloads.CODEC_VP8;
    private static final int H264 = VideoPayloads.CODEC_H264;

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    @Test
    void aVp8KeyframeWithEveryDescriptorExtensionGivesItsSize() {
        // X=1 S=1 PID=0; I L T K; 15-bit picture id (M=1); TL0PICIDX; TID/KEYIDX; then a keyframe header, 640x360.
        byte[] p = bytes(0x90, 0xF0, 0x80 | 0x12, 0x34, 0x05, 0x20, 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01);
        assertTrue(VideoPayloads.isKeyframeStart(VP8, p, 0, p.length));
        assertEquals(640 << 16 | 360, VideoPayloads.vp8KeyframeSize(p, 0, p.length));
        // A 7-bit picture id only.
        byte[] q = bytes(0x90, 0x80, 0x12, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xB4, 0x00);
        assertEquals(320 << 16 | 180, VideoPayloads.vp8KeyframeSize(q, 0, q.length));
        // The top two bits of each side are the scaling: dropped.
        q[10] |= (byte) 0xC0;
        assertEquals(320 << 16 | 180, VideoPayloads.vp8KeyframeSize(q, 0, q.length));
    }

    @Test
    void vp8DeltaFramesLaterPartitionsAndTruncatedPayloadsAreNoKeyframes() {
        assertFalse(VideoPayloads.isKeyframeStart(VP8, bytes(0x10, 0x01, 0, 0), 0, 4), "P=1: an interframe");
        assertFalse(VideoPayloads.isKeyframeStart(VP8, bytes(0x00, 0x00, 0, 0), 0, 4), "S=0: not a frame's start");
        assertFalse(VideoPayloads.isKeyframeStart(VP8, bytes(0x11, 0x00, 0, 0), 0, 4), "partition 1");
        assertFalse(VideoPayloads.isKeyframeStart(VP8, bytes(0x90, 0x80), 0, 2), "the descriptor runs off the end");
        assertFalse(VideoPayloads.isKeyframeStart(VP8, bytes(), 0, 0));
        byte[] shortKey = bytes(0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80);
        assertTrue(VideoPayloads.isKeyframeStart(VP8, shortKey, 0, shortKey.length));
        assertEquals(-1, VideoPayloads.vp8KeyframeSize(shortKey, 0, shortKey.length), "no room for the size");
        byte[] badStart = bytes(0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2b, 0x80, 0x02, 0x68, 0x01);
        assertEquals(-1, VideoPayloads.vp8KeyframeSize(badStart, 0, badStart.length), "not the start code");
    }

    @Test
    void h264KeyframesAloneInAStapAOrAsAnFuAStart() {
        assertTrue(VideoPayloads.isKeyframeStart(H264, bytes(0x65, 0x88), 0, 2), "IDR");
        assertTrue(VideoPayloads.isKeyframeStart(H264, bytes(0x67, 0x42), 0, 2), "SPS");
        assertFalse(VideoPayloads.isKeyframeStart(H264, bytes(0x41, 0x9a), 0, 2), "a non-IDR slice");
        // STAP-A: a 2-byte SEI, then an SPS.
        assertTrue(VideoPayloads.isKeyframeStart(H264, bytes(0x78, 0, 2, 0x06, 0x05, 0, 2, 0x67, 0x42), 0, 9));
        assertFalse(VideoPayloads.isKeyframeStart(H264, bytes(0x78, 0, 9, 0x67), 0, 4), "a size past the end");
        assertTrue(VideoPayloads.isKeyframeStart(H264, bytes(0x7C, 0x85, 0x88), 0, 3), "FU-A start of an IDR");
        assertFalse(VideoPayloads.isKeyframeStart(H264, bytes(0x7C, 0x05, 0x88), 0, 3), "FU-A middle of an IDR");
        assertFalse(VideoPayloads.isKeyframeStart(VideoPayloads.CODEC_OTHER, bytes(0x65), 0, 1));
        assertEquals(VideoPayloads.CODEC_H264, VideoPayloads.codecOf("video/h264"));
    }

    @Test
    void vp8IndexFieldsAreFoundWhereTheDescriptorSaysAndCutDescriptorsRefused() {
        // X, I (15-bit), L, T/K: PictureID at 2, TL0PICIDX at 4.
        assertEquals(2 << 16 | 4, VideoPayloads.vp8IndexFields(bytes(0x90, 0xE0, 0x81, 0x02, 0x07, 0x20, 0x00), 0, 7));
        // A 7-bit PictureID, no TL0PICIDX.
        assertEquals(2 << 16, VideoPayloads.vp8IndexFields(bytes(0x90, 0x80, 0x05, 0x00), 0, 4));
        // No X: nothing to rewrite.
        assertEquals(0, VideoPayloads.vp8IndexFields(bytes(0x10, 0x00), 0, 2));
        // Cut in the middle of the 15-bit PictureID, or before the TL0PICIDX.
        assertEquals(-1, VideoPayloads.vp8IndexFields(bytes(0x90, 0x80, 0x81), 0, 3));
        assertEquals(-1, VideoPayloads.vp8IndexFields(bytes(0x90, 0xC0, 0x81, 0x02), 0, 4));
        assertEquals(-1, VideoPayloads.vp8IndexFields(bytes(0x90), 0, 1));
    }
}
