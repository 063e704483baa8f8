package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The choice of socket implementation, made once when a loop starts, in a fresh JVM each time: native with native
 * access enabled; the DatagramChannel fallback, silently (no JDK warning), without it or when it is denied.
 */
class NativeAccessTest {

    private static String run(String... jvmFlags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), UdpIoProbe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void withNativeAccessTheLoopUsesBatchedSystemCalls() throws Exception {
        String out = run("--enable-native-access=ALL-UNNAMED");
        assertTrue(out.contains("udp=NATIVE"), out);
        assertFalse(out.contains("WARNING"), out);
    }

    @Test
    void withoutNativeAccessTheLoopFallsBackWithoutAWarning() throws Exception {
        String out = run();
        assertTrue(out.contains("udp=NIO"), out);
        assertFalse(out.contains("WARNING"), out);
    }

    @Test
    void whenNativeAccessIsDeniedTheLoopFallsBack() throws Exception {
        String out = run("--illegal-native-access=deny");
        assertTrue(out.contains("udp=NIO"), out);
        assertFalse(out.contains("WARNING"), out);
    }

    @Test
    void thePropertyForcesTheFallback() throws Exception {
        String out = run("--enable-native-access=ALL-UNNAMED", "-Dsalotto.media.udp=nio");
        assertTrue(out.contains("udp=NIO"), out);
    }
}
