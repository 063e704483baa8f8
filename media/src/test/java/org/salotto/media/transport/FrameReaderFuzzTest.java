package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;

/**
 * Jazzer target for the ICE-TCP edge: whatever bytes a TCP peer sends, read by {@link FrameReader} as the
 * {@code media-tcp} thread reads a connection. The input's first byte chooses how the stream is cut into reads (TCP
 * gives no boundaries), the rest is the stream. Contract, against a plain reference reading of RFC 4571: the same
 * frames come out, in order, whole, each 1 to 1,500 bytes long, however the stream is cut; the reader turns bad
 * exactly when the reference meets a length of 0 or over 1,500, and hands on nothing after that; nothing is thrown.
 * Corpus: {@code src/test/resources/org/salotto/media/transport/FrameReaderFuzzTestInputs/stream/}.
 */
class FrameReaderFuzzTest {
    private static final int MAX = MediaLoop.MAX_DATAGRAM;

    @FuzzTest(maxDuration = "30s")
    void stream(byte[] input) {
        if (input.length == 0) return;
        int step = 1 + (input[0] & 0xFF);
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);

        List<byte[]> expected = new ArrayList<>();
        boolean expectedBad = false;
        for (int p = 0; p + 2 <= stream.length; ) {
            int length = ((stream[p] & 0xFF) << 8) | (stream[p + 1] & 0xFF);
            if (length == 0 || length > MAX) {
                expectedBad = true;
                break;
            }
            if (p + 2 + length > stream.length) break; // the stream ends inside a frame
            expected.add(Arrays.copyOfRange(stream, p + 2, p + 2 + length));
            p += 2 + length;
        }

        for (int cut : new int[] {stream.length, step, 1}) {
            List<byte[]> got = new ArrayList<>();
            FrameReader reader = new FrameReader(MAX);
            boolean ok = true;
            for (int off = 0; off < stream.length && ok; off += cut) {
                int len = Math.min(cut, stream.length - off);
                ok = reader.feed(stream, off, len, (buf, o, l) -> {
                    assertTrue(l >= 1 && l <= MAX, "a frame of " + l + " bytes");
                    got.add(Arrays.copyOfRange(buf, o, o + l));
                });
            }
            assertEquals(expectedBad, !ok, "bad stream, reads of " + cut);
            assertEquals(expectedBad, reader.isBad());
            assertEquals(expected.size(), got.size(), "frames, reads of " + cut);
            for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), got.get(i));
        }
    }

    /** The corpus: real ICE-TCP streams (a STUN check, DTLS, SRTP frames), a split stream, and the bad lengths. */
    @Test
    void writeSeeds() {
        if (!FuzzSeeds.writing(FrameReaderFuzzTest.class, "stream")) return;
        byte[] stun = IceTcpTest.check(new org.salotto.media.params.IceParameters("sLtO", "salottoSalottoSalotto0123"),
                new byte[12]);
        byte[] dtls = new byte[90];
        dtls[0] = 22; // a handshake record
        dtls[1] = (byte) 0xFE;
        dtls[2] = (byte) 0xFD;
        byte[] rtp = new byte[1200];
        rtp[0] = (byte) 0x80;
        rtp[1] = 111;
        byte[] full = new byte[MAX];
        full[0] = (byte) 0x80;
        FuzzSeeds.write(FrameReaderFuzzTest.class, "stream", "stun-dtls-rtp-whole",
                seed(0xFF, FrameReaderTest.framed(stun, dtls, rtp)));
        FuzzSeeds.write(FrameReaderFuzzTest.class, "stream", "stun-dtls-rtp-reads-of-7",
                seed(6, FrameReaderTest.framed(stun, dtls, rtp)));
        FuzzSeeds.write(FrameReaderFuzzTest.class, "stream", "largest-frame", seed(100, FrameReaderTest.framed(full)));
        FuzzSeeds.write(FrameReaderFuzzTest.class, "stream", "length-zero",
                seed(3, concat(FrameReaderTest.framed(stun), new byte[] {0, 0}, FrameReaderTest.framed(rtp))));
        FuzzSeeds.write(FrameReaderFuzzTest.class, "stream", "length-over-limit",
                seed(0, concat(FrameReaderTest.framed(dtls), new byte[] {(byte) 0x05, (byte) 0xDD, 1, 2, 3})));
        FuzzSeeds.write(FrameReaderFuzzTest.class, "stream", "ends-inside-a-frame",
                seed(9, Arrays.copyOf(FrameReaderTest.framed(rtp), 700)));
    }

    private static byte[] seed(int step, byte[] stream) {
        byte[] s = new byte[stream.length + 1];
        s[0] = (byte) step;
        System.arraycopy(stream, 0, s, 1, stream.length);
        return s;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
