package org.salotto.signaling.protocol;

/** What a published track comes from. */
@Wire.Doc("what a track comes from")
public enum Source {
    MIC, CAMERA, SCREEN
}
