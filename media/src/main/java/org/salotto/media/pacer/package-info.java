/**
 * The downlink pacer: each subscriber transport's video leaves at a multiple of its bandwidth estimate, from a
 * bounded queue drained on the media loop's tick, so that a keyframe's burst does not overflow a thin link
 * ({@link org.salotto.media.pacer.Pacer}). Loop thread only; takes time as arguments; allocates nothing once its
 * queue's buffers exist.
 */
package org.salotto.media.pacer;
