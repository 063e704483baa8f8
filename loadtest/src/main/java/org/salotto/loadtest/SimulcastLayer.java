package org.salotto.loadtest;

import java.util.List;

/**
 * One of the three VP8 layers a {@code --simulcast} publisher sends, as the web app publishes a 720p camera
 * (web/src/room/publishing.ts: each layer half the size of the one above): its rid (RFC 8851), the size its keyframes
 * announce, and its share of {@code --video-kbps} in eighths (1/8, 2/8, 5/8: the web app's caps are 150, 500 and 1,500
 * kbit/s, about 1:3:10; the generator keeps the top layer's share lower so that a simulcast publisher sends what a
 * one-encoding one sends, the same {@code --video-kbps}, and runs before and after compare).
 *
 * @param index 1, 2, 3 from the lowest: what the publisher writes in each packet's payload for the viewers to count
 *              (0: one encoding)
 */
record SimulcastLayer(int index, String rid, int width, int height, int eighths) {
    static final SimulcastLayer LOW = new SimulcastLayer(1, "q", 320, 180, 1);
    static final SimulcastLayer MEDIUM = new SimulcastLayer(2, "h", 640, 360, 2);
    static final SimulcastLayer HIGH = new SimulcastLayer(3, "f", 1280, 720, 5);
    static final List<SimulcastLayer> ALL = List.of(LOW, MEDIUM, HIGH);
    /** The size one encoding's keyframes announce: the top layer's. */
    static final SimulcastLayer SINGLE = new SimulcastLayer(0, null, 1280, 720, 8);

    int kbps(int total) {
        return Math.max(1, total * eighths / 8);
    }

    /** The layer of that index (1..3), or null. */
    static SimulcastLayer byIndex(int index) {
        return index >= 1 && index <= ALL.size() ? ALL.get(index - 1) : null;
    }
}
