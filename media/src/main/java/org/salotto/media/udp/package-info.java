/**
 * UDP system calls through the FFM API (java.lang.foreign), for Linux on x86_64 and aarch64: batched receive
 * ({@code recvmmsg}) and send ({@code sendmmsg}), {@code poll} and an {@code eventfd} to wait and wake up, and the
 * media thread's scheduling priority.
 *
 * <p>Why our own: a {@link java.nio.channels.DatagramChannel} costs one system call per datagram, and on a small
 * machine the system calls were half the server's CPU per packet (docs/performance.md). The media loop and the load
 * generator share this code; each falls back to {@code DatagramChannel} when {@link LinuxUdp#available()} is false
 * (another OS, or the JVM started without {@code --enable-native-access=ALL-UNNAMED}).
 *
 * <p>Nothing here allocates per datagram: a {@link DatagramBatch} is a fixed set of off-heap slots, and addresses
 * travel as {@code long} keys ({@link LinuxUdp#key}).
 */
package org.salotto.media.udp;
