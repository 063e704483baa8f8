package org.salotto.media.rtp;

import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer targets for the RTP readers every decrypted packet from a publisher goes through: {@link RtpPacket#validate}
 * with the header accessors, and the RFC 8285 header extension reader and rewriter. Contract: malformed input gives
 * -1/false, never an exception; a valid packet's header, payload and every extension element lie inside it. The input
 * sits at the very end of its array, so a read past its length throws. Round trips: writing back what was read leaves
 * the bytes unchanged; remapping ids through the identity map succeeds exactly when the block validates and changes
 * nothing; the RFC 6464 level byte agrees with the level and V-bit readers. RTX unwrapping (RFC 4588): padding-only
 * and malformed packets are told apart and left untouched; any other packet becomes, two bytes on, a valid RTP packet
 * with the OSN as sequence number, the given SSRC and payload type, the same header length and the payload after the
 * OSN. Corpus: {@code src/test/resources/org/salotto/media/rtp/RtpFuzzTestInputs/} (browser packets with audio level,
 * transport-wide sequence and mid extensions, both forms; RTX packets, padding-only probes, a one-byte RTX payload).
 */
class RtpFuzzTest {
    private static final int AT = 3;
    private static final byte[] IDENTITY = new byte[256];

    static {
        for (int i = 0; i < IDENTITY.length; i++) IDENTITY[i] = (byte) i;
    }

    private static byte[] place(byte[] packet) {
        byte[] b = new byte[AT + packet.length];
        Arrays.fill(b, 0, AT, (byte) 0x90);
        System.arraycopy(packet, 0, b, AT, packet.length);
        return b;
    }

    @FuzzTest(maxDuration = "30s")
    void validate(byte[] packet) {
        byte[] b = place(packet);
        int len = packet.length;
        RtpPacket.isRtp(b, AT, len);
        int h = RtpPacket.validate(b, AT, len);
        if (h < 0) return;
        assertTrue(h >= RtpPacket.FIXED_HEADER_LENGTH && h <= len, "header length " + h + " of " + len);
        assertEquals(h, RtpPacket.headerLength(b, AT, len));
        int payload = RtpPacket.payloadLength(b, AT, len);
        assertTrue(payload >= 0 && h + payload + RtpPacket.paddingLength(b, AT, len) == len);
        for (int i = 0; i < RtpPacket.csrcCount(b, AT); i++) RtpPacket.csrc(b, AT, i);
        if (RtpPacket.hasExtension(b, AT)) RtpPacket.extensionProfile(b, AT);

        byte[] before = b.clone();
        RtpPacket.setSequenceNumber(b, AT, RtpPacket.sequenceNumber(b, AT));
        RtpPacket.setTimestamp(b, AT, RtpPacket.timestamp(b, AT));
        RtpPacket.setSsrc(b, AT, RtpPacket.ssrc(b, AT));
        RtpPacket.setPayloadType(b, AT, RtpPacket.payloadType(b, AT));
        RtpPacket.setMarker(b, AT, RtpPacket.marker(b, AT));
        assertArrayEquals(before, b);
    }

    @FuzzTest(maxDuration = "30s")
    void headerExtensions(byte[] packet) {
        byte[] b = place(packet);
        int len = packet.length;
        boolean valid = RtpHeaderExtensions.validate(b, AT, len);
        for (int id = 1; id <= 255; id++) {
            long packed = RtpHeaderExtensions.locate(b, AT, len, id);
            if (packed < 0) continue;
            int data = (int) (packed >>> 16);
            int length = (int) (packed & 0xFFFF);
            assertTrue(data > AT && data + length <= AT + len, "element " + id + " outside the packet");
            assertEquals(data, RtpHeaderExtensions.find(b, AT, len, id));
            assertEquals(length, RtpHeaderExtensions.elementLength(b, AT, len, id));
            int levelByte = RtpHeaderExtensions.audioLevelByte(b, AT, len, id);
            assertTrue(levelByte >= -1 && levelByte <= 255);
            assertEquals(levelByte < 0 ? -1 : levelByte & 0x7F, RtpHeaderExtensions.audioLevel(b, AT, len, id));
            assertEquals(levelByte >= 0 && (levelByte & 0x80) != 0, RtpHeaderExtensions.voiceActivity(b, AT, len, id));
            int seq = RtpHeaderExtensions.transportWideSequence(b, AT, len, id);
            if (seq >= 0) {
                assertTrue(RtpHeaderExtensions.setTransportWideSequence(b, AT, len, id, seq ^ 0x5A5A));
                assertEquals(seq ^ 0x5A5A, RtpHeaderExtensions.transportWideSequence(b, AT, len, id));
                RtpHeaderExtensions.setTransportWideSequence(b, AT, len, id, seq);
            }
        }
        byte[] before = b.clone();
        boolean remapped = RtpHeaderExtensions.remapIds(b, AT, len, IDENTITY);
        assertArrayEquals(before, b, "the identity map changed the packet");
        if (RtpPacket.headerLength(b, AT, len) >= 0) {
            assertEquals(valid, remapped, "remapIds and validate disagree on the block's structure");
        } else {
            assertTrue(!valid && !remapped);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void rtxUnwrap(byte[] packet) {
        byte[] b = place(packet);
        byte[] before = b.clone();
        int len = packet.length;
        int h = RtpPacket.validate(b, AT, len);
        int payload = h < 0 ? -1 : len - h - RtpPacket.paddingLength(b, AT, len);
        int osn = RtxPacket.originalSequence(b, AT, len);
        int n = RtxPacket.unwrap(b, AT, len, 0x01020304, 0x6F);
        if (h < 0 || payload == 1) {
            assertEquals(RtxPacket.MALFORMED, n);
            assertEquals(-1, osn);
            assertArrayEquals(before, b, "a malformed packet was changed");
            return;
        }
        if (payload == 0) {
            assertEquals(RtxPacket.PADDING_ONLY, n);
            assertArrayEquals(before, b, "a padding-only packet was changed");
            return;
        }
        assertEquals(len - RtxPacket.OSN_LENGTH, n);
        int at = AT + RtxPacket.OSN_LENGTH;
        assertEquals(h, RtpPacket.validate(b, at, n), "the original does not validate with the same header");
        assertEquals(osn, RtpPacket.sequenceNumber(b, at));
        assertEquals(0x01020304, RtpPacket.ssrc(b, at));
        assertEquals(0x6F, RtpPacket.payloadType(b, at));
        assertEquals(RtpPacket.marker(before, AT), RtpPacket.marker(b, at));
        assertArrayEquals(Arrays.copyOfRange(before, 0, AT), Arrays.copyOfRange(b, 0, AT), "bytes before the packet changed");
        assertArrayEquals(Arrays.copyOfRange(before, AT + h + 2, AT + len), Arrays.copyOfRange(b, at + h, at + n),
                "the payload after the OSN moved");
    }

    /**
     * The VP8 payload descriptor readers (RFC 7741 §4.2) a simulcast consumer uses on every packet: never an exception;
     * the PictureID and TL0PICIDX lie inside the payload, after the first byte, the TL0PICIDX after the PictureID; a
     * keyframe's size is only read where a keyframe starts.
     */
    @FuzzTest(maxDuration = "30s")
    void vp8Descriptor(byte[] payload) {
        byte[] b = place(payload);
        int len = payload.length;
        int fields = VideoPayloads.vp8IndexFields(b, AT, len);
        if (fields > 0) {
            int pictureId = fields >>> 16;
            int tl0 = fields & 0xFFFF;
            if (pictureId != 0) {
                boolean wide = (b[AT + pictureId] & 0x80) != 0;
                assertTrue(pictureId >= 2 && pictureId + (wide ? 2 : 1) <= len, "PictureID outside: " + pictureId);
                if (tl0 != 0) assertTrue(tl0 >= pictureId + (wide ? 2 : 1), "TL0PICIDX inside the PictureID");
            }
            if (tl0 != 0) assertTrue(tl0 >= 2 && tl0 < len, "TL0PICIDX outside: " + tl0);
        }
        boolean keyframe = VideoPayloads.isKeyframeStart(VideoPayloads.CODEC_VP8, b, AT, len);
        int size = VideoPayloads.vp8KeyframeSize(b, AT, len);
        if (size >= 0) assertTrue(keyframe, "a size read from a packet that starts no keyframe");
        VideoPayloads.isKeyframeStart(VideoPayloads.CODEC_H264, b, AT, len);
    }

    /**
     * Writes the corpus: packets shaped like a browser's (Opus with audio level and transport-wide sequence in the
     * one-byte form, VP8 with a two-byte block carrying mid and rid, CSRCs, padding-only probes).
     */
    @Test
    void writeSeeds() {
        String[][] seeds = {
                // V=2 X=1, PT 111, one-byte block: id 1 audio level (V=1, -30 dBov), id 3 transport-wide seq, pad.
                {"opus-audio-level-twcc", "9000 6f 1a2b 0001e240 11223344 bede 0002 10 9e 31 01c8 00 000000"
                        + " fc ff fe 4a 8b 21 07 a0 55 31 3d"},
                // V=2 X=1 M=1, PT 96, two-byte block: id 4 mid "0", id 10 rid "hi", then padding.
                {"vp8-two-byte-mid-rid", "9080 60 0457 5e3a1b00 cafebabe 1000 0003 04 01 30 0a 02 6869 00 00000000"
                        + " 9000 0000 1122 3344 5566 7788"},
                // Two CSRCs, no extension.
                {"csrcs", "8200 6f 0010 00000100 0000abcd 00000001 00000002 deadbeef"},
                // Padding-only probe (P=1), 200 bytes of padding with count in the last byte.
                {"padding-probe", "a000 60 00ff 00001000 0badf00d" + " 00".repeat(199) + " c8"},
                // One-byte block with the reserved id 15 ending the walk.
                {"one-byte-reserved-id", "9000 6f 0002 00000002 11223344 bede 0001 10 7f f0 00 aabb"},
                // Extension block claiming more words than the packet holds.
                {"extension-too-long", "9000 6f 0003 00000003 11223344 bede 00ff 10 7f 00 00"},
                // Audio level in the two-byte form with no data byte (L=0): no level to read.
                {"audio-level-empty", "9000 6f 0004 00000004 11223344 1000 0001 01 00 00 00 aabb"},
                // Audio level element claiming 4 data bytes where the block holds 2.
                {"audio-level-overrun", "9000 6f 0005 00000005 11223344 bede 0001 13 9e 00 00 aabb"},
        };
        for (String[] seed : seeds) {
            byte[] packet = Hex.decode(seed[1]);
            FuzzSeeds.write(RtpFuzzTest.class, "validate", seed[0], packet);
            FuzzSeeds.write(RtpFuzzTest.class, "headerExtensions", seed[0], packet);
            FuzzSeeds.write(RtpFuzzTest.class, "rtxUnwrap", seed[0], packet);
        }
        String[][] rtx = {
                // RTX PT 97 with transport-wide sequence and mid, OSN 0x1234, then VP8 payload.
                {"rtx-vp8-twcc-mid", "9061 0777 5e3a1b00 55667788 bede 0002 32 01c9 40 30 000000 1234 9000 0000 aabbcc"},
                // RTX with the marker, OSN 0xffff, and two bytes of padding after the payload.
                {"rtx-marker-padded", "a0e1 0001 00000001 55667788 ffff 01020304 0002"},
                // Exactly the OSN: an original with an empty payload.
                {"rtx-osn-only", "8061 0002 00000001 55667788 0010"},
                // One byte of payload: too short for the OSN.
                {"rtx-one-byte", "8061 0003 00000001 55667788 12"},
        };
        for (String[] seed : rtx) FuzzSeeds.write(RtpFuzzTest.class, "rtxUnwrap", seed[0], Hex.decode(seed[1]));
        String[][] vp8 = {
                // Chromium's simulcast keyframe start: X, S; I (15-bit PictureID), L, T; 640x360.
                {"keyframe-15bit-tl0", "90 e0 9a 41 17 20 10 02 00 9d 01 2a 80 02 68 01"},
                // A delta frame's later packet: X, no S; 7-bit PictureID, no TL0PICIDX.
                {"delta-7bit", "80 80 05 31 00 00"},
                // No extensions at all.
                {"plain", "10 00 00 00"},
                // Cut inside the 15-bit PictureID.
                {"cut-picture-id", "90 80 81"},
                // Says TL0PICIDX follows, then ends.
                {"cut-tl0", "90 c0 81 02"},
        };
        for (String[] seed : vp8) FuzzSeeds.write(RtpFuzzTest.class, "vp8Descriptor", seed[0], Hex.decode(seed[1]));
    }
}
